/**
 * The permissions boundary every team role carries. Team isolation is attribute-based: a principal
 * tagged `Team=x` may act only on resources tagged `Team=x` or untagged, may assume, pass or change
 * only roles tagged `Team=x` (never an untagged or platform role, never a CDK bootstrap role), may
 * not move the Team or ManagedBy tag, may not create resources without its own Team tag, and cannot
 * shed the boundary. docs/isolation.md lists each statement with the test that proves it.
 */
import { Stack } from 'aws-cdk-lib';
import { Effect, IManagedPolicy, ManagedPolicy, PermissionsBoundary, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { MANAGED_BY_VALUE, PLATFORM_PREFIX, TAG_KEYS } from '../contract';
import { ACCOUNT_LEVEL_DENIED, TAG_ON_CREATE_ACTIONS, TAG_ON_UPSERT_ACTIONS, TEAM_ALLOWED_ACTIONS } from './boundary-actions';
import { logArchiveBucketName } from './names';
import { IAM_WRITE_ACTIONS } from './platform-boundary';

const TEAM = TAG_KEYS.team;
const PRINCIPAL_TEAM = `\${aws:PrincipalTag/${TEAM}}`;

export { TEAM_ALLOWED_ACTIONS, TAG_ON_CREATE_ACTIONS, TAG_ON_UPSERT_ACTIONS } from './boundary-actions';

/** Tag keys no team may set to anything but the contract's value, or remove. */
const PROTECTED_TAGS = [TEAM, TAG_KEYS.managedBy];

export interface TeamPermissionsBoundaryProps {
  /**
   * Name of the managed policy (IAM names are account-wide, so one baseline per account creates it).
   * @default DEFAULT_BOUNDARY_POLICY_NAME from the contract
   */
  readonly policyName?: string;
}

/** The boundary as a customer-managed policy named from the platform settings. */
export class TeamPermissionsBoundary extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: TeamPermissionsBoundaryProps = {}) {
    super(scope, id);
    const policyName = props.policyName ?? `${PLATFORM_PREFIX}-team-boundary`;
    this.policy = new ManagedPolicy(this, 'Policy', {
      managedPolicyName: policyName,
      description: 'Springboard team boundary: team isolation by the Team tag, mandatory tags, boundary cannot be removed',
      statements: boundaryStatements(Stack.of(this).partition),
    });
    const ceiling = 'A permissions boundary is a ceiling, not a grant: its service-wide actions limit what any team role may ever be granted, '
      + 'and each role\'s own policies grant least privilege within it (AC-6).';
    for (const rule of ['AwsSolutions-IAM5', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', 'CT.IAM.PR.3']) acknowledge(this.policy, rule, ceiling);
    acknowledge(this.policy, 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', 'Its statements on every action and resource are Deny statements '
      + '(the Team and ManagedBy tags cannot be changed by any action); the only Allow names services. A boundary grants nothing (AC-6).');
  }
}

/** Every statement of the boundary, in the partition. */
export function boundaryStatements(partition: string): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'AllowTeamServices', actions: [...TEAM_ALLOWED_ACTIONS], resources: ['*'] }),
    denyOtherTeamsResources(),
    denyRolesOfOthers(),
    denyBootstrapResources(partition),
    ...denyProtectedTagChanges(),
    denyCreateWithoutOwnTeamTag(),
    denyUpsertOfOthers(),
    denyIamWrites(),
    new PolicyStatement({ sid: 'DenyAccountLevelWrites', effect: Effect.DENY, actions: [...ACCOUNT_LEVEL_DENIED], resources: ['*'] }),
    denyPlatformResourceChanges(partition),
    denyRecoveryPoints(),
  ];
}

/** A principal of team x cannot touch anything tagged with another team. */
function denyOtherTeamsResources(): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyOtherTeamsResources',
    effect: Effect.DENY,
    notActions: ['sts:GetCallerIdentity'],
    resources: ['*'],
    conditions: {
      Null: { [`aws:PrincipalTag/${TEAM}`]: 'false', [`aws:ResourceTag/${TEAM}`]: 'false' },
      StringNotEquals: { [`aws:ResourceTag/${TEAM}`]: PRINCIPAL_TEAM },
    },
  });
}

/**
 * The Team tag may only ever be set to the principal's own team, ManagedBy only to the platform's
 * value, and neither removed. On every action (`*`): an action that carries no tag keys never
 * matches, and tagging actions of every service, present and future, do.
 */
function denyProtectedTagChanges(): PolicyStatement[] {
  const change = (sid: string, key: string, value: string) => new PolicyStatement({
    sid,
    effect: Effect.DENY,
    actions: ['*'],
    resources: ['*'],
    conditions: {
      'ForAnyValue:StringEquals': { 'aws:TagKeys': [key] },
      'StringNotEquals': { [`aws:RequestTag/${key}`]: value },
    },
  });
  return [change('DenyTeamTagChanges', TEAM, PRINCIPAL_TEAM), change('DenyManagedByTagChanges', PROTECTED_TAGS[1], MANAGED_BY_VALUE)];
}

/**
 * Roles are the way up: a team principal may assume, pass, or change (trust, policies, tags,
 * boundary) only roles tagged with its own team. An untagged role (CDK's, a service's) or a
 * platform role fails the condition. Both tag keys are compared: IAM sets either on these requests.
 */
function denyRolesOfOthers(): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyRolesOfOthers',
    effect: Effect.DENY,
    actions: ['sts:AssumeRole', 'sts:TagSession', 'iam:PassRole'],
    resources: ['*'],
    conditions: { StringNotEquals: { [`aws:ResourceTag/${TEAM}`]: PRINCIPAL_TEAM, [`iam:ResourceTag/${TEAM}`]: PRINCIPAL_TEAM } },
  });
}

/** CDK bootstrap roles, assets bucket and repository, and version parameter are the platform pipeline's, never a team's. */
function denyBootstrapResources(partition: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyBootstrapResources',
    effect: Effect.DENY,
    actions: ['*'],
    resources: [
      `arn:${partition}:iam::*:role/cdk-*`, `arn:${partition}:s3:::cdk-*`, `arn:${partition}:ecr:*:*:repository/cdk-*`,
      `arn:${partition}:ssm:*:*:parameter/cdk-bootstrap/*`,
    ],
  });
}

/** An untagged resource would pass the isolation deny, so creation requires the team's own tag. */
function denyCreateWithoutOwnTeamTag(): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyCreateWithoutOwnTeamTag',
    effect: Effect.DENY,
    actions: [...TAG_ON_CREATE_ACTIONS],
    resources: ['*'],
    conditions: { StringNotEquals: { [`aws:RequestTag/${TEAM}`]: PRINCIPAL_TEAM } },
  });
}

/**
 * Create-or-overwrite actions: allowed when the request tags the new resource with the principal's
 * team, or the resource it overwrites already carries that tag (a release record). Overwriting a
 * name nobody owns yet (an untagged create) carries neither, and is refused.
 */
function denyUpsertOfOthers(): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyUpsertOfOthers',
    effect: Effect.DENY,
    actions: [...TAG_ON_UPSERT_ACTIONS],
    resources: ['*'],
    conditions: { StringNotEquals: { [`aws:RequestTag/${TEAM}`]: PRINCIPAL_TEAM, [`aws:ResourceTag/${TEAM}`]: PRINCIPAL_TEAM } },
  });
}

/** Backup is the platform's: no team restores, re-dates, copies or deletes a recovery point, or changes a vault or plan. */
function denyRecoveryPoints(): PolicyStatement {
  return new PolicyStatement({ sid: 'DenyBackup', effect: Effect.DENY, actions: ['backup:*'], resources: ['*'] });
}

/**
 * No IAM writes at all: a team principal cannot create a principal, change a role's trust, policies,
 * tags or boundary, or edit a policy (the boundary included). The allow list grants none either;
 * this deny keeps it so whatever the allow list becomes.
 */
function denyIamWrites(): PolicyStatement {
  return new PolicyStatement({ sid: 'DenyIamWrites', effect: Effect.DENY, actions: [...IAM_WRITE_ACTIONS], resources: ['*'] });
}

/** The log archive belongs to the platform, not to any team (backup is denied whole: DenyBackup). */
function denyPlatformResourceChanges(partition: string): PolicyStatement {
  const archive = `arn:${partition}:s3:::${logArchiveBucketName('*', '*')}`;
  return new PolicyStatement({
    sid: 'DenyPlatformResourceChanges',
    effect: Effect.DENY,
    actions: [
      's3:DeleteBucket*', 's3:PutBucket*', 's3:PutLifecycleConfiguration', 's3:PutObjectRetention',
      's3:PutObject*', 's3:BypassGovernanceRetention', 's3:DeleteObject*',
    ],
    resources: [
      archive,
      `${archive}/*`,
    ],
  });
}

/**
 * Attaches the boundary to every role in `scope`: by reference when the policy is in the same stack,
 * by name otherwise (partition-aware either way).
 */
export function applyPermissionsBoundary(scope: Construct, boundary: IManagedPolicy | string): void {
  const policy = typeof boundary === 'string'
    ? ManagedPolicy.fromManagedPolicyName(scope, 'PermissionsBoundary', boundary)
    : boundary;
  PermissionsBoundary.of(scope).apply(policy);
}
