/**
 * Typed registries for tests that need teams but not YAML. Each builder returns fully resolved
 * specs, as `loadRegistry` would after defaults.
 */
import { createHash } from 'node:crypto';
import type { EnvironmentSpec, PlatformSettings, Registry, TeamSpec } from '../../lib/registry/types';

export const TOOLING_ACCOUNT = '111111111111';
export const DEV_ACCOUNT = '222222222222';
export const PROD_ACCOUNT = '333333333333';

export function platformSettings(overrides: Partial<PlatformSettings> = {}): PlatformSettings {
  return {
    organization: 'Example State Department of Human Services',
    tooling: { account: TOOLING_ACCOUNT, region: 'us-east-1' },
    defaultRegion: 'us-east-1',
    permissionsBoundaryName: 'springboard-team-boundary',
    breakGlassRoleName: 'springboard-break-glass',
    logRetention: { searchableDays: 365, totalDays: 913 },
    tags: {},
    ...overrides,
  };
}

/** A deterministic UUID-shaped id, so every fixture resource id is well-formed and unique to its owner. */
export function fixtureUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The team's own certificate for one environment (moderate data is served over HTTPS in every environment). */
export function fixtureCertificateArn(teamId: string, envName: string, account: string, region = 'us-east-1', partition = 'aws'): string {
  return `arn:${partition}:acm:${region}:${account}:certificate/${fixtureUuid(teamId, envName)}`;
}

function environment(teamId: string, name: string, index: number, overrides: Partial<EnvironmentSpec>): EnvironmentSpec {
  const isProd = name === 'prod';
  const account = isProd ? PROD_ACCOUNT : DEV_ACCOUNT;
  return {
    name,
    isProd,
    account,
    region: 'us-east-1',
    cidr: `10.${(teamId.length * 7 + index) % 250}.0.0/20`,
    certificateArn: fixtureCertificateArn(teamId, name, account),
    loadBalancer: { internal: false },
    rateLimit: 2000,
    service: { port: 8080, cpu: 512, memory: 1024, desiredCount: isProd ? 2 : 1, healthCheckPath: '/health' },
    database: undefined,
    secrets: [],
    alarms: {},
    acknowledgedChanges: [],
    ...overrides,
  };
}

export interface TeamOptions {
  readonly withDatabase?: boolean;
  readonly environments?: readonly string[];
  readonly envOverrides?: Partial<EnvironmentSpec>;
}

export function team(id: string, options: TeamOptions = {}): TeamSpec {
  const database = options.withDatabase
    ? { engine: 'postgres' as const, version: '16', instanceClass: 't4g.medium', allocatedStorageGiB: 20 }
    : undefined;
  const names = options.environments ?? ['dev', 'staging', 'prod'];
  return {
    id,
    displayName: `Team ${id}`,
    programOffice: 'Office of Family Assistance',
    costCenter: 'CC-4410',
    contacts: {
      owner: { name: 'Pat Owner', email: `owner+${id}@example.gov` },
      onCall: { name: 'Sam OnCall', email: `oncall+${id}@example.gov` },
    },
    dataClassification: 'moderate',
    repository: {
      provider: 'github',
      name: `example-state/${id}`,
      branch: 'main',
      connectionArn: `arn:aws:codeconnections:us-east-1:${TOOLING_ACCOUNT}:connection/11111111-2222-3333-4444-555555555555`,
    },
    service: { port: 8080, cpu: 512, memory: 1024, desiredCount: 2, healthCheckPath: '/health' },
    database,
    budget: { monthlyUsd: 1500 },
    environments: names.map((n, i) => environment(id, n, i, { database, ...options.envOverrides })),
    sourceFile: `teams/${id}.yaml`,
  };
}

export function registry(teams: readonly TeamSpec[], platform: PlatformSettings = platformSettings()): Registry {
  return { directory: 'teams', platform, teams: [...teams].sort((a, b) => a.id.localeCompare(b.id)) };
}

/** A team wholly in GovCloud: certificate and source connection in the aws-us-gov partition too. */
export function govCloudTeam(id = 'a'): TeamSpec {
  const t = team(id, {
    withDatabase: true,
    envOverrides: { region: 'us-gov-west-1', certificateArn: `arn:aws-us-gov:acm:us-gov-west-1:${PROD_ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000` },
  });
  return { ...t, repository: { ...t.repository, connectionArn: `arn:aws-us-gov:codeconnections:us-gov-west-1:${TOOLING_ACCOUNT}:connection/11111111-2222-3333-4444-555555555555` } };
}

/** The GovCloud variant of the platform: tooling and every environment in us-gov-west-1. */
export function govCloudRegistry(): Registry {
  return registry([govCloudTeam()], platformSettings({ tooling: { account: TOOLING_ACCOUNT, region: 'us-gov-west-1' }, defaultRegion: 'us-gov-west-1' }));
}
