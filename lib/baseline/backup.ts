/**
 * The account's backup vault (customer-managed key, vault lock) and a plan that selects every
 * database of the account and region by resource type, so a team stack needs no backup resources
 * of its own and no tag decides what is backed up (a tag could be removed; the type cannot). Where
 * the account holds prod, every recovery point can also be copied to a vault of a separate backup
 * account (`backupCopy` in `_platform.yaml`).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanCopyActionProps, BackupPlanRule, BackupVault, CfnBackupSelection } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BACKUP_PLAN_NAME, BACKUP_VAULT_NAME } from './names';
import { acknowledge } from '../compliance/acknowledgments';
import { denyKeyDeletionExceptBreakGlass, limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { DEFAULT_BREAK_GLASS_ROLE_NAME } from '../contract/naming';

/** A vault of another account that recovery points are copied to (same region). */
export interface BackupCopyTarget {
  readonly account: string;
  readonly vaultName: string;
}

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
   * Shortest retention the vault lock enforces on every recovery point. At most the shortest rule's
   * retention: AWS Backup fails the jobs of a rule that keeps recovery points for less.
   * @default 7
   */
  readonly minLockedRetentionDays?: number;
  /**
   * Copy every recovery point to this vault of a separate backup account, kept as long as the original.
   * @default - no copy
   */
  readonly copyTo?: BackupCopyTarget;
  /**
   * The only role that may disable the vault key or schedule its deletion.
   * @default DEFAULT_BREAK_GLASS_ROLE_NAME
   */
  readonly breakGlassRoleName?: string;
}

/** Resource types the plan selects: the databases environment stacks create, every one of the account and region. */
export const SELECTED_RESOURCE_ARN_PATTERNS = ['rds:*:*:db:*', 'rds:*:*:cluster:*'];

export class BackupBaseline extends Construct {
  readonly vault: BackupVault;
  readonly key: Key;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: BackupBaselineProps = {}) {
    super(scope, id);
    const daily = props.dailyRetentionDays ?? 35;
    const monthly = props.monthlyRetentionDays ?? 365;
    const minLocked = props.minLockedRetentionDays ?? 7;
    const shortest = Math.min(daily, monthly);
    if (minLocked < 1 || minLocked > shortest) {
      throw new Error(`backup lock minimum retention must be between 1 and the shortest rule's retention (${shortest} days), received ${minLocked}: `
        + 'AWS Backup fails the jobs of a rule that keeps recovery points for less than the vault lock\'s minimum');
    }
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'Springboard backup vault', removalPolicy: RemovalPolicy.RETAIN });
    limitGrantsToAwsServices(this.key);
    denyKeyDeletionExceptBreakGlass(this.key, props.breakGlassRoleName ?? DEFAULT_BREAK_GLASS_ROLE_NAME);
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: BACKUP_VAULT_NAME,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Compliance mode after a 3-day grace period: nobody, the platform included, can shorten retention.
      lockConfiguration: { minRetention: Duration.days(minLocked), changeableFor: Duration.days(3) },
    });
    this.plan = this.planWith(daily, monthly, props.copyTo);
    this.selectDatabases(this.plan);
  }

  private planWith(daily: number, monthly: number, copyTo: BackupCopyTarget | undefined): BackupPlan {
    const destination = copyTo && BackupVault.fromBackupVaultArn(this, 'CopyVault', copyVaultArn(Stack.of(this), copyTo));
    const copy = (days: number): { copyActions?: BackupPlanCopyActionProps[] } =>
      (destination ? { copyActions: [{ destinationBackupVault: destination, deleteAfter: Duration.days(days) }] } : {});
    return new BackupPlan(this, 'Plan', {
      backupPlanName: BACKUP_PLAN_NAME,
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }), deleteAfter: Duration.days(daily), ...copy(daily) }),
        new BackupPlanRule({
          ruleName: 'Monthly', scheduleExpression: Schedule.cron({ day: '1', hour: '5', minute: '0' }), deleteAfter: Duration.days(monthly), ...copy(monthly),
        }),
      ],
    });
  }

  /** L1 selection by resource type only: no tag condition, so removing a tag cannot take a database out of its backups. */
  private selectDatabases(plan: BackupPlan): void {
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
      },
    });
  }
}

/** The backup account's vault in this stack's region. */
export function copyVaultArn(stack: Stack, target: BackupCopyTarget): string {
  return `arn:${stack.partition}:backup:${stack.region}:${target.account}:backup-vault:${target.vaultName}`;
}
