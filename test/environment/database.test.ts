import { Match } from 'aws-cdk-lib/assertions';
import { environmentStack, resourcesOf } from './helpers';

describe('Database', () => {
  const prod = environmentStack({ environment: 'prod' });
  const dev = environmentStack({ environment: 'dev' });
  const db = (json: Record<string, any>) => Object.values<any>(resourcesOf(json, 'AWS::RDS::DBInstance'))[0];

  test('is encrypted with the environment key and private', () => {
    const p = db(prod.json).Properties;
    expect(p.StorageEncrypted).toBe(true);
    expect(p.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^Key/);
    expect(p.PubliclyAccessible).toBe(false);
    prod.template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('IsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('IsolatedSubnet2') }],
    });
  });

  test('keeps credentials in Secrets Manager, rotated by RDS, encrypted with the key; IAM auth on; TLS forced', () => {
    const p = db(prod.json).Properties;
    expect(p.ManageMasterUserPassword).toBe(true);
    expect(p.MasterUserSecret.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^Key/);
    expect(p.MasterUserPassword).toBeUndefined();
    expect(p.EnableIAMDatabaseAuthentication).toBe(true);
    prod.template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ 'rds.force_ssl': '1' }) });
  });

  test('prod: Multi-AZ, deletion protection, snapshot on delete and on replace', () => {
    prod.template.hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({ MultiAZ: true, DeletionProtection: true }),
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
  });

  test('non-prod: single zone, still snapshotted on delete', () => {
    dev.template.hasResource('AWS::RDS::DBInstance', { Properties: Match.objectLike({ MultiAZ: false, DeletionProtection: false }), DeletionPolicy: 'Snapshot' });
  });

  test('exports its logs to encrypted log groups created first', () => {
    const instance = db(prod.json);
    expect(instance.Properties.EnableCloudwatchLogsExports).toEqual(['postgresql', 'upgrade']);
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/rds/instance/springboard-a-prod/postgresql', KmsKeyId: Match.anyValue() });
    expect(instance.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DatabaseLogGrouppostgresql/)]));
  });

  test('is backed up into the baseline vault through its ManagedBy tag', () => {
    expect(db(prod.json).Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'ManagedBy', Value: 'springboard' }]));
    expect(db(prod.json).Properties.BackupRetentionPeriod).toBeGreaterThanOrEqual(7);
  });

  test('accepts connections only from the service and the database users function, on its port, never from an address range', () => {
    const ingress = Object.values<any>(resourcesOf(prod.json, 'AWS::EC2::SecurityGroupIngress')).filter(r => JSON.stringify(r.Properties.GroupId).includes('DatabaseSecurityGroup'));
    expect(ingress.map(r => r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort()).toEqual([
      expect.stringMatching(/^DatabaseUsersSecurityGroup/), expect.stringMatching(/^ServiceSecurityGroup/),
    ]);
    expect(ingress.every(r => r.Properties.CidrIp === undefined && r.Properties.FromPort['Fn::GetAtt'][1] === 'Endpoint.Port')).toBe(true);
  });

  test('is optional', () => {
    const none = environmentStack({ environment: 'dev', classification: 'low', withDatabase: false });
    none.template.resourceCountIs('AWS::RDS::DBInstance', 0);
  });
});

describe('Database hardening', () => {
  const { json, template } = environmentStack({ environment: 'prod' });

  test('uses neither the default admin user nor the default port, and has enhanced monitoring', () => {
    const p = Object.values<any>(resourcesOf(json, 'AWS::RDS::DBInstance'))[0].Properties;
    expect(p.MasterUsername).toBe('springboard_admin');
    expect(p.Port).toBe('5433');
    expect(p.MonitoringInterval).toBe(60);
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })] }) });
  });
});
