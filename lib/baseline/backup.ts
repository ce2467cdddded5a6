/**
 * The account's backup vault (customer-managed key, vault lock) and a plan that selects every
 * Springboard database by its ManagedBy tag, so a team stack needs no backup resources of its own.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupVault, CfnBackupSelection } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BACKUP_PLAN_NAME, BACKUP_VAULT_NAME } from './names';
import { acknowledge } from '../compliance/acknowledgments';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { MANAGED_BY_VALUE, TAG_KEYS } from '../contract';

export interface BackupBaselineProps {
  /**
   * Days a daily recovery point is kept.
   * @default 35
   */
  readonly dailyRetentionDays?: number;
  /**
   * Days a monthly recovery point is kept.
   * @default 365
   */
  readonly monthlyRetentionDays?: number;
  /**
   * Shortest retention the vault lock enforces on every recovery point.
   * @default 7
   */
  readonly minLockedRetentionDays?: number;
}

/** Resource types the plan selects (by tag) today: the databases environment stacks create. */
const SELECTED_RESOURCE_ARN_PATTERNS = ['rds:*:*:db:*', 'rds:*:*:cluster:*'];

export class BackupBaseline extends Construct {
  readonly vault: BackupVault;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: BackupBaselineProps = {}) {
    super(scope, id);
    const daily = props.dailyRetentionDays ?? 35;
    const monthly = props.monthlyRetentionDays ?? 365;
    const minLocked = props.minLockedRetentionDays ?? 7;
    if (minLocked < 1 || minLocked > daily) {
      throw new Error(`backup lock minimum retention must be between 1 and the daily retention (${daily}) days, received ${minLocked}`);
    }
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'Springboard backup vault', removalPolicy: RemovalPolicy.RETAIN });
    limitGrantsToAwsServices(this.key);
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: BACKUP_VAULT_NAME,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Compliance mode after a 3-day grace period: nobody, the platform included, can shorten retention.
      lockConfiguration: { minRetention: Duration.days(minLocked), changeableFor: Duration.days(3) },
    });
    const plan = this.plan(daily, monthly);
    this.selectByTag(plan);
  }

  private plan(daily: number, monthly: number): BackupPlan {
    return new BackupPlan(this, 'Plan', {
      backupPlanName: BACKUP_PLAN_NAME,
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }), deleteAfter: Duration.days(daily) }),
        new BackupPlanRule({ ruleName: 'Monthly', scheduleExpression: Schedule.cron({ day: '1', hour: '5', minute: '0' }), deleteAfter: Duration.days(monthly) }),
      ],
    });
  }

  /** L1 selection: the L2 ORs tags with resources, while Conditions AND them (databases tagged ManagedBy only). */
  private selectByTag(plan: BackupPlan): void {
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup service role for the Springboard backup plan',
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup'),
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores'),
      ],
    });
    acknowledge(role, 'AwsSolutions-IAM4', 'AWS Backup\'s own service-role policies are the documented permissions of a backup role and are kept current '
      + 'by AWS as the service changes; only backup.amazonaws.com can assume this role (AC-6).');
    const partition = Stack.of(this).partition;
    new CfnBackupSelection(this, 'Selection', {
      backupPlanId: plan.backupPlanId,
      backupSelection: {
        selectionName: 'springboard-managed',
        iamRoleArn: role.roleArn,
        resources: SELECTED_RESOURCE_ARN_PATTERNS.map(p => `arn:${partition}:${p}`),
        conditions: { StringEquals: [{ ConditionKey: `aws:ResourceTag/${TAG_KEYS.managedBy}`, ConditionValue: MANAGED_BY_VALUE }] },
      },
    });
  }
}
