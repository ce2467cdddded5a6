/** One compliant and one non-compliant case (at least) per Springboard check function. */
import { NON_PROD, resource, stack } from './support/views';
import { checkEncryptionAtRest } from '../../lib/audit/checks/encryption';
import { checkRoleBoundary, checkRolePrivileges, checkRoleTrust } from '../../lib/audit/checks/iam';
import { checkLogRetention, checkVpcFlowLogs } from '../../lib/audit/checks/logging';
import { checkQuotaHeadroom } from '../../lib/audit/checks/quotas';
import {
  checkBucketPolicyPrincipals, checkBucketPublicAccessBlock, checkLoadBalancerExposure, checkOpenIngress, checkWebAclRateLimit,
} from '../../lib/audit/checks/reachability';
import { checkDatabaseProtection, checkStatefulRetention } from '../../lib/audit/checks/resilience';
import { REQUIRED_TAG_KEYS, checkRequiredTags } from '../../lib/audit/checks/tags';

const keyRef = { 'Fn::GetAtt': ['Key', 'Arn'] };

describe('encryption at rest', () => {
  const key = resource('AWS::KMS::Key', {}, { logicalId: 'Key' });
  test.each([
    ['AWS::RDS::DBInstance', { StorageEncrypted: true, KmsKeyId: keyRef }],
    ['AWS::EFS::FileSystem', { Encrypted: true }],
    ['AWS::SNS::Topic', { KmsMasterKeyId: keyRef }],
    ['AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyRef } }] } }],
    ['AWS::DynamoDB::Table', {}],
  ])('%s encrypted is compliant', (type, props) => {
    expect(checkEncryptionAtRest(resource(type, props), stack([key])).status).toBe('compliant');
  });
  test.each([
    ['AWS::RDS::DBInstance', {}],
    ['AWS::EFS::FileSystem', { Encrypted: false }],
    ['AWS::SNS::Topic', {}],
    ['AWS::SQS::Queue', { SqsManagedSseEnabled: false }],
    ['AWS::ElastiCache::ReplicationGroup', {}],
  ])('%s unencrypted is non-compliant', (type, props) => {
    const result = checkEncryptionAtRest(resource(type, props), stack());
    expect(result.status).toBe('non-compliant');
    expect(result.facts?.key).toBe('none');
  });
  test('names a key in the same template as customer-managed', () => {
    const result = checkEncryptionAtRest(resource('AWS::RDS::DBCluster', { StorageEncrypted: true, KmsKeyId: keyRef }), stack([key]));
    expect(result.facts?.key).toMatch(/^customer-managed KMS key/);
  });
  test('is not applicable to a role', () => {
    expect(checkEncryptionAtRest(resource('AWS::IAM::Role'), stack()).status).toBe('not-applicable');
  });
});

describe('internet reachability', () => {
  const lb = resource('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Type: 'application' }, { logicalId: 'Lb' });
  const listener = (protocol: string, port: number, redirect: boolean) => resource('AWS::ElasticLoadBalancingV2::Listener', {
    LoadBalancerArn: { Ref: 'Lb' }, Protocol: protocol, Port: port, DefaultActions: [{ Type: redirect ? 'redirect' : 'forward' }],
  }, { logicalId: `L${port}` });

  test('an internet-facing load balancer with HTTPS and a redirect is compliant and listed as internet-facing', () => {
    const result = checkLoadBalancerExposure(lb, stack([lb, listener('HTTPS', 443, false), listener('HTTP', 80, true)]));
    expect(result.status).toBe('compliant');
    expect(result.facts).toMatchObject({ scheme: 'internet-facing', listeners: 'HTTPS 443, HTTP 80 (redirect)' });
  });
  test('plain HTTP on an internet-facing load balancer is non-compliant in production only', () => {
    const resources = [lb, listener('HTTP', 80, false)];
    expect(checkLoadBalancerExposure(lb, stack(resources)).status).toBe('non-compliant');
    expect(checkLoadBalancerExposure(lb, stack(resources, NON_PROD)).status).toBe('compliant');
  });
  test('plain HTTP on an internet-facing load balancer is non-compliant in every environment of moderate and high data', () => {
    const resources = [lb, listener('HTTP', 80, false)];
    for (const level of ['moderate', 'high']) {
      const result = checkLoadBalancerExposure(lb, stack(resources, { ...NON_PROD, stackTags: { DataClassification: level } }));
      expect(result.status).toBe('non-compliant');
      expect(result.detail).toBe(`internet-facing application load balancer serves plain HTTP on port 80 for ${level} data; `
        + 'expected HTTPS only, or HTTP that redirects to HTTPS (or an internal load balancer outside production)');
    }
    // The resource's own tag counts too, and low keeps plain HTTP outside production.
    const tagged = { ...lb, properties: { ...lb.properties, Tags: [{ Key: 'DataClassification', Value: 'high' }] } };
    expect(checkLoadBalancerExposure(tagged, stack([tagged, listener('HTTP', 80, false)], NON_PROD)).status).toBe('non-compliant');
    expect(checkLoadBalancerExposure(lb, stack(resources, { ...NON_PROD, stackTags: { DataClassification: 'low' } })).status).toBe('compliant');
  });
  test('an internal load balancer may serve plain HTTP outside production, whatever the data', () => {
    const internal = resource('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' }, { logicalId: 'Lb' });
    const result = checkLoadBalancerExposure(internal, stack([internal, listener('HTTP', 80, false)], { ...NON_PROD, stackTags: { DataClassification: 'high' } }));
    expect(result.status).toBe('compliant');
    expect(result.facts?.scheme).toBe('internal');
  });
  test('a load balancer without a scheme is internet-facing (the CloudFormation default)', () => {
    const bare = resource('AWS::ElasticLoadBalancingV2::LoadBalancer', {}, { logicalId: 'Lb' });
    expect(checkLoadBalancerExposure(bare, stack([bare])).facts?.scheme).toBe('internet-facing');
  });

  test('ingress from anywhere on 443 is compliant but listed', () => {
    const sg = resource('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }] });
    const result = checkOpenIngress(sg);
    expect(result.status).toBe('compliant');
    expect(result.facts?.['open ports']).toBe('tcp 443 from 0.0.0.0/0');
  });
  test.each([
    [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }],
    [{ IpProtocol: '-1', CidrIpv6: '::/0' }],
    [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, CidrIp: '0.0.0.0/0' }],
  ])('ingress from anywhere beyond the web ports is non-compliant: %j', (rule) => {
    expect(checkOpenIngress(resource('AWS::EC2::SecurityGroupIngress', { GroupId: { Ref: 'Sg' }, ...rule })).status).toBe('non-compliant');
  });
  test('ingress from a private range is compliant', () => {
    expect(checkOpenIngress(resource('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' }] })).status).toBe('compliant');
  });
  test('narrowed ingress lists its ranges and is not counted as open to anywhere', () => {
    const sg = resource('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '203.0.113.0/24' }, { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '203.0.113.0/24' },
      ],
    });
    const result = checkOpenIngress(sg);
    expect(result).toMatchObject({ status: 'compliant', detail: 'ingress only from listed ranges (tcp 443 from 203.0.113.0/24, tcp 80 from 203.0.113.0/24)' });
    expect(result.facts).toMatchObject({ 'open ports': 'none', 'allowed ranges': 'tcp 443 from 203.0.113.0/24, tcp 80 from 203.0.113.0/24' });
  });

  const acl = (rules: unknown[], level: string) => resource('AWS::WAFv2::WebACL', { Rules: rules, Tags: [{ Key: 'DataClassification', Value: level }] });
  const rateRule = { Name: 'Rate', Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } };
  const managed = { Name: 'Common', Priority: 1, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } };
  test('a web ACL with a blocking rate rule is compliant and shows its limit', () => {
    const result = checkWebAclRateLimit(acl([rateRule, managed], 'moderate'), stack());
    expect(result).toMatchObject({ status: 'compliant', detail: 'web ACL blocks a client above 2000 per IP in 300 s' });
  });
  test.each(['moderate', 'high'])('a %s web ACL without a blocking rate rule is non-compliant', (level) => {
    const countOnly = { ...rateRule, Action: { Count: {} } };
    for (const rules of [[managed], [countOnly, managed]]) {
      const result = checkWebAclRateLimit(acl(rules, level), stack());
      expect(result).toMatchObject({ status: 'non-compliant', detail: `web ACL has no rate-based rule that blocks; expected one for ${level} data (the registry's webAcl.rateLimit)` });
    }
  });
  test('rate limit: other resources are not applicable', () => {
    expect(checkWebAclRateLimit(resource('AWS::S3::Bucket'), stack()).status).toBe('not-applicable');
  });

  const policy = (statement: Record<string, unknown>) => resource('AWS::S3::BucketPolicy', { Bucket: { Ref: 'B' }, PolicyDocument: { Statement: [statement] } });
  test('a bucket policy allowing everyone without a condition is non-compliant', () => {
    const result = checkBucketPolicyPrincipals(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' }));
    expect(result.status).toBe('non-compliant');
    expect(result.facts?.['public actions']).toBe('s3:GetObject');
  });
  test('an SSL-only deny to everyone and a conditioned allow are compliant', () => {
    expect(checkBucketPolicyPrincipals(policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })).status).toBe('compliant');
    expect(checkBucketPolicyPrincipals(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })).status).toBe('compliant');
  });
  test('block public access: all on is compliant, any off is non-compliant', () => {
    const all = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
    expect(checkBucketPublicAccessBlock(resource('AWS::S3::Bucket', { PublicAccessBlockConfiguration: all })).status).toBe('compliant');
    const result = checkBucketPublicAccessBlock(resource('AWS::S3::Bucket', { PublicAccessBlockConfiguration: { ...all, BlockPublicPolicy: false } }));
    expect(result.status).toBe('non-compliant');
    expect(result.detail).toContain('BlockPublicPolicy');
  });
});

describe('IAM', () => {
  const trust = (principal: unknown, condition?: unknown) => ({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...(condition ? { Condition: condition } : {}) }] });
  const role = (props: Record<string, unknown> = {}) => resource('AWS::IAM::Role', { AssumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }), ...props }, { logicalId: 'Role' });

  test('a role with a boundary is compliant; without one it is not', () => {
    expect(checkRoleBoundary(role({ PermissionsBoundary: 'arn:aws:iam::1:policy/springboard-team-boundary' })).status).toBe('compliant');
    const result = checkRoleBoundary(role());
    expect(result.status).toBe('non-compliant');
    expect(result.facts?.boundary).toBe('none');
  });
  test('trust in a named service is compliant and listed; trust in every principal is not', () => {
    const named = checkRoleTrust(role());
    expect(named.status).toBe('compliant');
    expect(named.facts?.trust).toBe('Service: ecs-tasks.amazonaws.com');
    expect(checkRoleTrust(role({ AssumeRolePolicyDocument: trust({ AWS: '*' }) })).status).toBe('non-compliant');
    expect(checkRoleTrust(role({ AssumeRolePolicyDocument: trust({ AWS: '*' }, { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } }) })).status).toBe('compliant');
  });
  test('"*" on "*" through an attached policy is non-compliant', () => {
    const policy = resource('AWS::IAM::Policy', { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });
    const r = role();
    expect(checkRolePrivileges(r, stack([r, policy])).status).toBe('non-compliant');
  });
  test('an administrator managed policy is non-compliant', () => {
    const r = role({ ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    expect(checkRolePrivileges(r, stack([r])).detail).toContain('AdministratorAccess');
  });
  test('scoped grants are compliant and wildcard actions are listed', () => {
    const r = role({ Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 'kms:Decrypt'], Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] } }] });
    const result = checkRolePrivileges(r, stack([r]));
    expect(result.status).toBe('compliant');
    expect(result.facts).toMatchObject({ 'wildcard actions': 's3:Get*', 'statements on resource *': '1' });
  });
});

describe('logging', () => {
  test('production log groups keep at least 365 days', () => {
    expect(checkLogRetention(resource('AWS::Logs::LogGroup', { RetentionInDays: 400 }), stack()).status).toBe('compliant');
    expect(checkLogRetention(resource('AWS::Logs::LogGroup', {}), stack()).facts?.retention).toBe('never expires');
    expect(checkLogRetention(resource('AWS::Logs::LogGroup', { RetentionInDays: 30 }), stack()).status).toBe('non-compliant');
    expect(checkLogRetention(resource('AWS::Logs::LogGroup', { RetentionInDays: 30 }), stack([], NON_PROD)).status).toBe('compliant');
  });
  test('a VPC needs a flow log', () => {
    const vpc = resource('AWS::EC2::VPC', {}, { logicalId: 'Vpc' });
    const flow = resource('AWS::EC2::FlowLog', { ResourceId: { Ref: 'Vpc' }, TrafficType: 'ALL', LogGroupName: { Ref: 'Logs' } });
    expect(checkVpcFlowLogs(vpc, stack([vpc, flow])).status).toBe('compliant');
    expect(checkVpcFlowLogs(vpc, stack([vpc])).status).toBe('non-compliant');
  });
});

describe('backups and retention of stateful resources', () => {
  test('production stateful resources must survive delete and replace', () => {
    expect(checkStatefulRetention(resource('AWS::S3::Bucket', {}, { deletionPolicy: 'Retain', updateReplacePolicy: 'Retain' }), stack()).status).toBe('compliant');
    const deleted = checkStatefulRetention(resource('AWS::S3::Bucket', {}, { deletionPolicy: 'Delete' }), stack());
    expect(deleted.status).toBe('non-compliant');
    expect(deleted.facts).toEqual({ 'on delete': 'Delete', 'on replace': 'Delete' });
    expect(checkStatefulRetention(resource('AWS::S3::Bucket', {}, { deletionPolicy: 'Delete' }), stack([], NON_PROD)).status).toBe('compliant');
  });
  test('an RDS instance snapshots on delete by default', () => {
    const result = checkStatefulRetention(resource('AWS::RDS::DBInstance', {}, { updateReplacePolicy: 'Snapshot' }), stack());
    expect(result.facts?.['on delete']).toBe('Snapshot');
    expect(result.status).toBe('compliant');
  });
  test('a production database needs deletion protection, backups and Multi-AZ', () => {
    const good = resource('AWS::RDS::DBInstance', { DeletionProtection: true, MultiAZ: true, BackupRetentionPeriod: 7 });
    expect(checkDatabaseProtection(good, stack([good])).status).toBe('compliant');
    const bad = resource('AWS::RDS::DBInstance', { BackupRetentionPeriod: 0 });
    const result = checkDatabaseProtection(bad, stack([bad]));
    expect(result.status).toBe('non-compliant');
    expect(result.detail).toBe('production database lacks deletion protection, automated backups, Multi-AZ');
    expect(checkDatabaseProtection(bad, stack([bad], NON_PROD)).status).toBe('compliant');
  });
  test('a database in a backup selection is recorded as in a backup plan', () => {
    const db = resource('AWS::RDS::DBInstance', { DeletionProtection: true, MultiAZ: true }, { logicalId: 'Db' });
    const selection = resource('AWS::Backup::BackupSelection', { BackupSelection: { Resources: [{ 'Fn::Join': ['', ['arn:', { Ref: 'Db' }]] }] } });
    expect(checkDatabaseProtection(db, stack([db, selection])).facts?.['backup plan']).toBe('yes');
  });
});

describe('required tags', () => {
  const all = REQUIRED_TAG_KEYS.map(Key => ({ Key, Value: 'x' }));
  test('a taggable resource with every key, on itself or through stack tags, is compliant', () => {
    expect(checkRequiredTags(resource('AWS::S3::Bucket', { Tags: all }), stack()).status).toBe('compliant');
    const stackTags = Object.fromEntries(REQUIRED_TAG_KEYS.map(k => [k, 'x']));
    expect(checkRequiredTags(resource('AWS::S3::Bucket'), stack([], { stackTags })).status).toBe('compliant');
  });
  test('a missing key is named', () => {
    const result = checkRequiredTags(resource('AWS::IAM::Role', { Tags: all.filter(t => t.Key !== 'CostCenter') }), stack());
    expect(result.status).toBe('non-compliant');
    expect(result.facts?.missing).toBe('CostCenter');
  });
  test('map-shaped tags count; untaggable types are not applicable', () => {
    expect(checkRequiredTags(resource('AWS::SSM::Parameter', { Tags: Object.fromEntries(REQUIRED_TAG_KEYS.map(k => [k, 'x'])) }), stack()).status).toBe('compliant');
    expect(checkRequiredTags(resource('AWS::IAM::Policy'), stack()).status).toBe('not-applicable');
  });
});

describe('quota headroom', () => {
  test('below 80% of every quota is compliant', () => {
    expect(checkQuotaHeadroom(stack([], { outputCount: 159 })).status).toBe('compliant');
  });
  test('from 80% of a quota the stack is flagged', () => {
    const resources = Array.from({ length: 400 }, (_, i) => ({ ...stack().resources[0], logicalId: `R${i}`, type: 'AWS::SNS::Topic', properties: {}, metadata: {}, constructPath: `S/R${i}` }));
    const result = checkQuotaHeadroom(stack(resources));
    expect(result.status).toBe('non-compliant');
    expect(result.facts?.resources).toBe('400 of 500 (80%)');
    expect(checkQuotaHeadroom(stack([], { templateBytes: 900_000 })).detail).toContain('templateBytes');
  });
});

describe('required tags by kind of stack', () => {
  test('every kind of stack needs every contract tag: baselines and delivery stacks say Environment=shared, platform ones the reserved owner', () => {
    const managedOnly = resource('AWS::KMS::Key', { Tags: [{ Key: 'ManagedBy', Value: 'springboard' }] });
    expect(checkRequiredTags(managedOnly, stack([], { kind: 'baseline', team: undefined, environment: undefined })).status).toBe('non-compliant');
    expect(checkRequiredTags(managedOnly, stack()).status).toBe('non-compliant');
    const noEnvironment = resource('AWS::ECR::Repository', { Tags: REQUIRED_TAG_KEYS.filter(k => k !== 'Environment').map(Key => ({ Key, Value: 'x' })) });
    expect(checkRequiredTags(noEnvironment, stack([], { kind: 'delivery', environment: 'delivery' })).status).toBe('non-compliant');
    const all = resource('AWS::ECR::Repository', { Tags: REQUIRED_TAG_KEYS.map(Key => ({ Key, Value: 'x' })) });
    expect(checkRequiredTags(all, stack([], { kind: 'baseline', team: undefined, environment: undefined })).status).toBe('compliant');
    expect(checkRequiredTags(resource('AWS::KMS::Key'), stack([], { kind: 'baseline' })).facts?.missing).toBe('Team, Environment, ProgramOffice, CostCenter, DataClassification, ManagedBy');
  });
});
