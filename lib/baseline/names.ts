/**
 * Deterministic names of the baseline's shared resources. Environment stacks and the audit find
 * them by these names instead of CloudFormation exports, so stacks never lock each other.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PLATFORM_PREFIX } from '../contract';

/** The backup vault every Springboard resource in an account and region is backed up into. */
export const BACKUP_VAULT_NAME = `${PLATFORM_PREFIX}-backup`;
/** The backup plan of the baseline. */
export const BACKUP_PLAN_NAME = `${PLATFORM_PREFIX}-daily`;
/** The observability sink in the tooling account, one per region. */
export const OBSERVABILITY_SINK_NAME = `${PLATFORM_PREFIX}-observability`;

/** The log archive of one account and region: `springboard-logs-<account>-<region>` (at most 46 characters). */
export function logArchiveBucketName(account: string, region: string): string {
  return `${PLATFORM_PREFIX}-logs-${account}-${region}`;
}

/** ARN of the permissions boundary in the stack's account, in the stack's partition. */
export function boundaryPolicyArn(scope: Stack, policyName: string): string {
  return scope.formatArn({ service: 'iam', region: '', resource: 'policy', resourceName: policyName });
}

/** ARN of the backup vault of the stack's account and region. */
export function backupVaultArn(scope: Stack): string {
  return scope.formatArn({ service: 'backup', resource: 'backup-vault', resourceName: BACKUP_VAULT_NAME, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
