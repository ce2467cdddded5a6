/**
 * The database identities in the synthesized environment (docs/migrations.md): the migrator task
 * role, the service task role's narrowed grant, and the custom resource that creates the users from
 * inside the VPC (its function's network, permissions, code and when it runs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { environmentStack, resourcesOf } from './helpers';
import { DATABASE_IDENTITIES, DATABASE_NAME, migratorTaskRoleName } from '../../lib/contract';
import { DATABASE_PORT, DATABASE_USERS_RESOURCE_TYPE, databaseSettings } from '../../lib/environment';
import { databaseUsersBundleDir } from '../../lib/environment/database-users-bundle';

const ACCOUNT = '222222222222';
const built = environmentStack({ environment: 'dev' });
const { json } = built;
const env = built.team.environments.find(e => e.name === 'dev')!;
const entries = (type: string) => Object.entries<any>(resourcesOf(json, type));
const byPrefix = (type: string, prefix: string) => entries(type).filter(([id]) => id.startsWith(prefix));
const one = (type: string, prefix: string) => {
  const found = byPrefix(type, prefix);
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0];
};
const instanceId = one('AWS::RDS::DBInstance', 'DatabaseInstance')[0];
/** Every Allow statement of the inline policies attached to a role (by the role's logical id). */
const statementsOf = (roleId: string) => entries('AWS::IAM::Policy')
  .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
  .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
const dbuser = (user: string) => ({
  'Fn::Join': ['', [`arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:`, { 'Fn::GetAtt': [instanceId, 'DbiResourceId'] }, `/${user}`]],
});

describe('the migrator task role', () => {
  const [roleId, role] = one('AWS::IAM::Role', 'MigratorRole');

  test('is named by the contract, so the pipeline passes it to the migration task by name', () => {
    expect(role.Properties.RoleName).toBe(migratorTaskRoleName('a', 'dev'));
  });

  test('is trusted only by ECS tasks of this account, under the team boundary, with no managed policy', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }]);
    expect(JSON.stringify(role.Properties.PermissionsBoundary)).toContain('policy/springboard-team-boundary');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('may only sign in to this environment\'s database as the migrator user', () => {
    expect(statementsOf(roleId)).toEqual([{ Action: 'rds-db:connect', Effect: 'Allow', Resource: dbuser(DATABASE_IDENTITIES.migratorUser) }]);
  });

  test('exists only where the environment has a database', () => {
    const without = environmentStack({ environment: 'dev', withDatabase: false }).json;
    expect(Object.keys(resourcesOf(without, 'AWS::IAM::Role')).filter(id => id.startsWith('Migrator'))).toEqual([]);
    expect(Object.values<any>(resourcesOf(without, 'AWS::CloudFormation::CustomResource')).concat(
      Object.values<any>(without.Resources).filter((r: any) => r.Type === DATABASE_USERS_RESOURCE_TYPE))).toEqual([]);
  });
});

describe('the service task role', () => {
  test('signs in to the database as the app user only, and is the only other role with rds-db:connect', () => {
    const [taskRoleId] = one('AWS::IAM::Role', 'ServiceTaskDefinitionTaskRole');
    expect(statementsOf(taskRoleId).filter(s => JSON.stringify(s.Action).includes('rds-db'))).toEqual([
      { Action: 'rds-db:connect', Effect: 'Allow', Resource: dbuser(DATABASE_IDENTITIES.appUser) },
    ]);
    const connecting = entries('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('rds-db:'))
      .map(([, p]) => p.Properties.Roles.map((r: any) => r.Ref)).flat().sort();
    expect(connecting.map((id: string) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['MigratorRole', 'ServiceTaskDefinitionTaskRole']);
  });

  test('the container is told the database, its name and the app user', () => {
    const container = one('AWS::ECS::TaskDefinition', 'ServiceTaskDefinition')[1].Properties.ContainerDefinitions[0];
    expect(container.Environment).toEqual(expect.arrayContaining([
      { Name: 'DATABASE_NAME', Value: DATABASE_NAME }, { Name: 'DATABASE_USER', Value: DATABASE_IDENTITIES.appUser },
    ]));
  });
});

describe('the database users custom resource', () => {
  const [resourceId, resource] = Object.entries<any>(json.Resources).find(([, r]) => r.Type === DATABASE_USERS_RESOURCE_TYPE)!;
  const [fnId, fn] = one('AWS::Lambda::Function', 'DatabaseUsersHandler');
  const [sgId, sg] = one('AWS::EC2::SecurityGroup', 'DatabaseUsersSecurityGroup');
  const fnRoleId = fn.Properties.Role['Fn::GetAtt'][0];

  test('passes the instance, the master secret and the identities; it runs after the instance and its ingress rule exist', () => {
    expect(resource.Properties).toMatchObject({
      SecretArn: { 'Fn::GetAtt': [instanceId, 'MasterUserSecret.SecretArn'] },
      Host: { 'Fn::GetAtt': [instanceId, 'Endpoint.Address'] },
      Port: { 'Fn::GetAtt': [instanceId, 'Endpoint.Port'] },
      Database: DATABASE_NAME,
      AppUser: 'app',
      MigratorUser: 'migrator',
      Schema: 'app',
      IamRole: 'rds_iam',
    });
    const ingressId = entries('AWS::EC2::SecurityGroupIngress').find(([, r]) => r.Properties.SourceSecurityGroupId?.['Fn::GetAtt']?.[0] === sgId)![0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([instanceId, ingressId]));
  });

  test('runs again whenever the database settings, the identities or the function\'s code change (they are its properties)', () => {
    expect(resource.Properties.Settings).toBe(databaseSettings(env.database!));
    for (const change of [{ version: '17' }, { instanceClass: 't4g.large' }, { allocatedStorageGiB: 40 }]) {
      expect(databaseSettings({ ...env.database!, ...change })).not.toBe(resource.Properties.Settings);
    }
    expect(resource.Properties.CodeVersion).toBe(path.basename(databaseUsersBundleDir()));
  });

  test('its function runs in the private subnets, in its own group, on the pinned runtime, verifying RDS certificates', () => {
    expect(fn.Properties.VpcConfig.SubnetIds.map((s: any) => s.Ref)).toEqual([expect.stringMatching(/^NetworkVpcPrivateSubnet1/), expect.stringMatching(/^NetworkVpcPrivateSubnet2/)]);
    expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [sgId, 'GroupId'] }]);
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Environment.Variables).toEqual({ NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' });
  });

  test('its group sends HTTPS out and the database port to the database only; the database admits it on that port', () => {
    expect(sg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
    const [dbSgId] = one('AWS::EC2::SecurityGroup', 'DatabaseSecurityGroup');
    const egress = entries('AWS::EC2::SecurityGroupEgress').filter(([, r]) => r.Properties.GroupId['Fn::GetAtt'][0] === sgId).map(([, r]) => r.Properties);
    expect(egress).toEqual([expect.objectContaining({ DestinationSecurityGroupId: { 'Fn::GetAtt': [dbSgId, 'GroupId'] }, IpProtocol: 'tcp' })]);
    const ingress = entries('AWS::EC2::SecurityGroupIngress').filter(([, r]) => r.Properties.SourceSecurityGroupId?.['Fn::GetAtt']?.[0] === sgId).map(([, r]) => r.Properties);
    expect(ingress).toEqual([expect.objectContaining({ GroupId: { 'Fn::GetAtt': [dbSgId, 'GroupId'] }, IpProtocol: 'tcp' })]);
    expect(JSON.stringify([egress[0].FromPort, ingress[0].FromPort])).toBe(JSON.stringify([{ 'Fn::GetAtt': [instanceId, 'Endpoint.Port'] }, { 'Fn::GetAtt': [instanceId, 'Endpoint.Port'] }]));
    expect(one('AWS::RDS::DBInstance', 'DatabaseInstance')[1].Properties.Port).toBe(String(DATABASE_PORT));
  });

  test('its role reads only the master secret, and decrypts with the environment key only through Secrets Manager and only that secret', () => {
    const [keyId] = one('AWS::KMS::Key', 'Key');
    expect(statementsOf(fnRoleId)).toEqual([
      { Sid: 'ReadTheMasterSecret', Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { 'Fn::GetAtt': [instanceId, 'MasterUserSecret.SecretArn'] } },
      {
        Sid: 'DecryptOnlyTheMasterSecret',
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': { 'Fn::GetAtt': [instanceId, 'MasterUserSecret.SecretArn'] } } },
      },
    ]);
    const managed = JSON.stringify(resourcesOf(json, 'AWS::IAM::Role')[fnRoleId].Properties.ManagedPolicyArns);
    expect(managed).toContain('service-role/AWSLambdaBasicExecutionRole');
    expect(managed).toContain('service-role/AWSLambdaVPCAccessExecutionRole');
  });

  test('its code is one bundle with pg inside, the AWS SDK left to the runtime, and it loads and exports the handler', () => {
    const file = path.join(databaseUsersBundleDir(), 'index.js');
    expect(existsSync(file)).toBe(true);
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/require\("pg"\)/);
    expect(code).toMatch(/require\("@aws-sdk\/client-secrets-manager"\)/);
    expect(code).toContain('node_modules/pg/lib/client.js');
    // Loaded as Lambda would: the AWS SDK on the module path, and nothing else (no pg): the bundle must carry it.
    const runtime = mkdtempSync(path.join(tmpdir(), 'springboard-runtime-'));
    mkdirSync(path.join(runtime, 'node_modules'));
    symlinkSync(path.join(__dirname, '..', '..', 'node_modules', '@aws-sdk'), path.join(runtime, 'node_modules', '@aws-sdk'));
    const loaded = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(file)}).handler)`], {
      cwd: runtime, env: { PATH: process.env.PATH, NODE_PATH: path.join(runtime, 'node_modules') }, encoding: 'utf8',
    });
    rmSync(runtime, { recursive: true, force: true });
    expect(loaded).toBe('function');
    expect(fn.Properties.Handler).toBe('index.handler');
    expect(fnId).toMatch(/^DatabaseUsersHandler/);
  });

  test('is bundled once per process: every stack shares the same asset', () => {
    const prod = environmentStack({ environment: 'prod' }).json;
    const code = (j: any) => Object.entries<any>(resourcesOf(j, 'AWS::Lambda::Function')).find(([id]) => id.startsWith('DatabaseUsersHandler'))![1].Properties.Code.S3Key;
    expect(code(prod)).toBe(code(json));
    expect(databaseUsersBundleDir()).toBe(databaseUsersBundleDir());
    expect(resourceId).toMatch(/^DatabaseUsers/);
  });
});
