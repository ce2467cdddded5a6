/** The alert topic and chat channels: encryption, subscriptions by severity, Chatbot with a least-privilege role. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { applyPermissionsBoundary } from '../../lib/baseline';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { AlertTopic } from '../../lib/observability';
import { team } from '../support/registry-fixtures';

const { contacts } = team('pay');
const app = createApp();
const stack = new Stack(app, 'topics', { env: { account: '333333333333', region: 'us-east-1' } });
const key = new Key(stack, 'Key');
new AlertTopic(stack, 'Slack', {
  topicName: 'springboard-pay-prod-alerts',
  key,
  owner: contacts.owner,
  onCall: { contact: contacts.onCall, alarmNamePrefix: 'springboard-pay-prod-critical-' },
  chat: { kind: 'slack', workspaceId: 'T0123', channelId: 'C0456' },
  chatConfigurationName: 'springboard-pay-prod-alerts',
});
new AlertTopic(stack, 'Teams', {
  topicName: 'springboard-pay-dev-alerts',
  key,
  owner: contacts.owner,
  chat: { kind: 'teams', workspaceId: 'tenant-1', channelId: '19:channel1@thread.tacv2', teamId: 'team-1' },
  chatConfigurationName: 'springboard-pay-dev-alerts',
});
applyPermissionsBoundary(stack, 'springboard-team-boundary');
const json = Template.fromStack(stack).toJSON();
const of = (type: string) => Object.values<any>(json.Resources).filter(r => r.Type === type).map(r => r.Properties);

test('topics are encrypted with the given key and refuse plain-text publishing', () => {
  for (const t of of('AWS::SNS::Topic')) expect(t.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  const statements = of('AWS::SNS::TopicPolicy').flatMap(p => p.PolicyDocument.Statement);
  expect(statements.filter(s => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toHaveLength(2);
});

test('the on-call subscription filters on the critical prefix; without onCall only the owner is subscribed', () => {
  const subs = of('AWS::SNS::Subscription');
  expect(subs.map(s => s.Endpoint).sort()).toEqual([contacts.onCall.email, contacts.owner.email, contacts.owner.email].sort());
  expect(subs.filter(s => s.FilterPolicy)).toEqual([expect.objectContaining({
    Endpoint: contacts.onCall.email, FilterPolicyScope: 'MessageBody', FilterPolicy: { AlarmName: [{ prefix: 'springboard-pay-prod-critical-' }] },
  })]);
});

test('Slack and Teams channels read CloudWatch only, under a read-only guardrail, with the boundary', () => {
  const slack = of('AWS::Chatbot::SlackChannelConfiguration')[0];
  const teams = of('AWS::Chatbot::MicrosoftTeamsChannelConfiguration')[0];
  expect(slack).toMatchObject({ SlackWorkspaceId: 'T0123', SlackChannelId: 'C0456', ConfigurationName: 'springboard-pay-prod-alerts' });
  // CloudFormation takes the channel id URL-encoded; the registry also accepts it as Teams copies it.
  expect(teams).toMatchObject({ TeamsTenantId: 'tenant-1', TeamsChannelId: '19%3achannel1%40thread.tacv2', TeamId: 'team-1' });
  for (const c of [slack, teams]) {
    expect(JSON.stringify(c.GuardrailPolicies)).toContain(':iam::aws:policy/CloudWatchReadOnlyAccess');
    expect(c.SnsTopicArns).toHaveLength(1);
  }
  const roles = of('AWS::IAM::Role');
  expect(roles).toHaveLength(2);
  for (const r of roles) {
    expect(r.PermissionsBoundary).toBeDefined();
    expect(r.ManagedPolicyArns).toBeUndefined();
    const actions = r.Policies.flatMap((p: any) => p.PolicyDocument.Statement.flatMap((s: any) => s.Action));
    expect(actions.every((a: string) => a.startsWith('cloudwatch:Describe') || a.startsWith('cloudwatch:Get'))).toBe(true);
  }
});

test('a Teams channel without its team id is refused', () => {
  const s = new Stack(createApp(), 's');
  expect(() => new AlertTopic(s, 'T', {
    topicName: 't', key: new Key(s, 'K'), owner: contacts.owner, chat: { kind: 'teams', workspaceId: 'w', channelId: 'c' }, chatConfigurationName: 't',
  })).toThrow('a Microsoft Teams chat channel needs teamId (the Teams team id), received workspaceId w and channelId c only');
});
