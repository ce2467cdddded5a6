import { Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';

/** Sid of the statement that keeps a key of prod data, backups or the archive from being disabled or deleted. */
export const DENY_KEY_DELETION_SID = 'DenyDisableAndDeletionExceptBreakGlass';
/** What the statement denies: a disabled key, or one scheduled for deletion, makes its data unreadable. */
export const KEY_DELETION_ACTIONS = ['kms:DisableKey', 'kms:ScheduleKeyDeletion'] as const;

/**
 * Nobody but the account's break-glass role may disable the key or schedule its deletion: not an
 * administrator, not the CloudFormation execution role, not a team role (CP-9, SC-28).
 */
export function denyKeyDeletionExceptBreakGlass(key: IKey, breakGlassRoleName: string): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new PolicyStatement({
    sid: DENY_KEY_DELETION_SID,
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: [...KEY_DELETION_ACTIONS],
    resources: ['*'],
    conditions: { ArnNotLike: { 'aws:PrincipalArn': `arn:${stack.partition}:iam::${stack.account}:role/${breakGlassRoleName}` } },
  }));
}

/**
 * Grants on a key let their holder use it without the key policy's say: only AWS services acting
 * for a resource (RDS, Backup, ECR...) may create them (Control Tower CT.KMS.PR.3).
 */
export function limitGrantsToAwsServices(key: IKey): void {
  key.addToResourcePolicy(new PolicyStatement({
    sid: 'DenyGrantsExceptForAwsServices',
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}
