import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { environmentStack, resourcesOf } from './helpers';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { Network } from '../../lib/environment';

describe('Network', () => {
  const dev = environmentStack({ environment: 'dev' });
  const prod = environmentStack({ environment: 'prod' });

  test('spreads public, private and isolated subnets over two zones, no public IPs on launch', () => {
    const subnets = Object.values<any>(resourcesOf(dev.json, 'AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(6);
    subnets.forEach(s => expect(s.Properties.MapPublicIpOnLaunch).toBe(false));
    dev.template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: dev.team.environments[0].cidr });
  });

  test('costs one NAT gateway in non-prod and one per zone in prod', () => {
    dev.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    prod.template.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  test('logs all traffic to an encrypted log group kept for the searchable period', () => {
    dev.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', ResourceType: 'VPC' });
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/springboard/a/dev/flow-logs',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      RetentionInDays: 365,
    });
  });

  test('picks zones without a context lookup or a hard-coded zone name', () => {
    const text = JSON.stringify(dev.json);
    expect(text).toContain('Fn::GetAZs');
    expect(text).not.toMatch(/us-east-1[a-f]"/);
    const assembly = (dev.stack.node.root as App).synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('refuses a malformed range', () => {
    const stack = new Stack(createApp(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const key = new Key(stack, 'K');
    expect(() => new Network(stack, 'N', { cidr: '10.0.0.0/28', flowLogGroupName: 'x', key, logRetention: RetentionDays.ONE_YEAR }))
      .toThrow('vpc cidr must be an IPv4 range from /16 to /24, received "10.0.0.0/28"');
  });
});
