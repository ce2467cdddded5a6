/**
 * Service secrets in the synthesized environment: ECS `secrets` by ARN, the execution role's narrow
 * grants and its deny of other keys, and the key policy that reserves decryption to it. Values never
 * appear: only ARNs are written.
 */
import { environmentStack, resourcesOf } from './helpers';
import type { ServiceSecret } from '../../lib/registry/types';

const PARAMETER: ServiceSecret = {
  variable: 'PARTNER_API_KEY', source: 'ssm-parameter', arn: 'arn:aws:ssm:us-east-1:222222222222:parameter/a/partner-api-key', path: ['service', 'secrets', 'PARTNER_API_KEY'],
};
const SECRET: ServiceSecret = {
  variable: 'SIGNING_KEY', source: 'secrets-manager', arn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:a/signing-Ab12Cd', path: ['service', 'secrets', 'SIGNING_KEY'],
};

const { json } = environmentStack({ environment: 'dev', envOverrides: { secrets: [PARAMETER, SECRET] } });
const plain = environmentStack({ environment: 'dev' }).json;
const task = Object.values<any>(resourcesOf(json, 'AWS::ECS::TaskDefinition'))[0];
const executionRoleId = task.Properties.ExecutionRoleArn['Fn::GetAtt'][0];
const taskRoleId = task.Properties.TaskRoleArn['Fn::GetAtt'][0];
const keyId = Object.keys(resourcesOf(json, 'AWS::KMS::Key'))[0];
const statementsOf = (roleId: string) => Object.values<any>(resourcesOf(json, 'AWS::IAM::Policy'))
  .filter(p => p.Properties.Roles.some((r: any) => r.Ref === roleId))
  .flatMap(p => p.Properties.PolicyDocument.Statement);
const keyPolicy = (j: Record<string, any>) => Object.values<any>(resourcesOf(j, 'AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;

test('the container receives each secret as an ECS secret, by ARN', () => {
  expect(task.Properties.ContainerDefinitions[0].Secrets).toEqual([
    { Name: 'PARTNER_API_KEY', ValueFrom: PARAMETER.arn },
    { Name: 'SIGNING_KEY', ValueFrom: SECRET.arn },
  ]);
});

test('the execution role reads exactly those, and decrypts through SSM and Secrets Manager with the environment key only', () => {
  const statements = statementsOf(executionRoleId);
  const bySid = (sid: string) => statements.find(s => s.Sid === sid);
  expect(bySid('ReadServiceParameters')).toMatchObject({ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: PARAMETER.arn });
  expect(bySid('ReadServiceSecrets')).toMatchObject({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET.arn });
  const via = { 'kms:ViaService': ['ssm.us-east-1.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com'] };
  expect(bySid('DecryptServiceSecretsWithEnvironmentKey')).toEqual({
    Sid: 'DecryptServiceSecretsWithEnvironmentKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] }, Condition: { StringEquals: via },
  });
  expect(bySid('DenySecretsUnderOtherKeys')).toEqual({
    Sid: 'DenySecretsUnderOtherKeys', Effect: 'Deny', Action: 'kms:Decrypt', NotResource: { 'Fn::GetAtt': [keyId, 'Arn'] }, Condition: { StringEquals: via },
  });
});

test('the task role (the application\'s own identity) is granted none of them', () => {
  const text = JSON.stringify(statementsOf(taskRoleId));
  expect(text).not.toContain('ssm:GetParameters');
  expect(text).not.toContain('secretsmanager:GetSecretValue');
  expect(text).not.toContain('kms:Decrypt');
});

test('the key policy denies decrypting every SecureString under it, and the named secrets, to every principal but the execution role', () => {
  const reserved = keyPolicy(json).filter((s: any) => String(s.Sid).startsWith('ReserveServiceSecretsForExecutionRole'));
  const notTheExecutionRole = { 'aws:PrincipalArn': { 'Fn::GetAtt': [executionRoleId, 'Arn'] } };
  expect(reserved).toEqual([
    {
      Sid: 'ReserveServiceSecretsForExecutionRoleParameters',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'PARAMETER_ARN' }, 'ArnNotEquals': notTheExecutionRole },
    },
    {
      Sid: 'ReserveServiceSecretsForExecutionRoleSecrets',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:SecretARN': [SECRET.arn] }, ArnNotEquals: notTheExecutionRole },
    },
  ]);
});

test('a service without secrets gets none of this (no grants, no key statements)', () => {
  const text = JSON.stringify(plain);
  expect(text).not.toContain('Secrets"');
  expect(text).not.toContain('ReserveServiceSecrets');
  expect(text).not.toContain('DenySecretsUnderOtherKeys');
});
