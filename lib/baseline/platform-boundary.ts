/**
 * The permissions boundary of the platform's own roles in a baseline (backup, log delivery, alarm
 * sharing, the release-record function). These roles act on every team's resources by design, so
 * the team boundary (which refuses other teams' tags) cannot be theirs; this one keeps them from
 * becoming a way up: none of them can write IAM, assume a role, or shed the boundary.
 */
import { Stack } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { PLATFORM_PREFIX } from '../contract';
import { boundaryPolicyArn } from './names';

/** Name of the platform boundary, one per account (created by the account's home baseline). */
export const PLATFORM_BOUNDARY_NAME = `${PLATFORM_PREFIX}-platform-boundary`;

/** IAM writes: every way to create a principal, change a role's trust, policies, tags or boundary. */
export const IAM_WRITE_ACTIONS: readonly string[] = [
  'iam:Add*', 'iam:Attach*', 'iam:Create*', 'iam:Delete*', 'iam:Detach*', 'iam:Put*', 'iam:Remove*', 'iam:Reset*',
  'iam:Set*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:Upload*',
];

/** Every statement of the platform boundary. */
export function platformBoundaryStatements(): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'AllowPlatformServices', actions: ['*'], resources: ['*'] }),
    new PolicyStatement({ sid: 'DenyIamWrites', effect: Effect.DENY, actions: [...IAM_WRITE_ACTIONS], resources: ['*'] }),
    new PolicyStatement({ sid: 'DenyRoleChaining', effect: Effect.DENY, actions: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'], resources: ['*'] }),
  ];
}

export interface PlatformPermissionsBoundaryProps {
  /**
   * Name of the managed policy.
   * @default PLATFORM_BOUNDARY_NAME
   */
  readonly policyName?: string;
}

export class PlatformPermissionsBoundary extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: PlatformPermissionsBoundaryProps = {}) {
    super(scope, id);
    const policyName = props.policyName ?? PLATFORM_BOUNDARY_NAME;
    this.policy = new ManagedPolicy(this, 'Policy', {
      managedPolicyName: policyName,
      description: 'Springboard platform boundary: the platform\'s service roles never write IAM or assume roles',
      statements: platformBoundaryStatements(),
    });
    const ceiling = 'A permissions boundary is a ceiling, not a grant: the platform\'s service roles act on every team\'s resources '
      + 'through their own least-privilege policies; this ceiling removes IAM writes and role chaining from all of them (AC-6).';
    for (const rule of ['AwsSolutions-IAM5', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', 'CT.IAM.PR.3']) acknowledge(this.policy, rule, ceiling);
    const notAGrant = 'This policy is only ever a permissions boundary, never attached as a grant: its `*` on `*` is the ceiling of the platform\'s '
      + 'service roles (backup, log delivery, alarm sharing, the release-record function), each granted least privilege by its own policy; '
      + 'the boundary exists for its denies of IAM writes and role chaining (AC-6).';
    for (const rule of ['CT.IAM.PR.2', 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess']) acknowledge(this.policy, rule, notAGrant);
  }
}

/** ARN of the platform boundary in the stack's account. */
export function platformBoundaryArn(scope: Stack): string {
  return boundaryPolicyArn(scope, PLATFORM_BOUNDARY_NAME);
}
