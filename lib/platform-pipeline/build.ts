/**
 * Adds the platform pipeline stacks to a full build. They are fleet-wide: never part of a build
 * filtered with `-c teams=`, whose assembly would lack the other teams' stacks.
 */
import { App, Stack } from 'aws-cdk-lib';
import { planPlatformPipelines, PlatformPlan } from './plan';
import { coverageProblems, PlatformPipelineStack } from './platform-pipeline-stack';
import { prodAccounts } from './targets';
import type { Registry } from '../registry/types';

export interface BuiltPlatformPipelines {
  readonly plan: PlatformPlan;
  readonly stacks: readonly PlatformPipelineStack[];
}

export interface BuildPlatformPipelinesOptions {
  /**
   * `platform`: the build holds only the stacks the platform pipeline deploys, so the coverage
   * check looks at those (a full build checks every stack against every pipeline).
   * @default 'full'
   */
  readonly scope?: 'full' | 'platform';
}

/** Undefined when the registry configures no pipeline. */
export function buildPlatformPipelines(
  app: App, registry: Registry, options: BuildPlatformPipelinesOptions = {},
): BuiltPlatformPipelines | undefined {
  if (!registry.platform.pipeline) return undefined;
  const plan = planPlatformPipelines(registry);
  const prod = prodAccounts(registry);
  const stacks = plan.pipelines.map(pipeline => new PlatformPipelineStack(app, pipeline.stackName, {
    pipeline,
    platform: registry.platform,
    targetAccounts: targetAccounts(registry, pipeline.team),
    prodAccounts: prod,
  }));
  const own = new Set<Stack>(stacks);
  // Checked once every stack exists: each is deployed by exactly one pipeline, where it is built.
  stacks[0].node.addValidation({
    validate: () => coverageProblems(options.scope === 'platform' ? platformPipelineOnly(plan) : plan, app.node.children
      .filter((c): c is Stack => Stack.isStack(c) && !own.has(c))
      .map(s => ({ artifactId: s.artifactId, account: s.account, region: s.region }))),
  });
  return { plan, stacks };
}

/** The plan as a platform-scope build sees it: the stacks the platform pipeline deploys. */
function platformPipelineOnly(plan: PlatformPlan): PlatformPlan {
  return { ...plan, pipelines: plan.pipelines.filter(p => p.team === undefined) };
}

function targetAccounts(registry: Registry, team: string | undefined): string[] {
  const teams = team ? registry.teams.filter(t => t.id === team) : registry.teams;
  return [...new Set([registry.platform.tooling.account, ...teams.flatMap(t => t.environments.map(e => e.account))])].sort();
}
