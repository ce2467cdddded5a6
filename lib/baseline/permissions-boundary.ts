/**
 * The permissions boundary every team role carries. Team isolation is attribute-based: a principal
 * tagged `Team=x` may act only on resources that are untagged or tagged `Team=x`, may not move the
 * Team tag, may not create resources without its own Team tag, and cannot shed the boundary.
 */
import { Stack } from 'aws-cdk-lib';
import { Effect, IManagedPolicy, ManagedPolicy, PermissionsBoundary, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { PLATFORM_PREFIX, TAG_KEYS } from '../contract';
import { boundaryPolicyArn, logArchiveBucketName } from './names';

const TEAM = TAG_KEYS.team;
const PRINCIPAL_TEAM = `\${aws:PrincipalTag/${TEAM}}`;

/** Services a team's workloads and deploy roles use; nothing else is reachable through the boundary. */
export const TEAM_ALLOWED_ACTIONS: readonly string[] = [
  'application-autoscaling:*', 'backup:*', 'cloudformation:*', 'cloudwatch:*', 'dynamodb:*',
  'ec2:Describe*', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses', 'ecr:*', 'ecs:*', 'elasticloadbalancing:*', 'events:*', 'lambda:*', 'logs:*',
  'rds:*', 'rds-db:connect', 's3:*', 'secretsmanager:*', 'sns:*', 'sqs:*', 'ssm:*', 'states:*',
  'tag:GetResources', 'xray:*',
  // Pipelines assume their deploy roles; DenyOtherTeamsResources still refuses roles tagged with another team.
  'sts:AssumeRole',
  'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:CreateGrant',
  'iam:GetRole', 'iam:ListRoles', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy',
  'iam:PassRole', 'iam:CreateRole', 'iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
];

/** Actions that add or remove tags, per service a team reaches. */
export const TAGGING_ACTIONS: readonly string[] = [
  'dynamodb:TagResource', 'dynamodb:UntagResource', 'ec2:CreateTags', 'ec2:DeleteTags', 'ecr:TagResource',
  'ecr:UntagResource', 'ecs:TagResource', 'ecs:UntagResource', 'elasticloadbalancing:AddTags',
  'elasticloadbalancing:RemoveTags', 'events:TagResource', 'events:UntagResource', 'iam:TagRole', 'iam:UntagRole',
  'kms:TagResource', 'kms:UntagResource', 'lambda:TagResource', 'lambda:UntagResource', 'logs:TagResource',
  'logs:UntagResource', 'logs:TagLogGroup', 'logs:UntagLogGroup', 'rds:AddTagsToResource',
  'rds:RemoveTagsFromResource', 's3:PutBucketTagging', 's3:DeleteBucketTagging', 'secretsmanager:TagResource',
  'secretsmanager:UntagResource', 'sns:TagResource', 'sns:UntagResource', 'sqs:TagQueue', 'sqs:UntagQueue',
  'ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'states:TagResource', 'states:UntagResource',
];

/** Create actions that accept tags (`aws:RequestTag`), so the boundary can require the team's tag on them. */
export const TAG_ON_CREATE_ACTIONS: readonly string[] = [
  'dynamodb:CreateTable', 'ecr:CreateRepository', 'ecs:CreateCluster', 'ecs:CreateService',
  'ecs:RegisterTaskDefinition', 'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup',
  'events:CreateEventBus', 'iam:CreateRole', 'lambda:CreateFunction', 'logs:CreateLogGroup', 'rds:CreateDBCluster',
  'rds:CreateDBInstance', 'secretsmanager:CreateSecret', 'sns:CreateTopic', 'sqs:CreateQueue',
  'states:CreateStateMachine',
];

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
    const arn = boundaryPolicyArn(Stack.of(this), policyName);
    this.policy = new ManagedPolicy(this, 'Policy', {
      managedPolicyName: policyName,
      description: 'Springboard team boundary: team isolation by the Team tag, mandatory tags, boundary cannot be removed',
      statements: boundaryStatements(arn, Stack.of(this).partition),
    });
    const ceiling = 'A permissions boundary is a ceiling, not a grant: its service-wide actions limit what any team role may ever be granted, '
      + 'and each role\'s own policies grant least privilege within it (AC-6).';
    for (const rule of ['AwsSolutions-IAM5', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', 'CT.IAM.PR.3']) acknowledge(this.policy, rule, ceiling);
  }
}

/** Every statement of the boundary, given the boundary's own ARN and the partition. */
export function boundaryStatements(boundaryArn: string, partition: string): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'AllowTeamServices', actions: [...TEAM_ALLOWED_ACTIONS], resources: ['*'] }),
    denyOtherTeamsResources(),
    denyTeamTagChanges(),
    denyCreateWithoutOwnTeamTag(),
    ...protectBoundary(boundaryArn),
    denyPlatformResourceChanges(partition),
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

/** The Team tag may only ever be set to the principal's own team, and never removed. */
function denyTeamTagChanges(): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyTeamTagChanges',
    effect: Effect.DENY,
    actions: [...TAGGING_ACTIONS],
    resources: ['*'],
    conditions: {
      'ForAnyValue:StringEquals': { 'aws:TagKeys': [TEAM] },
      'StringNotEquals': { [`aws:RequestTag/${TEAM}`]: PRINCIPAL_TEAM },
    },
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

/** The boundary cannot be edited, detached, or left off a new role or user. */
function protectBoundary(boundaryArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'DenyBoundaryEdits',
      effect: Effect.DENY,
      actions: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
      resources: [boundaryArn],
    }),
    new PolicyStatement({
      sid: 'DenyBoundaryRemoval',
      effect: Effect.DENY,
      actions: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'DenyPrincipalsWithoutBoundary',
      effect: Effect.DENY,
      actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:CreateUser', 'iam:PutUserPermissionsBoundary'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    }),
  ];
}

/** The shared vault, backup plan and log archive belong to the platform, not to any team. */
function denyPlatformResourceChanges(partition: string): PolicyStatement {
  const archive = `arn:${partition}:s3:::${logArchiveBucketName('*', '*')}`;
  return new PolicyStatement({
    sid: 'DenyPlatformResourceChanges',
    effect: Effect.DENY,
    actions: [
      'backup:Delete*', 'backup:Put*', 'backup:Update*', 'backup:Disassociate*',
      's3:DeleteBucket*', 's3:PutBucket*', 's3:PutLifecycleConfiguration', 's3:PutObjectRetention',
      's3:PutObjectLegalHold', 's3:BypassGovernanceRetention', 's3:DeleteObject*',
    ],
    resources: [
      `arn:${partition}:backup:*:*:backup-vault:*`,
      `arn:${partition}:backup:*:*:backup-plan:*`,
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
