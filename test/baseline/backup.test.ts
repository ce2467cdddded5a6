import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { baselineStack } from './helpers';
import { BackupBaseline } from '../../lib/baseline/backup';
import { createApp } from '../../lib/construct-kit/springboard-app';

describe('BackupBaseline', () => {
  const { template } = baselineStack();

  test('the vault is encrypted with a rotating customer-managed key, locked, and kept', () => {
    template.hasResource('AWS::Backup::BackupVault', {
      Properties: {
        BackupVaultName: 'springboard-backup',
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupKey'), 'Arn'] },
        LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Springboard backup vault' });
  });

  test('the plan keeps daily and monthly recovery points', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'springboard-daily',
        BackupPlanRule: [
          Match.objectLike({ RuleName: 'Daily', Lifecycle: { DeleteAfterDays: 35 } }),
          Match.objectLike({ RuleName: 'Monthly', Lifecycle: { DeleteAfterDays: 365 } }),
        ],
      },
    });
  });

  test('selects every database of the account and region by resource type, with no tag that could be removed', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        SelectionName: 'springboard-managed',
        IamRoleArn: Match.anyValue(),
        Resources: [
          'arn:aws:rds:*:*:db:*',
          'arn:aws:rds:*:*:cluster:*',
        ],
      },
    });
  });

  test('the vault key denies disabling and scheduled deletion to all but the break-glass role', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Springboard backup vault',
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DenyDisableAndDeletionExceptBreakGlass',
          Effect: 'Deny',
          Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/springboard-break-glass' } },
        })]),
      },
    });
  });

  test('no copy leaves the account unless a backup account is named', () => {
    expect(JSON.stringify(template.findResources('AWS::Backup::BackupPlan'))).not.toContain('CopyActions');
  });

  test('with a backup account, both rules copy every recovery point to its vault in the same region, kept as long', () => {
    const { template: t } = baselineStack({ account: '333333333333', backupCopyTo: { account: '444444444444', vaultName: 'springboard-backup-copy' } });
    const vault = 'arn:aws:backup:us-east-1:444444444444:backup-vault:springboard-backup-copy';
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'springboard-daily',
        BackupPlanRule: [
          Match.objectLike({ RuleName: 'Daily', CopyActions: [{ DestinationBackupVaultArn: vault, Lifecycle: { DeleteAfterDays: 35 } }] }),
          Match.objectLike({ RuleName: 'Monthly', CopyActions: [{ DestinationBackupVaultArn: vault, Lifecycle: { DeleteAfterDays: 365 } }] }),
        ],
      },
    });
  });

  test('the vault lock\'s minimum can never exceed the shortest rule\'s retention (AWS Backup would fail those jobs)', () => {
    const stack = new Stack(createApp(), 'S', { env: { account: '222222222222', region: 'us-east-1' } });
    expect(() => new BackupBaseline(stack, 'A', { dailyRetentionDays: 35, monthlyRetentionDays: 30, minLockedRetentionDays: 31 }))
      .toThrow('backup lock minimum retention must be between 1 and the shortest rule\'s retention (30 days), received 31');
    expect(() => new BackupBaseline(stack, 'B', { dailyRetentionDays: 35, monthlyRetentionDays: 30, minLockedRetentionDays: 30 })).not.toThrow();
  });
});
