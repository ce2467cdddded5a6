/**
 * Builds the cloud assembly from a registry: baselines per account and region, a delivery stack
 * per team in the tooling account, an environment stack per team environment. With a team filter,
 * only those teams' stacks (and the baselines they stand on) are constructed, so the cost does not
 * grow with the fleet. With the platform scope, only what the platform pipeline deploys is
 * constructed: baselines, pipeline stacks and fleet-wide stacks, no environment or delivery stack.
 */
import { App } from 'aws-cdk-lib';
import { BaselineStack, ReleaseRecordSpec } from '../baseline';
import { baselineStackName, deliveryRegionStackId, deliveryStackName, environmentStackName, platformStackName, teamOwnerTags } from '../contract';
import { RegistryScanning } from '../delivery/registry-scanning';
import { deliveryRegions } from '../delivery/targets';
import { EnvironmentStack } from '../environment';
import { PortfolioStack } from '../observability/portfolio-stack';
import { buildPlatformPipelines, BuiltPlatformPipelines } from '../platform-pipeline';
import { DeliveryRegionStack, DeliveryStack } from './delivery-stack';
import { InvalidInputError } from '../contract/command';
import type { Registry, TeamSpec } from '../registry/types';

/**
 * What a build constructs. `full`: every stack. `platform`: the stacks the platform pipeline
 * deploys (baselines, pipeline stacks, fleet-wide stacks), byte-identical to the same stacks of a
 * full build; what it leaves out (environment and delivery stacks) the team pipelines build.
 */
export type BuildScope = 'full' | 'platform';

export const BUILD_SCOPES: readonly BuildScope[] = ['full', 'platform'];

export interface BuildPlatformOptions {
  /**
   * Ids of the teams to build.
   * @default - every team
   */
  readonly teams?: readonly string[];
  /**
   * What to construct (`-c scope=`).
   * @default 'full'
   */
  readonly scope?: BuildScope;
  /**
   * ARN of the tooling account's observability sink per region, once the sinks exist.
   * @default - no links yet
   */
  readonly observabilitySinkArns?: Readonly<Record<string, string>>;
}

export interface BuiltPlatform {
  readonly baselines: readonly BaselineStack[];
  readonly deliveries: readonly DeliveryStack[];
  /** A team's artifact stores in the other regions of its environments (tooling account). */
  readonly deliveryRegions: readonly DeliveryRegionStack[];
  readonly environments: readonly EnvironmentStack[];
  /** The portfolio dashboards (tooling account): full builds only. */
  readonly portfolio?: PortfolioStack;
  /** The platform pipelines: full builds whose registry configures them only. */
  readonly platformPipelines?: BuiltPlatformPipelines;
  /** Set when a team filter left fleet-wide stacks out, or the platform scope left team stacks out. */
  readonly note?: string;
}

interface Place { readonly account: string; readonly region: string }

export function buildPlatform(app: App, registry: Registry, options: BuildPlatformOptions = {}): BuiltPlatform {
  const scope = checkScope(options);
  const selected = selectTeams(registry, options.teams);
  const baselines = buildBaselines(app, registry, selected, options.observabilitySinkArns ?? registry.platform.observabilitySinkArns ?? {});
  // The platform scope stops before the first per-team stack.
  const teamStacks = scope === 'full' ? selected : [];
  const environments = teamStacks.flatMap(team => team.environments.map(env => {
    const stack = new EnvironmentStack(app, environmentStackName(team.id, env.name), { team, environment: env, platform: registry.platform });
    stack.addStackDependency(baselines.get(placeKey(env))!);
    return stack;
  }));
  // The registry's scan setting is one per account and region: the tooling baseline of the tooling region holds it.
  new RegistryScanning(baselines.get(placeKey(registry.platform.tooling))!, 'ImageScanning', { mode: registry.platform.imageScanning ?? 'basic' });
  const { deliveries, regional } = buildDeliveries(app, registry, teamStacks, baselines, environments);
  // Fleet-wide: a filtered build lacks the other teams' stacks the pipelines deploy.
  const platformPipelines = options.teams ? undefined : buildPlatformPipelines(app, registry, { scope });
  // Fleet-wide: the portfolio names every team, so a filtered build leaves it out.
  const portfolio = options.teams ? undefined : new PortfolioStack(app, platformStackName('portfolio'), { registry });
  const note = options.teams
    ? `built only ${selected.map(t => t.id).join(', ')} and the baselines they use; fleet-wide stacks (platform-*) are left out`
    : scope === 'platform' ? 'built the platform scope: baselines, pipeline stacks and fleet-wide stacks; no environment or delivery stack' : undefined;
  return { baselines: [...baselines.values()], deliveries, deliveryRegions: regional, environments, platformPipelines, portfolio, note };
}

/**
 * Delivery stacks deploy after their team's environment stacks (services and deploy roles) and
 * after the team's artifact stores in other regions (docs/delivery.md).
 */
function buildDeliveries(
  app: App, registry: Registry, selected: readonly TeamSpec[], baselines: Map<string, BaselineStack>, environments: readonly EnvironmentStack[],
): { deliveries: DeliveryStack[]; regional: DeliveryRegionStack[] } {
  const { platform } = registry;
  const regional: DeliveryRegionStack[] = [];
  const deliveries = selected.map(team => {
    const stores = deliveryRegions(team, platform).slice(1).map(region => {
      const store = new DeliveryRegionStack(app, deliveryRegionStackId(team.id, region), { team, platform, region });
      store.addStackDependency(baselines.get(placeKey({ account: platform.tooling.account, region }))!);
      return store;
    });
    regional.push(...stores);
    const delivery = new DeliveryStack(app, deliveryStackName(team.id), { team, platform, regionalStores: stores });
    delivery.addStackDependency(baselines.get(placeKey(platform.tooling))!);
    stores.forEach(store => delivery.addStackDependency(store, 'the pipeline uses its artifact store in that region'));
    // Its first execution starts on creation and deploys to the services, which must exist by then.
    const own = new Set(team.environments.map(e => environmentStackName(team.id, e.name)));
    environments.filter(e => own.has(e.stackName)).forEach(env => delivery.addStackDependency(env, 'the pipeline deploys to its service'));
    return delivery;
  });
  return { deliveries, regional };
}

function checkScope(options: BuildPlatformOptions): BuildScope {
  const scope = options.scope ?? 'full';
  if (!BUILD_SCOPES.includes(scope)) {
    throw new InvalidInputError(`scope must be one of ${BUILD_SCOPES.join(', ')}; received ${JSON.stringify(scope)}`);
  }
  if (scope === 'platform' && options.teams) {
    throw new InvalidInputError('scope=platform builds the fleet-wide stacks of every team and cannot be combined with a teams filter; '
      + 'use -c scope=platform for the platform pipeline\'s stacks, or -c teams=... for a team\'s stacks');
  }
  return scope;
}

function selectTeams(registry: Registry, ids: readonly string[] | undefined): readonly TeamSpec[] {
  if (!ids) return registry.teams;
  const known = new Map(registry.teams.map(t => [t.id, t]));
  const unknown = ids.filter(id => !known.has(id));
  if (unknown.length > 0) {
    throw new InvalidInputError(`teams filter names unknown team(s) ${unknown.join(', ')}; expected ids from ${registry.directory}: ${[...known.keys()].join(', ')}`);
  }
  return [...new Set(ids)].sort().map(id => known.get(id)!);
}

function placeKey(place: Place): string {
  return `${place.account}/${place.region}`;
}

/**
 * The baselines the selected teams stand on: their environments' places, the tooling account in the
 * tooling region and in every region they use (OAM sinks are regional), and each account's home
 * region, which owns the account-wide boundary. Sink policies and home regions come from the whole
 * registry, so a filtered build produces the same baseline templates as a full one.
 */
function buildBaselines(
  app: App, registry: Registry, selected: readonly TeamSpec[], sinkArns: Readonly<Record<string, string>>,
): Map<string, BaselineStack> {
  const { platform } = registry;
  const homes = homeRegions(registry);
  const places = new Map<string, Place>();
  const add = (p: Place) => places.set(placeKey(p), { account: p.account, region: p.region });
  add(platform.tooling);
  for (const env of selected.flatMap(t => t.environments)) {
    add(env);
    add({ account: platform.tooling.account, region: env.region });
  }
  for (const p of [...places.values()]) add({ account: p.account, region: homes.get(p.account)! });

  // From the whole registry, not the selected teams: a baseline is the same whichever teams a synth builds.
  const prodPlaces = new Set(registry.teams.flatMap(t => t.environments.filter(e => e.isProd).map(placeKey)));
  const stacks = new Map<string, BaselineStack>();
  for (const key of [...places.keys()].sort()) {
    const place = places.get(key)!;
    const isTooling = place.account === platform.tooling.account;
    stacks.set(key, new BaselineStack(app, baselineStackName(place.account, place.region), {
      account: place.account,
      region: place.region,
      permissionsBoundaryName: platform.permissionsBoundaryName,
      createsBoundary: homes.get(place.account) === place.region,
      toolingAccount: platform.tooling.account,
      logTotalDays: platform.logRetention.totalDays,
      observabilitySourceAccounts: isTooling ? sourceAccounts(registry, place.region) : undefined,
      observabilitySinkArn: isTooling ? undefined : sinkArns[place.region],
      // IAM is global: the home region's baseline holds the role the tooling account's dashboards use.
      monitoringAccount: !isTooling && homes.get(place.account) === place.region ? platform.tooling.account : undefined,
      releaseRecords: releaseRecordsAt(registry, place),
      extraTags: platform.tags,
      breakGlassRoleName: platform.breakGlassRoleName,
      // Prod recovery points leave their account; a shared non-prod account's are not copied.
      backupCopyTo: prodPlaces.has(key) ? platform.backupCopy : undefined,
    }));
  }
  for (const stack of stacks.values()) {
    const home = stacks.get(placeKey({ account: stack.account, region: homes.get(stack.account)! }))!;
    if (home !== stack) stack.addStackDependency(home, 'the boundary is created in the account\'s home region');
  }
  return stacks;
}

/** Release records of every team environment at a place, from the whole registry (filters do not change baselines). */
function releaseRecordsAt(registry: Registry, place: Place): ReleaseRecordSpec[] {
  return registry.teams.flatMap(t => t.environments
    .filter(e => e.account === place.account && e.region === place.region)
    .map(e => ({ teamId: t.id, environment: e.name, tags: teamOwnerTags(t, e.name) })));
}

/** Home region of each account: the tooling region for tooling, else the default region if used, else the first used. */
function homeRegions(registry: Registry): Map<string, string> {
  const { platform } = registry;
  const regions = new Map<string, Set<string>>([[platform.tooling.account, new Set([platform.tooling.region])]]);
  for (const env of registry.teams.flatMap(t => t.environments)) {
    if (!regions.has(env.account)) regions.set(env.account, new Set());
    regions.get(env.account)!.add(env.region);
  }
  const homes = new Map<string, string>();
  for (const [account, used] of regions) {
    const home = account === platform.tooling.account ? platform.tooling.region
      : used.has(platform.defaultRegion) ? platform.defaultRegion : [...used].sort()[0];
    homes.set(account, home);
  }
  return homes;
}

/** Accounts, other than tooling, with an environment in the region (from the whole registry). */
function sourceAccounts(registry: Registry, region: string): string[] {
  const accounts = registry.teams.flatMap(t => t.environments).filter(e => e.region === region).map(e => e.account);
  return [...new Set(accounts)].filter(a => a !== registry.platform.tooling.account).sort();
}
