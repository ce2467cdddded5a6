import { Match } from 'aws-cdk-lib/assertions';
import { baselineStack } from './helpers';

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

  test('selects Springboard databases by their ManagedBy tag', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/ManagedBy', ConditionValue: 'springboard' }] },
        Resources: Match.arrayWith(['arn:aws:rds:*:*:db:*']),
      }),
    });
  });
});
