/**
 * The registry's schema: the single definition from which validation, defaults and the editor's
 * JSON Schema (`schemas/*.schema.json`) are all derived.
 */
import { z } from 'zod';
import { arnPartitionProblem, arnPattern, arnShapeText, ArnKind, parseArn, REGION_PATTERN } from './arns';
import { ingressCidrProblem } from './cidr';
import { MAX_SERVICE_SECRETS, SECRET_REFERENCE_SHAPE, secretReferenceProblem, secretVariableProblem } from './secret-references';
import { ALARM_IDS } from '../contract/alarm-catalogue';
import { SOURCE_PROVIDERS } from '../contract/aws-addressing';
import { teamsChannelIdProblem } from '../contract/chat-ids';
import {
  DEFAULT_APPROVERS_ROLE_NAME,
  DEFAULT_BACKUP_COPY_VAULT_NAME,
  DEFAULT_BREAK_GLASS_ROLE_NAME,
  ENVIRONMENT_NAME_PATTERN,
  MAX_ENVIRONMENT_NAME_LENGTH,
  MAX_TEAM_ID_LENGTH,
  PROD_ENVIRONMENT,
  TEAM_ID_PATTERN,
} from '../contract/naming';
import { reservedTeamIdReason } from '../contract/ownership';
import {
  DEFAULT_CPU_UNITS, DESIRED_COUNT, FARGATE_CPU_UNITS, FARGATE_MEMORY_MIB, type FargateCpuUnits, isFargateCpu, SERVICE_MEMORY_MIB, SERVICE_PORT,
} from '../contract/service-limits';

/** The schema version this release reads. Bump it only with a migration note in MIGRATIONS. */
export const CURRENT_SCHEMA_VERSION = 1;

/** What changed at each version, shown to anyone whose file declares an older one. */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  1: 'version 1 is the first public schema; files written for pre-release builds must set `schemaVersion: 1` and be re-validated with `springboard validate`',
};


const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id in quotes, like "123456789012"');
const region = z.string().regex(REGION_PATTERN, 'an AWS region such as us-east-1 or us-gov-west-1');
const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an e-mail address');
const text = (max: number) => z.string().trim().min(1).max(max);
const cidr = z.string().regex(/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}\/(1[6-9]|2[0-4])$/, 'a private range in 10.0.0.0/8 with a prefix from /16 to /24, like 10.12.0.0/20');
/** An ARN of the strict shape of its kind (partition of its region, one resource by id, no wildcards). */
const arnOf = (kind: ArnKind) =>
  z
    .string()
    .regex(arnPattern(kind), { message: arnShapeText(kind), abort: true })
    .superRefine((value, ctx) => {
      const problem = arnPartitionProblem(kind, value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
/** A range allowed to reach a load balancer: IPv4, on its boundary, narrower than the internet. */
const ingressCidr = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { message: ingressCidrProblem('') ?? '', abort: true })
  .superRefine((value, ctx) => {
    const problem = ingressCidrProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Default of `webAcl.rateLimit`: requests one client IP address may send in any 5-minute window. */
export const DEFAULT_RATE_LIMIT = 2000;
/** The most ranges `loadBalancer.allowedCidrs` takes: each opens two ports, a security group holds 60 rules. */
export const MAX_ALLOWED_CIDRS = 20;

const webAcl = z.strictObject({
  rateLimit: z
    .number()
    .int()
    .min(100)
    .max(2_000_000_000)
    .optional()
    .describe(`requests one client IP address may send in any 5-minute window before the web ACL blocks it (default ${DEFAULT_RATE_LIMIT}; moderate and high only)`),
});

const loadBalancer = z.strictObject({
  scheme: z
    .enum(['internet-facing', 'internal'])
    .optional()
    .describe('internet-facing (default) or internal: reachable only from inside the VPC and the networks connected to it'),
  allowedCidrs: z
    .array(ingressCidr)
    .min(1)
    .max(MAX_ALLOWED_CIDRS)
    .optional()
    .describe('IPv4 ranges that may reach the load balancer; when set, nothing else does (default: anywhere, or the VPC when internal)'),
});

const contact = z.strictObject({ name: text(100), email });

const chat = z.strictObject({
  kind: z.enum(['slack', 'teams']),
  workspaceId: text(64).describe('Slack workspace id or Microsoft Teams tenant id'),
  channelId: text(256),
  teamId: text(64).optional().describe('Microsoft Teams team id (Teams only)'),
}).superRefine((channel, ctx) => {
  const problem = channel.kind === 'teams' ? teamsChannelIdProblem(channel.channelId) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', path: ['channelId'], message: problem });
});

type CpuLiteral = z.ZodLiteral<FargateCpuUnits>;

/** Environment variable name → SSM parameter or Secrets Manager secret (secret-references.ts). */
const secrets = z
  .record(
    z.string().superRefine((name, ctx) => {
      const problem = secretVariableProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    z.string().regex(/^\S+$/, { message: SECRET_REFERENCE_SHAPE, abort: true }).superRefine((value, ctx) => {
      const problem = secretReferenceProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  )
  .refine(map => Object.keys(map).length <= MAX_SERVICE_SECRETS, `at most ${MAX_SERVICE_SECRETS} secrets per service`)
  .optional()
  .describe('environment variables the container receives from SSM SecureString parameters or Secrets Manager secrets of the environment\'s '
    + 'account and region, encrypted with the environment\'s key (docs/secrets.md); environments override them by name');

const service = z.strictObject({
  port: z.number().int().min(SERVICE_PORT.min).max(SERVICE_PORT.max).default(SERVICE_PORT.default),
  cpu: z.union(FARGATE_CPU_UNITS.map(cpu => z.literal(cpu)) as [CpuLiteral, ...CpuLiteral[]]).default(DEFAULT_CPU_UNITS),
  memory: z.number().int().min(SERVICE_MEMORY_MIB.min).max(SERVICE_MEMORY_MIB.max).default(SERVICE_MEMORY_MIB.default),
  desiredCount: z.number().int().min(DESIRED_COUNT.min).max(DESIRED_COUNT.max).default(DESIRED_COUNT.default),
  healthCheckPath: z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, 'a path starting with /, like /health').default('/health'),
  secrets,
});

const serviceOverrides = z.strictObject({
  cpu: service.shape.cpu.unwrap().optional(),
  memory: service.shape.memory.unwrap().optional(),
  desiredCount: service.shape.desiredCount.unwrap().optional(),
  secrets,
});

const database = z.strictObject({
  engine: z.literal('postgres').default('postgres'),
  version: z.enum(['14', '15', '16', '17']).default('16'),
  instanceClass: z.string().regex(/^[a-z][a-z0-9]*\.[a-z0-9]+$/, 'an RDS instance class without the db. prefix, like t4g.medium').default('t4g.medium'),
  allocatedStorageGiB: z.number().int().min(20).max(16384).default(20),
});

const acknowledgedChange = z.strictObject({
  logicalId: z.string().regex(/^[A-Za-z0-9]+$/, 'a CloudFormation logical id'),
  action: z.enum(['Replace', 'Delete', 'Modify']).describe('Replace or Delete the resource, or Modify one property destructively'),
  property: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'a top-level property name like BackupRetentionPeriod, or DeletionPolicy / UpdateReplacePolicy').optional()
    .describe('with Modify only: the property or policy attribute whose destructive change is accepted'),
  reason: z.string().trim().min(20, 'a reason of at least 20 characters that a reviewer can check'),
  reviewer: text(100).describe('who reviewed and accepted the change (name or e-mail)'),
}).superRefine((ack, ctx) => {
  if (ack.action === 'Modify' && !ack.property) {
    ctx.addIssue({ code: 'custom', path: ['property'], message: 'the property whose change is accepted (required with action Modify), like BackupRetentionPeriod or DeletionPolicy' });
  }
  if (ack.action !== 'Modify' && ack.property) {
    ctx.addIssue({ code: 'custom', path: ['property'], message: `no property with action ${ack.action} (it covers the whole resource); use action Modify for one property` });
  }
});

const environment = z.strictObject({
  account: accountId.optional().describe('defaults to the team-level `account`'),
  region: region.optional().describe('defaults to the platform `defaultRegion`'),
  cidr: cidr.optional().describe('defaults to a /20 derived from the team id and environment name'),
  certificateArn: arnOf('certificate').optional().describe('ACM certificate of the HTTPS listener, in this environment\'s account and region'),
  loadBalancer: loadBalancer.optional(),
  webAcl: webAcl.optional().describe('overrides of the team-level `webAcl` for this environment'),
  service: serviceOverrides.optional(),
  database: database.partial().strict().optional(),
  alarms: z.partialRecord(z.enum(ALARM_IDS), z.number().nonnegative()).optional().describe('threshold overrides by alarm catalogue id'),
  acknowledgedChanges: z.array(acknowledgedChange).max(50).optional(),
});

const environmentName = z
  .string()
  .max(MAX_ENVIRONMENT_NAME_LENGTH)
  .regex(ENVIRONMENT_NAME_PATTERN, 'a lower-case word without hyphens, like dev or staging');

export const repositorySchema = z
  .strictObject({
    provider: z.enum(SOURCE_PROVIDERS),
    name: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'owner/name, like example-state/benefits-screener'),
    branch: z.string().regex(/^[A-Za-z0-9._\/-]+$/, 'a branch name, like main').default('main'),
    connectionArn: arnOf('connection').optional().describe('a CodeConnections connection of the tooling account and region'),
  })
  .superRefine((repo, ctx) => {
    if (repo.provider !== 'codecommit' && !repo.connectionArn) {
      ctx.addIssue({ code: 'custom', path: ['connectionArn'], message: `a CodeConnections connection ARN (required for provider ${repo.provider})` });
    }
  });

export const teamSchema = z
  .strictObject({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    id: z
      .string()
      .max(MAX_TEAM_ID_LENGTH)
      .regex(TEAM_ID_PATTERN, 'lower-case words joined by single hyphens, like benefits-screener')
      .superRefine((id, ctx) => {
        const reason = reservedTeamIdReason(id);
        if (reason) ctx.addIssue({ code: 'custom', message: `a team id that is not reserved (${reason}); choose another, like benefits-screener` });
      }),
    displayName: text(100),
    programOffice: text(100),
    costCenter: z.string().regex(/^[A-Za-z0-9._:/=+@ -]{1,64}$/, 'a cost center code usable as a tag value, like CC-4410'),
    contacts: z.strictObject({ owner: contact, onCall: contact, chat: chat.optional() }),
    dataClassification: z.enum(['low', 'moderate', 'high']).describe('FIPS 199 impact level'),
    repository: repositorySchema,
    account: accountId.optional().describe('default account for environments that name none'),
    service: service.prefault({}),
    database: database.optional(),
    webAcl: webAcl.optional().describe('the web ACL in front of the load balancers (moderate and high)'),
    budget: z.strictObject({ monthlyUsd: z.number().positive().max(10_000_000) }),
    environments: z
      .record(environmentName, environment)
      .optional()
      .describe(`defaults to dev, staging and ${PROD_ENVIRONMENT}; promotion order is the order written, ${PROD_ENVIRONMENT} last`),
  })
  .superRefine(checkService)
  .superRefine(checkEnvironments)
  .superRefine(checkHttpsByClassification);

function checkService(team: { service: { cpu: number; memory: number } }, ctx: z.RefinementCtx): void {
  const [min, max] = isFargateCpu(team.service.cpu) ? FARGATE_MEMORY_MIB[team.service.cpu] : [0, 0];
  if (team.service.memory < min || team.service.memory > max) {
    ctx.addIssue({ code: 'custom', path: ['service', 'memory'], message: `memory between ${min} and ${max} MiB for cpu ${team.service.cpu} (a Fargate limit)` });
  }
}

function checkEnvironments(
  team: { account?: string; environments?: Record<string, { account?: string; certificateArn?: string }> },
  ctx: z.RefinementCtx,
): void {
  const envs = team.environments;
  if (!envs) {
    if (!team.account) ctx.addIssue({ code: 'custom', path: ['account'], message: 'an `account` for the default environments, or an `environments` map' });
    return;
  }
  const names = Object.keys(envs);
  if (!names.includes(PROD_ENVIRONMENT)) {
    ctx.addIssue({ code: 'custom', path: ['environments'], message: `an environment named ${PROD_ENVIRONMENT} (every team has production); found ${names.join(', ') || 'none'}` });
  }
  if (names.length > 6) {
    ctx.addIssue({ code: 'custom', path: ['environments'], message: `at most 6 environments (a pipeline stage each); found ${names.length}` });
  }
  for (const [name, env] of Object.entries(envs)) {
    if (!env.account && !team.account) {
      ctx.addIssue({ code: 'custom', path: ['environments', name, 'account'], message: 'an account here or a team-level `account`' });
    }
  }
}

interface ExposureInput {
  dataClassification: 'low' | 'moderate' | 'high';
  webAcl?: object;
  environments?: Record<string, { certificateArn?: string; loadBalancer?: { scheme?: string }; webAcl?: object }>;
}

/**
 * Prod serves HTTPS only at every level; at moderate and high every environment does, unless its
 * load balancer is internal. A web ACL setting where no web ACL exists (low) would only mislead.
 */
function checkHttpsByClassification(team: ExposureInput, ctx: z.RefinementCtx): void {
  const envs = team.environments;
  if (!envs) {
    ctx.addIssue({ code: 'custom', path: ['environments'], message: `an \`environments\` map that gives ${PROD_ENVIRONMENT} a certificateArn (${PROD_ENVIRONMENT} serves HTTPS only)` });
    return;
  }
  const everywhere = team.dataClassification !== 'low';
  for (const [name, env] of Object.entries(envs)) {
    if (env.certificateArn) continue;
    if (name === PROD_ENVIRONMENT) {
      ctx.addIssue({ code: 'custom', path: ['environments', name, 'certificateArn'], message: 'an ACM certificate ARN: prod serves HTTPS only' });
    } else if (everywhere && env.loadBalancer?.scheme !== 'internal') {
      const message = `an ACM certificate ARN: data classified ${team.dataClassification} is served over HTTPS only in every environment `
        + '(or set loadBalancer.scheme: internal to keep this environment off the internet)';
      ctx.addIssue({ code: 'custom', path: ['environments', name, 'certificateArn'], message });
    }
  }
  if (team.dataClassification === 'low') {
    const written = [...(team.webAcl ? [['webAcl']] : []), ...Object.entries(envs).filter(([, e]) => e.webAcl).map(([n]) => ['environments', n, 'webAcl'])];
    for (const path of written) {
      ctx.addIssue({ code: 'custom', path, message: 'no `webAcl` setting at data classification low: a low environment has no web ACL (remove it, or classify the data moderate)' });
    }
  }
}

/** The platform pipelines run in the tooling account and region, and so must their source connection. */
interface PlatformConnectionInput {
  tooling: { account: string; region: string };
  pipeline?: { repository: { connectionArn?: string } };
}

function checkPlatformConnection(platform: PlatformConnectionInput, ctx: z.RefinementCtx): void {
  const arn = platform.pipeline?.repository.connectionArn;
  const parsed = arn ? parseArn('connection', arn) : undefined;
  if (!parsed || (parsed.account === platform.tooling.account && parsed.region === platform.tooling.region)) return;
  ctx.addIssue({
    code: 'custom',
    path: ['pipeline', 'repository', 'connectionArn'],
    message: `a connection of the tooling account ${platform.tooling.account} ${platform.tooling.region}, where the platform pipelines run (this one is in account ${parsed.account} ${parsed.region})`,
  });
}

/**
 * The pipelines that deploy Springboard itself. A wave is one pipeline stage and each of its stacks
 * one action; CodePipeline allows 50 actions per stage, and a wave uses at most half of them.
 */
export const MAX_WAVE_WIDTH = 25;

const approvers = z.strictObject({
  roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').optional()
    .describe(`role in the tooling account, the only one Springboard deploys that may approve a platform pipeline's prod or tooling deploys; defaults to ${DEFAULT_APPROVERS_ROLE_NAME}`),
  contact: contact.optional().describe('receives every approval request of the platform pipelines (e-mail)'),
  chat: chat.optional().describe('chat channel that receives every approval request'),
});

const platformPipeline = z.strictObject({
  repository: repositorySchema.describe('the Springboard repository itself (this registry lives in it)'),
  approvers: approvers.optional().describe('who approves the platform pipelines\' prod and tooling deploys, and where approval requests are announced'),
  waveWidth: z
    .number()
    .int()
    .min(1)
    .max(MAX_WAVE_WIDTH, `at most ${MAX_WAVE_WIDTH} stacks per wave (half of CodePipeline's 50 actions per stage; a stack is one action)`)
    .default(10)
    .describe('stacks deployed in parallel in one wave (one pipeline stage) of the platform pipeline'),
});

/** A criterion's two thresholds: a value at or above `amber` is amber, at or above `red` is red. */
const levelThresholds = (what: string, amber: number, red: number) => z
  .strictObject({
    amber: z.number().min(0).default(amber).describe(`${what} from which the criterion is amber`),
    red: z.number().min(0).default(red).describe(`${what} from which the criterion is red`),
  })
  .refine(t => t.red >= t.amber, { message: 'red must be at or above amber (red is the worse level)' })
  .prefault({});

const doraBand = z.enum(['elite', 'high', 'medium', 'low']);

/** Thresholds of the portfolio scorecard (`springboard fleet scorecard`, docs/portfolio.md). */
export const portfolioSchema = z
  .strictObject({
    doraBand: z.strictObject({
      amber: doraBand.default('medium').describe('a team whose worst DORA band is this or worse is amber'),
      red: doraBand.default('low').describe('a team whose worst DORA band is this or worse is red'),
    }).prefault({}),
    templateMinorVersionsBehind: levelThresholds('minor versions of springboard-service behind this checkout (a major version behind is red)', 1, 3),
    prodReleaseAgeDays: levelThresholds('days since the last prod release', 30, 90),
    acknowledgedFindings: levelThresholds('acknowledged findings and disabled-rule findings on the team\'s stacks', 25, 100),
    alarmsInAlarm: levelThresholds('alarms of the team in ALARM now', 1, 3),
    budgetUsePercent: levelThresholds('percent of the monthly budget spent', 80, 100),
    criticalMaxAgeDays: z.number().int().min(0).max(365).default(15)
      .describe('a critical vulnerability running in prod longer than this many days makes `fleet vulns` exit 1 and the scorecard red (CISA BOD 19-02: 15 days)'),
  })
  .prefault({});

export const platformSchema = z
  .strictObject({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    organization: text(200),
    tooling: z.strictObject({ account: accountId, region }),
    defaultRegion: region.optional().describe('defaults to the tooling region'),
    permissionsBoundaryName: z.string().regex(/^[\w+=,.@-]{1,128}$/, 'an IAM policy name').optional(),
    breakGlassRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').optional()
      .describe(`the only role that may disable or schedule deletion of the keys of prod data, backups and the log archive; defaults to ${DEFAULT_BREAK_GLASS_ROLE_NAME}`),
    backupCopy: z.strictObject({
      account: accountId.describe('a backup account that holds no environment'),
      vaultName: z.string().regex(/^[A-Za-z0-9_-]{2,50}$/, 'a backup vault name').optional().describe(`defaults to ${DEFAULT_BACKUP_COPY_VAULT_NAME}`),
    }).optional().describe('copy every prod recovery point to this vault of a separate backup account, in the same region'),
    logRetention: z
      .strictObject({
        searchableDays: z.number().int().min(30).max(3653).default(365),
        totalDays: z.number().int().min(913, 'at least 913 days (30 months, OMB M-21-31)').max(3653).default(913),
      })
      .prefault({}),
    tags: z.record(z.string().regex(/^[\w.:/=+@ -]{1,128}$/, 'a tag key'), z.string().max(256)).optional(),
    pipeline: platformPipeline.optional().describe('the platform pipelines; without it, none is built'),
    observabilitySinkArns: z
      .record(region, z.string().regex(/^arn:[a-z-]+:oam:[a-z0-9-]+:\d{12}:sink\/[A-Za-z0-9-]+$/, 'an OAM sink ARN like arn:aws:oam:us-east-1:111111111111:sink/<id>'))
      .optional()
      .describe('sink ARN of the tooling account per region, recorded after the tooling baseline is deployed; the other accounts link to it'),
    payerAccount: accountId.optional().describe('the organization\'s management (payer) account; when it is the tooling account, team budgets live there'),
    imageScanning: z
      .enum(['basic', 'enhanced'])
      .default('basic')
      .describe('how the tooling account scans team images: ECR basic scanning (OS packages only) or enhanced scanning with Amazon Inspector (OS and language packages, billed by Inspector)'),
    portfolio: portfolioSchema.describe('thresholds of the portfolio scorecard (`springboard fleet scorecard`)'),
  })
  .superRefine(checkPlatformConnection)
  .superRefine(checkBackupAccount);

/** A backup copy must leave the accounts it protects: not the tooling account (environments are checked across files). */
function checkBackupAccount(platform: { tooling: { account: string }; backupCopy?: { account: string } }, ctx: z.RefinementCtx): void {
  if (platform.backupCopy && platform.backupCopy.account === platform.tooling.account) {
    ctx.addIssue({ code: 'custom', path: ['backupCopy', 'account'], message: 'a backup account other than the tooling account (a copy must leave the accounts it protects)' });
  }
}

export type TeamInput = z.infer<typeof teamSchema>;
export type PlatformInput = z.infer<typeof platformSchema>;
export type PortfolioThresholds = z.infer<typeof portfolioSchema>;
