import { Stack } from 'aws-cdk-lib';
import { baselineStack } from './helpers';
import { ObservabilityLink } from '../../lib/baseline';
import { createApp } from '../../lib/construct-kit/springboard-app';

const SINK_ARN = 'arn:aws:oam:us-east-1:111111111111:sink/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('observability', () => {
  test('the tooling account holds a sink that the team accounts may link to', () => {
    const { template } = baselineStack({ account: '111111111111', observabilitySourceAccounts: ['333333333333', '222222222222'] });
    template.hasResourceProperties('AWS::Oam::Sink', {
      Name: 'springboard-observability',
      Policy: {
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: ['222222222222', '333333333333'] },
          Action: ['oam:CreateLink', 'oam:UpdateLink'],
          Resource: '*',
          Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': ['AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup', 'AWS::XRay::Trace'] } },
        }],
      },
    });
    template.resourceCountIs('AWS::Oam::Link', 0);
  });

  test('a team account links metrics, logs and traces to the sink of its region', () => {
    const { template } = baselineStack({ observabilitySinkArn: SINK_ARN });
    template.hasResourceProperties('AWS::Oam::Link', {
      SinkIdentifier: SINK_ARN, ResourceTypes: ['AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup', 'AWS::XRay::Trace'],
    });
    template.resourceCountIs('AWS::Oam::Sink', 0);
  });

  test('refuses a malformed sink ARN', () => {
    expect(() => new ObservabilityLink(new Stack(createApp(), 'S'), 'L', { sinkArn: 'sink-1' }))
      .toThrow('observability sink ARN must look like arn:<partition>:oam:<region>:<account>:sink/<id>, received "sink-1"');
  });
});
