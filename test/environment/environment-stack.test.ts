import { allowStatements, environmentStack, isStarOnStar, normalized, tagsOf, teamWith } from './helpers';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { TAG_KEYS } from '../../lib/contract';
import { DATABASE_USERS_RESOURCE_TYPE, EnvironmentStack } from '../../lib/environment';
import { registry } from '../support/registry-fixtures';

/** Types in these templates that CloudFormation cannot tag. */
const UNTAGGABLE = new Set([
  'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::Route', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress', 'AWS::IAM::Policy', 'AWS::KMS::Alias', 'AWS::S3::BucketPolicy', 'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::WAFv2::WebACLAssociation', 'AWS::WAFv2::LoggingConfiguration',
  // Observability: none of these accept tags in CloudFormation.
  'AWS::SNS::TopicPolicy', 'AWS::SNS::Subscription', 'AWS::Logs::MetricFilter', 'AWS::Logs::SubscriptionFilter', 'AWS::CloudWatch::Dashboard',
  // A custom resource is a call of a function at deploy time, not an AWS resource: nothing holds a tag.
  DATABASE_USERS_RESOURCE_TYPE,
]);

describe('EnvironmentStack', () => {
  const dev = environmentStack({ environment: 'dev' });
  const prod = environmentStack({ environment: 'prod' });

  test.each([['dev', dev], ['prod', prod]])('%s: every role carries the permissions boundary, in the partition of its region', (_, built) => {
    const roles = Object.values<any>(built.template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThan(0);
    // enablePartitionLiterals (docs/cdk-flags.md): a stack with a known region names its partition literally.
    expect(built.stack.region).toBe('us-east-1');
    for (const role of roles) {
      expect(role.Properties.PermissionsBoundary).toBe(`arn:aws:iam::${built.stack.account}:policy/springboard-team-boundary`);
    }
  });

  test.each([['dev', dev], ['prod', prod]])('%s: no statement allows every action on every resource', (_, built) => {
    expect(allowStatements(built.json).filter(isStarOnStar)).toEqual([]);
  });

  test.each([['dev', dev], ['prod', prod]])('%s: every taggable resource carries the contract tags', (_, built) => {
    for (const [id, resource] of Object.entries<any>(built.json.Resources)) {
      if (UNTAGGABLE.has(resource.Type)) continue;
      const tags = tagsOf(resource);
      expect({ id, tags }).toEqual({
        id,
        tags: expect.objectContaining({
          [TAG_KEYS.team]: 'a',
          [TAG_KEYS.environment]: built.stack.node.id.replace('env-', ''),
          [TAG_KEYS.programOffice]: 'Office of Family Assistance',
          [TAG_KEYS.costCenter]: 'CC-4410',
          [TAG_KEYS.dataClassification]: 'moderate',
          [TAG_KEYS.managedBy]: 'springboard',
        }),
      });
    }
  });

  test('every log group is encrypted and prod keeps logs searchable at least a year', () => {
    for (const built of [dev, prod]) {
      for (const group of Object.values<any>(built.template.findResources('AWS::Logs::LogGroup'))) {
        expect(group.Properties.KmsKeyId).toBeDefined();
        expect(group.Properties.RetentionInDays).toBeGreaterThanOrEqual(365);
      }
    }
  });

  test('every bucket is encrypted, versioned, private and SSL-only', () => {
    const buckets = prod.template.findResources('AWS::S3::Bucket');
    const policies = Object.values<any>(prod.template.findResources('AWS::S3::BucketPolicy'));
    for (const [id, bucket] of Object.entries<any>(buckets)) {
      expect(bucket.Properties.BucketEncryption).toBeDefined();
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
      const policy = policies.find(p => p.Properties.Bucket.Ref === id);
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('aws:SecureTransport');
    }
  });

  test('prod is termination-protected, non-prod is not', () => {
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
  });

  test('stays well under half the CloudFormation resource quota', () => {
    expect(Object.keys(prod.json.Resources).length).toBeLessThan(250);
  });

  test('prod refuses to synthesize without a certificate', () => {
    const team = teamWith({ envOverrides: { certificateArn: undefined } });
    const env = team.environments.find(e => e.isProd)!;
    expect(() => new EnvironmentStack(createApp(), 'x', { team, environment: env, platform: registry([team]).platform }))
      .toThrow('teams/a.yaml: environments.prod.certificateArn is missing; a prod environment serves HTTPS only, so it needs an ACM certificate ARN in us-east-1');
  });

  test.each([['dev', dev], ['prod', prod]])('%s snapshot', (_, built) => {
    expect(normalized(built.json)).toMatchSnapshot();
  });
});
