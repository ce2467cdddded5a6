/**
 * Every stack the platform deploys, derived from the registry alone, so a plan for 200 teams needs
 * no construct. It mirrors `buildPlatform`; the platform pipeline stack checks at synth that the
 * two agree (see `PlatformPipelineStack`), so neither can drift unnoticed.
 */
import { baselineStackName, deliveryRegionStackId, deliveryStackName, environmentStackName, platformStackName } from '../contract/naming';
import { prodAccounts } from '../registry/accounts';
import type { Registry, TeamSpec } from '../registry/types';

export { prodAccounts };

export type TargetKind = 'baseline' | 'delivery' | 'environment' | 'platform';

/** A stack in the cloud assembly, as a deploy action sees it. */
export interface StackTarget {
  /** Artifact id in the assembly (the construct id); the stack name except for a delivery stack in another region. */
  readonly artifactId: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly kind: TargetKind;
  /**
   * Holds or guards production data: a team's prod environment, and the baselines of accounts that
   * host a prod environment or the tooling. Prod stacks deploy only after the broadening check and
   * an approval, through the change-set inspection.
   */
  readonly prod: boolean;
  readonly team?: string;
  readonly environment?: string;
  /** Artifact ids this stack depends on (deployed earlier). */
  readonly dependsOn: readonly string[];
}

interface Place { readonly account: string; readonly region: string }

const key = (p: Place) => `${p.account}/${p.region}`;

/**
 * The stacks of one team: its environments in promotion order, then its artifact stores in the
 * other regions of the tooling account it uses, then its delivery stack, which depends on all of
 * them (its pipeline's first execution deploys to the services).
 */
export function teamTargets(registry: Registry, team: TeamSpec): StackTarget[] {
  const { tooling } = registry.platform;
  const envs = team.environments.map((env): StackTarget => ({
    artifactId: environmentStackName(team.id, env.name),
    stackName: environmentStackName(team.id, env.name),
    account: env.account,
    region: env.region,
    kind: 'environment',
    prod: env.isProd,
    team: team.id,
    environment: env.name,
    dependsOn: [baselineStackName(env.account, env.region)],
  }));
  const regions = [...new Set(team.environments.map(e => e.region))].filter(r => r !== tooling.region).sort();
  const stores = regions.map((region): StackTarget => ({
    artifactId: deliveryRegionStackId(team.id, region),
    stackName: deliveryStackName(team.id),
    account: tooling.account,
    region,
    kind: 'delivery',
    prod: false,
    team: team.id,
    dependsOn: [baselineStackName(tooling.account, region)],
  }));
  const delivery: StackTarget = {
    artifactId: deliveryStackName(team.id),
    stackName: deliveryStackName(team.id),
    ...tooling,
    kind: 'delivery',
    prod: false,
    team: team.id,
    dependsOn: [baselineStackName(tooling.account, tooling.region), ...envs, ...stores].map(d => typeof d === 'string' ? d : d.artifactId),
  };
  return [...envs, ...stores, delivery];
}

/**
 * The baselines of a full build: the tooling place, every environment's place, the tooling account
 * in each region environments use, and each account's home region (where its boundary is created).
 */
export function baselineTargets(registry: Registry): StackTarget[] {
  const { tooling } = registry.platform;
  const envs = registry.teams.flatMap(t => t.environments);
  const homes = homeRegions(registry);
  const places = new Map<string, Place>([[key(tooling), tooling]]);
  for (const env of envs) {
    places.set(key(env), { account: env.account, region: env.region });
    places.set(key({ account: tooling.account, region: env.region }), { account: tooling.account, region: env.region });
  }
  for (const p of [...places.values()]) {
    const home = { account: p.account, region: homes.get(p.account)! };
    places.set(key(home), home);
  }
  const prod = prodAccounts(registry);
  return [...places.keys()].sort().map(k => {
    const p = places.get(k)!;
    const home = homes.get(p.account)!;
    const name = baselineStackName(p.account, p.region);
    return {
      artifactId: name,
      stackName: name,
      account: p.account,
      region: p.region,
      kind: 'baseline' as const,
      prod: prod.has(p.account),
      dependsOn: home === p.region ? [] : [baselineStackName(p.account, home)],
    };
  });
}

/** Home region per account: tooling's region for tooling, else the default region if used, else the first used. */
function homeRegions(registry: Registry): Map<string, string> {
  const { platform } = registry;
  const used = new Map<string, Set<string>>([[platform.tooling.account, new Set([platform.tooling.region])]]);
  for (const env of registry.teams.flatMap(t => t.environments)) {
    used.set(env.account, (used.get(env.account) ?? new Set()).add(env.region));
  }
  const homes = new Map<string, string>();
  for (const [account, regions] of used) {
    homes.set(account, account === platform.tooling.account ? platform.tooling.region
      : regions.has(platform.defaultRegion) ? platform.defaultRegion : [...regions].sort()[0]);
  }
  return homes;
}

/** The portfolio dashboards (lib/observability), fleet-wide in the tooling account: they only read, so they are not prod. */
export function portfolioTarget(registry: Registry): StackTarget {
  const { tooling } = registry.platform;
  const name = platformStackName('portfolio');
  return { artifactId: name, stackName: name, ...tooling, kind: 'platform', prod: false, dependsOn: [baselineStackName(tooling.account, tooling.region)] };
}
