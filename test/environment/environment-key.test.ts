import { Match, Template } from 'aws-cdk-lib/assertions';
import { environmentStack, teamWith } from './helpers';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { EnvironmentStack } from '../../lib/environment';
import { registry } from '../support/registry-fixtures';

describe('EnvironmentKey', () => {
  const { template } = environmentStack();

  test('is customer-managed with rotation, retained on delete', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/springboard-a-dev' });
  });

  test('lets CloudWatch Logs use it only for log groups of this account and region', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
  });
});

describe('EnvironmentKey grants', () => {
  const { template } = environmentStack();

  test('only AWS services acting for a resource may create grants', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'kms:CreateGrant',
          Principal: { AWS: '*' },
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        })]),
      },
    });
  });

  test('a prod key: only the break-glass role may disable it or schedule its deletion; a non-prod key has no such deny', () => {
    const prod = environmentStack({ environment: 'prod' }).template;
    prod.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DenyDisableAndDeletionExceptBreakGlass',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::333333333333:role/springboard-break-glass' } },
        })]),
      },
    });
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain('DenyDisableAndDeletionExceptBreakGlass');
  });

  test('with a backup account, the prod key lets it copy recovery points (grants for AWS resources only)', () => {
    const spec = teamWith({ withDatabase: true });
    const platform = { ...registry([spec]).platform, backupCopy: { account: '444444444444', vaultName: 'springboard-backup-copy' } };
    const prodEnv = spec.environments.find(e => e.isProd)!;
    const stack = new EnvironmentStack(createApp(), 'env-prod-copy', { team: spec, environment: prodEnv, platform });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowBackupAccountCopies', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Principal: { AWS: Match.anyValue() } }),
          Match.objectLike({ Sid: 'AllowBackupAccountCopyGrants', Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
        ]),
      },
    });
  });
});
