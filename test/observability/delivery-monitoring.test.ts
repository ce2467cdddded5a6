/** Delivery monitoring: pipeline failures routed to the delivery topic, the build alarm, the team overview. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Project } from 'aws-cdk-lib/aws-codebuild';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { DeliveryMonitoring, healthAlarmName } from '../../lib/observability';
import { team } from '../support/registry-fixtures';

const t = { ...team('pay'), contacts: { ...team('pay').contacts, chat: { kind: 'slack' as const, workspaceId: 'T1', channelId: 'C1' } } };
const stack = new Stack(createApp(), 'tooling', { env: { account: '111111111111', region: 'us-east-1' } });
const key = new Key(stack, 'Key');
const monitoring = new DeliveryMonitoring(stack, 'Monitoring', { team: t, topic: new Topic(stack, 'Topic', { masterKey: key }), topicKey: key });
monitoring.addBuildMonitoring(Project.fromProjectName(stack, 'Build', 'springboard-pay-build'));
const json = Template.fromStack(stack).toJSON();
const of = (type: string) => Object.entries<any>(json.Resources).filter(([, r]) => r.Type === type);
const topicId = of('AWS::SNS::Topic')[0][0];

test('failed executions of the team\'s pipeline go to the delivery topic', () => {
  const [[, rule]] = of('AWS::Events::Rule');
  expect(rule.Properties.Name).toBe('springboard-pay-pipeline-failed');
  expect(rule.Properties.EventPattern).toEqual({
    'source': ['aws.codepipeline'], 'detail-type': ['CodePipeline Pipeline Execution State Change'], 'detail': { pipeline: ['springboard-pay'], state: ['FAILED'] },
  });
  expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId } })]);
});

test('EventBridge and CloudWatch may publish and use the topic key, from this account only', () => {
  const statements = of('AWS::KMS::Key')[0][1].Properties.KeyPolicy.Statement;
  // minimizePolicies (docs/cdk-flags.md) may merge both services into one statement with the same condition.
  const services = (principal: any): string[] => [principal?.Service ?? []].flat();
  for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
    const granting = statements.filter((st: any) => services(st.Principal).includes(service)
      && JSON.stringify(st.Condition) === JSON.stringify({ StringEquals: { 'aws:SourceAccount': '111111111111' } }));
    expect({ service, granting: granting.length }).toEqual({ service, granting: 1 });
  }
});

test('the build project\'s failures alarm comes from the catalogue and notifies the topic', () => {
  const alarms = of('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  expect(alarms).toHaveLength(1);
  expect(alarms[0]).toMatchObject({
    AlarmName: 'springboard-pay-delivery-warning-buildFailures',
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 1,
    Period: 3600,
    AlarmActions: [{ Ref: topicId }],
    OKActions: [{ Ref: topicId }],
  });
  expect(alarms[0].AlarmDescription).toContain('Runbook: https://github.com/example-state/pay/blob/main/RUNBOOK.md#buildfailures');
  expect(() => monitoring.addBuildMonitoring(Project.fromProjectName(stack, 'Again', 'x'))).toThrow('already monitored');
});

test('the team overview covers the build project, the pipeline and every environment\'s health', () => {
  const [[, dashboard]] = of('AWS::CloudWatch::Dashboard');
  expect(dashboard.Properties.DashboardName).toBe('springboard-pay-overview');
  const body = JSON.stringify(dashboard.Properties.DashboardBody);
  for (const needle of ['AWS/CodeBuild', 'springboard-pay-build', 'springboard-pay-pipeline-failed', 'ClusterName=\\\\\\"springboard-pay-prod\\\\\\"']) expect(body).toContain(needle);
  for (const e of t.environments) expect(body).toContain(`:alarm:${healthAlarmName(t.id, e.name, e.isProd)}`);
});

test('the owner and the chat channel are subscribed', () => {
  expect(of('AWS::SNS::Subscription').map(([, s]) => s.Properties.Endpoint)).toEqual([t.contacts.owner.email]);
  expect(of('AWS::Chatbot::SlackChannelConfiguration')).toHaveLength(1);
});
