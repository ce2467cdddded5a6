/**
 * The archive path: every log group of an environment stack is subscribed to the account's Firehose
 * stream, which writes into the baseline's object-locked archive bucket under the archive key; the
 * bucket's lifecycle keeps 30 months in all.
 */
import { spawnSync } from 'node:child_process';
import { Template } from 'aws-cdk-lib/assertions';
import { BaselineStack } from '../../lib/baseline';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { EnvironmentStack } from '../../lib/environment';
import { LOG_ARCHIVE_PARTITION_QUERY, LOG_ARCHIVE_STREAM_NAME, logArchiveFilterName } from '../../lib/observability';
import { platformSettings, team } from '../support/registry-fixtures';

const t = team('pay', { withDatabase: true });
const app = createApp();
const baseline = new BaselineStack(app, 'baseline', { account: '333333333333', region: 'us-east-1', permissionsBoundaryName: 'springboard-team-boundary', logTotalDays: 913, monitoringAccount: '111111111111' });
const env = new EnvironmentStack(app, 'env', { team: t, environment: t.environments[2], platform: platformSettings() });
const b = Template.fromStack(baseline).toJSON();
const e = Template.fromStack(env).toJSON();
const of = (json: any, type: string) => Object.entries<any>(json.Resources).filter(([, r]) => r.Type === type);

test('the baseline streams into the archive bucket, encrypted with the archive key', () => {
  const [[, stream]] = of(b, 'AWS::KinesisFirehose::DeliveryStream');
  const s3 = stream.Properties.ExtendedS3DestinationConfiguration;
  expect(stream.Properties.DeliveryStreamName).toBe(LOG_ARCHIVE_STREAM_NAME);
  const [[bucketId, bucket]] = of(b, 'AWS::S3::Bucket');
  expect(s3.BucketARN).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
  expect(s3.Prefix).toMatch(/^logs\//);
  const keyId = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0];
  expect(s3.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
});

test('the archive keeps 30 months in all: object lock and expiry at 913 days, cold storage before', () => {
  const [[, bucket]] = of(b, 'AWS::S3::Bucket');
  expect(bucket.Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days).toBe(913);
  const rule = bucket.Properties.LifecycleConfiguration.Rules[0];
  expect(rule.ExpirationInDays).toBe(913);
  expect(rule.Transitions.map((x: any) => x.StorageClass)).toEqual(['GLACIER', 'DEEP_ARCHIVE']);
});

test('Firehose may write only under logs/, and CloudWatch Logs of this account only into the stream', () => {
  const policies = of(b, 'AWS::IAM::Policy').map(([, p]) => JSON.stringify(p.Properties.PolicyDocument));
  expect(policies.some(p => p.includes('s3:PutObject') && p.includes('/logs/*') && !p.includes('s3:DeleteObject'))).toBe(true);
  expect(policies.some(p => p.includes('firehose:PutRecordBatch'))).toBe(true);
  const roles = of(b, 'AWS::IAM::Role').map(([, r]) => r.Properties);
  const subscription = roles.find(r => r.RoleName === 'springboard-logs-subscription-us-east-1');
  expect(JSON.stringify(subscription.AssumeRolePolicyDocument)).toContain('logs.us-east-1.amazonaws.com');
  expect(JSON.stringify(subscription.AssumeRolePolicyDocument)).toContain('arn:');
  for (const r of roles) expect(r.PermissionsBoundary).toBeDefined();
});

test('every log group of the environment is subscribed to the archive stream', () => {
  const groups = of(e, 'AWS::Logs::LogGroup').map(([id]) => id).sort();
  const filters = of(e, 'AWS::Logs::SubscriptionFilter').map(([, f]) => f);
  expect(groups.length).toBeGreaterThanOrEqual(4);
  expect(filters.map(f => f.Properties.LogGroupName.Ref).sort()).toEqual(groups);
  for (const f of filters) {
    expect(f.Properties.FilterPattern).toBe('');
    expect(JSON.stringify(f.Properties.DestinationArn)).toContain(`:deliverystream/${LOG_ARCHIVE_STREAM_NAME}`);
    expect(JSON.stringify(f.Properties.RoleArn)).toContain(':role/springboard-logs-subscription-us-east-1');
    // The stream reads the team from the filter's name (LOG_ARCHIVE_PARTITION_QUERY).
    expect(f.Properties.FilterName).toBe(logArchiveFilterName('pay'));
  }
});

test('prod keeps at least 12 months searchable in CloudWatch before the archive takes over', () => {
  for (const [, g] of of(e, 'AWS::Logs::LogGroup')) expect(g.Properties.RetentionInDays).toBeGreaterThanOrEqual(365);
});

test('the tooling account\'s dashboards may read this account\'s alarms, and nothing more', () => {
  const roles = of(b, 'AWS::IAM::Role').map(([, r]) => r.Properties);
  const sharing = roles.find(r => r.RoleName === 'CloudWatch-CrossAccountSharingRole');
  expect(JSON.stringify(sharing.AssumeRolePolicyDocument)).toContain(':iam::111111111111:root');
  const actions = sharing.Policies.flatMap((p: any) => p.PolicyDocument.Statement.flatMap((s: any) => s.Action));
  expect(actions.every((a: string) => /^cloudwatch:(Describe|Get|List)/.test(a))).toBe(true);
});

describe('per-team prefixes, without a resource per team', () => {
  const [[, stream]] = of(b, 'AWS::KinesisFirehose::DeliveryStream');
  const s3 = stream.Properties.ExtendedS3DestinationConfiguration;

  test('the stream partitions each batch by its team: logs/<team>/<date>/, dynamic partitioning on the decompressed batch', () => {
    expect(s3.Prefix).toBe('logs/!{partitionKeyFromQuery:team}/!{timestamp:yyyy/MM/dd}/');
    expect(s3.ErrorOutputPrefix).toMatch(/^errors\//);
    expect(s3.DynamicPartitioningConfiguration.Enabled).toBe(true);
    expect(s3.BufferingHints.SizeInMBs).toBeGreaterThanOrEqual(64);
    const processors = s3.ProcessingConfiguration.Processors;
    expect(processors.map((p: any) => p.Type)).toEqual(['Decompression', 'MetadataExtraction']);
    expect(processors[1].Parameters).toEqual(expect.arrayContaining([{ ParameterName: 'MetadataExtractionQuery', ParameterValue: LOG_ARCHIVE_PARTITION_QUERY }]));
  });

  // jq is the engine Firehose names (JQ-1.6); the test runs the same query on a CloudWatch Logs batch as it arrives.
  // CI installs jq (.ci/run); elsewhere the test is skipped when jq is missing.
  const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' });
  (jq.status === 0 || process.env.CI ? test : test.skip)('the partition query reads the team from a CloudWatch Logs batch (run with jq)', () => {
    const batch = {
      messageType: 'DATA_MESSAGE',
      owner: '333333333333',
      logGroup: '/springboard/pay/prod/service',
      logStream: 's',
      subscriptionFilters: [logArchiveFilterName('pay')],
      logEvents: [{ id: '1', timestamp: 1, message: 'hello' }],
    };
    const run = spawnSync('jq', ['-c', LOG_ARCHIVE_PARTITION_QUERY], { input: JSON.stringify(batch), encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual({ team: 'pay' });
  });

  test('the baseline holds nothing per team but release records and their grants: two more teams add no other resource', () => {
    const records = (ids: string[]) => ids.map(id => ({ teamId: id, environment: 'prod', tags: { Team: id, Environment: 'prod', ManagedBy: 'springboard' } }));
    const types = (ids: string[]) => {
      const other = createApp();
      const stack = new BaselineStack(other, 'baseline', {
        account: '333333333333', region: 'us-east-1', permissionsBoundaryName: 'springboard-team-boundary', logTotalDays: 913, releaseRecords: records(ids),
      });
      // Each release record is a custom resource with its own grant on the helper's role (AwsCustomResource).
      return Object.entries<any>(Template.fromStack(stack).toJSON().Resources)
        .filter(([id, r]) => r.Type !== 'Custom::SpringboardReleaseRecord' && !(r.Type === 'AWS::IAM::Policy' && id.startsWith('ReleaseRecords')))
        .map(([, r]) => r.Type).sort();
    };
    expect(types(['pay', 'tax', 'dmv'])).toEqual(types(['pay']));
  });

  test('the bucket policy confines a team principal to reading its own prefix, and lets no team write, delete or re-date', () => {
    const [[, policy]] = of(b, 'AWS::S3::BucketPolicy');
    const bySid = (sid: string) => policy.Properties.PolicyDocument.Statement.find((x: any) => x.Sid === sid);
    const teamPrincipal = { Null: { 'aws:PrincipalTag/Team': 'false' }, StringNotEquals: { 'aws:PrincipalTag/Team': 'springboard' } };
    expect(bySid('TeamsReadOnlyTheirPrefix')).toMatchObject({ Effect: 'Deny', Condition: teamPrincipal });
    expect(JSON.stringify(bySid('TeamsReadOnlyTheirPrefix').NotResource)).toContain('/logs/${aws:PrincipalTag/Team}/*');
    expect(bySid('TeamsWriteNothing')).toMatchObject({ Effect: 'Deny', Condition: teamPrincipal });
    expect(bySid('TeamsListOnlyTheirPrefix').Condition.StringNotLike).toEqual({ 's3:prefix': 'logs/${aws:PrincipalTag/Team}/*' });
  });
});
