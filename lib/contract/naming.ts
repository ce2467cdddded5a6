/**
 * The naming contract: every name that AWS, other tools and other teams rely on is derived here,
 * from a team id and an environment name, and nowhere else. Changing a function in this file
 * renames (and therefore replaces) live resources; see docs/contracts.md before touching it.
 */

/** Prefix of every name Springboard gives to AWS. */
export const PLATFORM_PREFIX = 'springboard';

/**
 * Longest team id. The longest derived name is an IAM role,
 * `springboard-<team>-<env>-<purpose>`, and IAM allows 64 characters:
 * 12 (prefix and hyphen) + 24 (team) + 1 + 10 (environment) + 1 + 16 (purpose) = 64.
 */
export const MAX_TEAM_ID_LENGTH = 24;
/** Longest environment name (see MAX_TEAM_ID_LENGTH for the budget it belongs to). */
export const MAX_ENVIRONMENT_NAME_LENGTH = 10;
/** Longest role purpose suffix (see MAX_TEAM_ID_LENGTH). */
export const MAX_ROLE_PURPOSE_LENGTH = 16;

/**
 * Team ids: lower-case words joined by single hyphens. No `--`, so `--` never occurs inside an id,
 * and nothing that could be read as a CloudFormation expression (`${...}`, `Fn::`, `Ref`) fits.
 */
export const TEAM_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/**
 * Environment names: one lower-case word without hyphens. Because environments never contain a
 * hyphen, `<team>-<env>` splits uniquely at its last hyphen: `pay`/`prod-east` cannot exist next
 * to `pay-prod`/`east`.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9]*$/;

/** The environment that is production. Every team must have it; it is promoted to last. */
export const PROD_ENVIRONMENT = 'prod';
/** Environments a team gets when its file names none, in promotion order. */
export const DEFAULT_ENVIRONMENTS = ['dev', 'staging', PROD_ENVIRONMENT] as const;

/** AWS limits the derived names are checked against. */
export const AWS_NAME_LIMITS = {
  stackName: 128,
  pipelineName: 100,
  iamRoleName: 64,
  ecrRepositoryName: 256,
  snsTopicName: 256,
  budgetName: 100,
  dashboardName: 255,
  codeBuildProjectName: 255,
} as const;

/** Kinds of stack. Each kind has its own second segment, so names of different kinds never collide. */
export type StackKind = 'env' | 'delivery' | 'baseline' | 'platform';

/** Stack of one team's environment: `springboard-env-<team>-<env>`. */
export function environmentStackName(teamId: string, environment: string): string {
  return `${PLATFORM_PREFIX}-env-${teamId}-${environment}`;
}

/**
 * Reverse of environmentStackName: the team and environment a stack name belongs to, or undefined
 * when it is not an environment stack name. Exact: environments contain no hyphen, so the name
 * splits at its last hyphen, and the result must derive the very same name again
 * (`springboard-env-zeta-apply-prod` is team `zeta-apply`, never team `apply`).
 */
export function parseEnvironmentStackName(stackName: string): { readonly teamId: string; readonly environment: string } | undefined {
  const prefix = environmentStackName('', '').slice(0, -1);
  if (!stackName.startsWith(prefix)) return undefined;
  const rest = stackName.slice(prefix.length);
  const cut = rest.lastIndexOf('-');
  if (cut <= 0) return undefined;
  const teamId = rest.slice(0, cut);
  const environment = rest.slice(cut + 1);
  const valid = TEAM_ID_PATTERN.test(teamId) && teamId.length <= MAX_TEAM_ID_LENGTH
    && ENVIRONMENT_NAME_PATTERN.test(environment) && environment.length <= MAX_ENVIRONMENT_NAME_LENGTH;
  return valid && environmentStackName(teamId, environment) === stackName ? { teamId, environment } : undefined;
}

/** Stack holding one team's delivery pipeline, in the tooling account: `springboard-delivery-<team>`. */
export function deliveryStackName(teamId: string): string {
  return `${PLATFORM_PREFIX}-delivery-${teamId}`;
}

/** Baseline stack shared by every team in one account and region: `springboard-baseline-<account>-<region>`. */
export function baselineStackName(account: string, region: string): string {
  return `${PLATFORM_PREFIX}-baseline-${account}-${region}`;
}

/** Fleet-wide stacks in the tooling account (portfolio dashboard, platform pipeline): `springboard-platform-<name>`. */
export function platformStackName(name: string): string {
  return `${PLATFORM_PREFIX}-platform-${name}`;
}

/**
 * Pipelines that deploy Springboard itself use `--`, which no team id contains: they can never
 * collide with a team's `springboard-<team>`, and `teamIdFromPipelineName` never reads them as a team.
 */
export const PLATFORM_PIPELINE_NAME = `${PLATFORM_PREFIX}--platform`;

/** The pipeline that deploys one team's Springboard stacks (delivery, environments): `springboard--platform--<team>`. */
export function teamPlatformPipelineName(teamId: string): string {
  return `${PLATFORM_PIPELINE_NAME}--${teamId}`;
}

/** Stack of the platform pipeline (baselines, pipeline definitions, release): `springboard-platform-pipeline`. */
export const PLATFORM_PIPELINE_STACK_NAME = platformStackName('pipeline');

/** Stack of the pipeline that deploys one team's Springboard stacks: `springboard-platform-deploy-<team>`. */
export function teamPlatformPipelineStackName(teamId: string): string {
  return platformStackName(`deploy-${teamId}`);
}

/**
 * Default name of the approvers role, in the tooling account: the only principal Springboard deploys
 * that may approve a platform pipeline's prod or tooling deploys (the registry may override it).
 */
export const DEFAULT_APPROVERS_ROLE_NAME = `${PLATFORM_PREFIX}-platform-approvers`;

/** Topic a platform pipeline's approvals are announced on: `<pipeline>-approvals`. */
export function approvalTopicName(platformPipelineName: string): string {
  return `${platformPipelineName}-approvals`;
}

/** The deploy projects of a platform pipeline, each with a named role (the bootstrap trusts them by name). */
export type PlatformDeployKind = 'non-prod' | 'prod';

/**
 * Role of a platform pipeline's non-prod or prod deploy project: `<pipeline>-nonprod-deploy`,
 * `<pipeline>-prod-deploy`. Named, so the customised bootstrap template of each account
 * (bootstrap/) and the organisation's SCP can trust exactly these by `aws:PrincipalArn`.
 */
export function platformDeployRoleName(platformPipelineName: string, kind: PlatformDeployKind): string {
  return `${platformPipelineName}-${kind === 'prod' ? 'prod' : 'nonprod'}-deploy`;
}

/** Pattern of every platform pipeline's deploy role of one kind (for `ArnLike` conditions). */
export function platformDeployRolePattern(kind: PlatformDeployKind): string {
  return platformDeployRoleName(`${PLATFORM_PIPELINE_NAME}*`, kind);
}

/** A team's delivery pipeline (CodePipeline V2): `springboard-<team>`. */
export function pipelineName(teamId: string): string {
  return `${PLATFORM_PREFIX}-${teamId}`;
}

/** Reverse of pipelineName, for discovery: the team id, or undefined when the name is not Springboard's. */
export function teamIdFromPipelineName(name: string): string | undefined {
  const prefix = `${PLATFORM_PREFIX}-`;
  if (!name.startsWith(prefix)) return undefined;
  const id = name.slice(prefix.length);
  return TEAM_ID_PATTERN.test(id) && id.length <= MAX_TEAM_ID_LENGTH ? id : undefined;
}

/** Pipeline stage names before the environments. */
export const SOURCE_STAGE_NAME = 'Source';
export const BUILD_STAGE_NAME = 'Build';

/** The pipeline stage that deploys an environment: its name with a capital first letter (`dev` → `Dev`). */
export function environmentStageName(environment: string): string {
  return environment.charAt(0).toUpperCase() + environment.slice(1);
}

/** The stage that deploys production. */
export const PROD_STAGE_NAME = environmentStageName(PROD_ENVIRONMENT);

/** Action names inside an environment stage, in order. */
export const APPROVAL_ACTION_NAME = 'Approve';
export const DEPLOY_ACTION_NAME = 'Deploy';
export const VERIFY_ACTION_NAME = 'Verify';
/** Runs the repository's migrate command before Deploy, where springboard.json sets one (docs/migrations.md). */
export const MIGRATE_ACTION_NAME = 'Migrate';

/**
 * Which action of the prod stage is "the deploy": the last action of category Deploy in it.
 * Works on anything shaped like CodePipeline's action declarations or action executions.
 */
export function prodDeployActionIndex(actions: ReadonlyArray<{ category?: string }>): number {
  for (let i = actions.length - 1; i >= 0; i--) {
    if (actions[i].category === 'Deploy') return i;
  }
  return -1;
}

/** Role names, all bounded by MAX_TEAM_ID_LENGTH: `springboard-<team>[-<env>]-<purpose>`. */
export function teamRoleName(teamId: string, purpose: string, environment?: string): string {
  const parts = [PLATFORM_PREFIX, teamId, ...(environment ? [environment] : []), purpose];
  return parts.join('-');
}

/** Role in each environment's account that the team's pipeline assumes to deploy there. */
export function deployRoleName(teamId: string, environment: string): string {
  return teamRoleName(teamId, 'deploy', environment);
}

/**
 * Task role of the one-off migration task in each environment with a database: signs in to the
 * database as the migrator user, which owns the schema (docs/migrations.md).
 */
export function migratorTaskRoleName(teamId: string, environment: string): string {
  return teamRoleName(teamId, 'migrator', environment);
}

/**
 * Role of the team's Migrate step function in the tooling account: the one principal besides the
 * pipeline role that a deploy role of an environment with a database trusts (docs/migrations.md).
 */
export function migrateStepRoleName(teamId: string): string {
  return teamRoleName(teamId, 'migrate');
}

/** Role of the team's pipeline in the tooling account. */
export function pipelineRoleName(teamId: string): string {
  return teamRoleName(teamId, 'pipeline');
}

/**
 * The read-only role Springboard's commands (`springboard doctor`, `springboard fleet`) assume in
 * each account: deployed by every account's home-region baseline, allowed exactly READER_ACTIONS
 * (lib/contract/reader-actions.ts) and trusted as docs/first-deploy.md explains.
 */
export const READER_ROLE_NAME = `${PLATFORM_PREFIX}-reader`;

/** The fleet view's role: the same reader role (one name for every read-only command). */
export const FLEET_READER_ROLE_NAME = READER_ROLE_NAME;

/** The reader role's own permissions boundary (the team boundary is not its ceiling). */
export const READER_BOUNDARY_NAME = `${PLATFORM_PREFIX}-reader-boundary`;

/**
 * Default name of the break-glass role: the only principal that may disable or schedule the deletion
 * of the keys that encrypt prod data, backups and the log archive (the registry may override it).
 */
export const DEFAULT_BREAK_GLASS_ROLE_NAME = `${PLATFORM_PREFIX}-break-glass`;

/** Default name of the vault in the backup account that prod recovery points are copied to. */
export const DEFAULT_BACKUP_COPY_VAULT_NAME = `${PLATFORM_PREFIX}-backup-copy`;

/** Default name of the permissions boundary every team role carries (the registry may override it). */
export const DEFAULT_BOUNDARY_POLICY_NAME = `${PLATFORM_PREFIX}-team-boundary`;

/** The team's image repository (ECR), shared by its environments. */
export function imageRepositoryName(teamId: string): string {
  return `${PLATFORM_PREFIX}/${teamId}`;
}

/** AWS Budgets budget of a team (one per account that holds it): `springboard-<team>`. */
export function budgetName(teamId: string): string {
  return `${PLATFORM_PREFIX}-${teamId}`;
}

/** CloudFormation type of the one resource per baseline that creates its teams' release records. */
export const RELEASE_RECORDS_RESOURCE_TYPE = 'Custom::SpringboardReleaseRecords';

/** SSM parameter holding the image a team has released to an environment (the release record). */
export function releaseParameterName(teamId: string, environment: string): string {
  return `/${PLATFORM_PREFIX}/${teamId}/${environment}/release`;
}

/** SNS topic for a team environment's alarms and pipeline notifications. */
export function alertTopicName(teamId: string, environment: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-${environment}-alerts`;
}

/**
 * SNS topic of a team's delivery pipeline, in the tooling account: approvals, failures, prod
 * releases. The environments' alert topics live in the environment accounts; this one sits next
 * to the pipeline so it can be encrypted with the pipeline's key and reached without cross-account
 * publishing.
 */
export function deliveryTopicName(teamId: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-delivery`;
}

/**
 * CodeBuild projects of a team's delivery: `springboard-<team>-build` and `springboard-<team>-verify`
 * (the pipeline's), `springboard-<team>-pull-requests` (the pull-request checks; also its role's name).
 */
export function deliveryProjectName(teamId: string, purpose: 'build' | 'verify' | 'pull-requests'): string {
  return `${PLATFORM_PREFIX}-${teamId}-${purpose}`;
}

/** Image repository of a team's pull-request builds (tooling account), apart from the release repository. */
export function pullRequestImageRepositoryName(teamId: string): string {
  return `${imageRepositoryName(teamId)}/pull-requests`;
}

/**
 * Alias of the key that encrypts a team's pipeline artifacts in each region of the tooling account
 * (KMS keys are regional; the alias is the same in every region).
 */
export function deliveryKeyAlias(teamId: string): string {
  return `alias/${PLATFORM_PREFIX}-${teamId}-delivery`;
}

/**
 * Construct id of a team's delivery stack in another region of the tooling account (its artifact
 * store there). The CloudFormation stack name is `deliveryStackName(team)`: stack names are
 * per region, and `--` never occurs in a team id, so the construct id cannot collide.
 */
export function deliveryRegionStackId(teamId: string, region: string): string {
  return `${deliveryStackName(teamId)}--${region}`;
}

/** ECS cluster and service of a team environment: `springboard-<team>-<env>`. */
export function serviceName(teamId: string, environment: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-${environment}`;
}

/** CloudWatch log group of a team environment's service. */
export function serviceLogGroupName(teamId: string, environment: string): string {
  return `/${PLATFORM_PREFIX}/${teamId}/${environment}/service`;
}

/** The tag keys every taggable resource carries. */
export const TAG_KEYS = {
  team: 'Team',
  environment: 'Environment',
  programOffice: 'ProgramOffice',
  costCenter: 'CostCenter',
  dataClassification: 'DataClassification',
  managedBy: 'ManagedBy',
} as const;
/** Value of the ManagedBy tag. */
export const MANAGED_BY_VALUE = PLATFORM_PREFIX;

/**
 * Where the compliance gate writes into the cloud assembly: this file at the assembly's root holds
 * the verdict, every finding, every acknowledgment and the platform-wide disabled rules.
 */
export const COMPLIANCE_REPORT_FILE = 'springboard-compliance.json';
/**
 * Template metadata key under which an environment stack records its environment's acknowledged
 * destructive changes (the prod data guard's), for the audit.
 */
export const ACKNOWLEDGED_CHANGES_METADATA_KEY = 'springboard:acknowledgedChanges';
/** Resource metadata key under which acknowledgments are also written into each template. */
export const ACKNOWLEDGMENT_METADATA_KEY = 'springboard:acknowledgments';

/** A derived name that exceeds its AWS limit, for the registry's cross-file checks. */
export interface NameLimitViolation {
  readonly kind: keyof typeof AWS_NAME_LIMITS;
  readonly name: string;
  readonly limit: number;
}

/** Every name derived for one team, checked against the AWS limits. */
export function checkDerivedNameLimits(teamId: string, environments: readonly string[]): NameLimitViolation[] {
  const candidates: Array<[keyof typeof AWS_NAME_LIMITS, string]> = [
    ['pipelineName', pipelineName(teamId)],
    ['pipelineName', teamPlatformPipelineName(teamId)],
    ['stackName', deliveryStackName(teamId)],
    ['stackName', teamPlatformPipelineStackName(teamId)],
    ['iamRoleName', pipelineRoleName(teamId)],
    ['iamRoleName', platformDeployRoleName(teamPlatformPipelineName(teamId), 'non-prod')],
    ['ecrRepositoryName', imageRepositoryName(teamId)],
    ['snsTopicName', deliveryTopicName(teamId)],
    ['codeBuildProjectName', deliveryProjectName(teamId, 'pull-requests')],
    ['iamRoleName', deliveryProjectName(teamId, 'pull-requests')],
    ['ecrRepositoryName', pullRequestImageRepositoryName(teamId)],
  ];
  for (const env of environments) {
    candidates.push(['stackName', environmentStackName(teamId, env)]);
    candidates.push(['iamRoleName', deployRoleName(teamId, env)]);
    candidates.push(['snsTopicName', alertTopicName(teamId, env)]);
  }
  return candidates
    .filter(([kind, name]) => name.length > AWS_NAME_LIMITS[kind])
    .map(([kind, name]) => ({ kind, name, limit: AWS_NAME_LIMITS[kind] }));
}
