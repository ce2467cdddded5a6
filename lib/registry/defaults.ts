/** Turns validated input into the resolved, typed registry: defaults, overrides and derived ranges. */
import { createHash } from 'node:crypto';
import { blockCidr, DERIVED_BLOCKS } from './cidr';
import { DEFAULT_RATE_LIMIT, PlatformInput, TeamInput } from './schema';
import { parseSecretReference, secretArn } from './secret-references';
import type { EnvironmentSpec, PlatformSettings, ServiceSecret, TeamSpec } from './types';
import { DEFAULT_BACKUP_COPY_VAULT_NAME, DEFAULT_BOUNDARY_POLICY_NAME, DEFAULT_BREAK_GLASS_ROLE_NAME, DEFAULT_ENVIRONMENTS, PROD_ENVIRONMENT } from '../contract/naming';

/**
 * A /20 inside 10.0.0.0/8 derived from the team id and environment only, so adding or removing
 * another team never moves an existing VPC. Overlaps are possible (4,096 ranges) and are reported
 * as warnings within one account and region; write `cidr:` to pick one by hand.
 */
export function derivedCidr(teamId: string, environment: string): string {
  const digest = createHash('sha256').update(`${teamId}/${environment}`).digest();
  return blockCidr(digest.readUInt16BE(0) % DERIVED_BLOCKS);
}

export function resolvePlatform(input: PlatformInput | undefined, sourceFile: string | undefined): PlatformSettings {
  if (!input) {
    throw new Error('platform settings are required');
  }
  return {
    organization: input.organization,
    tooling: input.tooling,
    defaultRegion: input.defaultRegion ?? input.tooling.region,
    permissionsBoundaryName: input.permissionsBoundaryName ?? DEFAULT_BOUNDARY_POLICY_NAME,
    breakGlassRoleName: input.breakGlassRoleName ?? DEFAULT_BREAK_GLASS_ROLE_NAME,
    backupCopy: input.backupCopy && { account: input.backupCopy.account, vaultName: input.backupCopy.vaultName ?? DEFAULT_BACKUP_COPY_VAULT_NAME },
    logRetention: input.logRetention,
    tags: input.tags ?? {},
    pipeline: input.pipeline,
    observabilitySinkArns: input.observabilitySinkArns ?? {},
    payerAccount: input.payerAccount,
    imageScanning: input.imageScanning,
    portfolio: input.portfolio,
    sourceFile,
  };
}

export function resolveTeam(input: TeamInput, platform: PlatformSettings, sourceFile: string): TeamSpec {
  const written = input.environments ?? Object.fromEntries(DEFAULT_ENVIRONMENTS.map((name) => [name, {}]));
  // Promotion order is the order written, with prod always last.
  const names = [...Object.keys(written).filter((n) => n !== PROD_ENVIRONMENT), PROD_ENVIRONMENT].filter((n) => n in written);
  const environments = names.map((name) => resolveEnvironment(input, platform, name, written[name]));
  return {
    id: input.id,
    displayName: input.displayName,
    programOffice: input.programOffice,
    costCenter: input.costCenter,
    contacts: input.contacts,
    dataClassification: input.dataClassification,
    repository: input.repository,
    service: input.service,
    database: input.database,
    budget: input.budget,
    environments,
    sourceFile,
  };
}

type EnvironmentInput = NonNullable<TeamInput['environments']>[string];

function resolveEnvironment(team: TeamInput, platform: PlatformSettings, name: string, env: EnvironmentInput): EnvironmentSpec {
  const account = env.account ?? team.account ?? '';
  const region = env.region ?? platform.defaultRegion;
  const secrets = { ...team.service.secrets, ...env.service?.secrets };
  return {
    name,
    isProd: name === PROD_ENVIRONMENT,
    account,
    region,
    cidr: env.cidr ?? derivedCidr(team.id, name),
    certificateArn: env.certificateArn,
    loadBalancer: { internal: env.loadBalancer?.scheme === 'internal', allowedCidrs: env.loadBalancer?.allowedCidrs },
    rateLimit: env.webAcl?.rateLimit ?? team.webAcl?.rateLimit ?? DEFAULT_RATE_LIMIT,
    service: { ...team.service, ...definedOnly(env.service ?? {}), ...(Object.keys(secrets).length ? { secrets } : {}) },
    secrets: resolveSecrets(team, name, env, { account, region }),
    database: team.database ? { ...team.database, ...definedOnly(env.database ?? {}) } : undefined,
    alarms: (env.alarms ?? {}) as Record<string, number>,
    acknowledgedChanges: env.acknowledgedChanges ?? [],
  };
}

/** Team-level secrets with the environment's entries over them, as ARNs of the environment's account and region. */
function resolveSecrets(team: TeamInput, name: string, env: EnvironmentInput, where: { account: string; region: string }): ServiceSecret[] {
  const written = [
    ...Object.entries(team.service.secrets ?? {}).map(([variable, value]) => ({ variable, value, path: ['service', 'secrets', variable] })),
    ...Object.entries(env.service?.secrets ?? {}).map(([variable, value]) => ({ variable, value, path: ['environments', name, 'service', 'secrets', variable] })),
  ];
  const byVariable = new Map(written.map(w => [w.variable, w]));
  return [...byVariable.values()]
    .sort((a, b) => a.variable.localeCompare(b.variable))
    .map(({ variable, value, path }) => ({ variable, source: parseSecretReference(value)!.source, arn: secretArn(value, where), path }));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
