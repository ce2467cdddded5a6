/**
 * Which pipelines the fleet view reads: the registry's teams (the default), or, with --discover,
 * every pipeline in the account whose name follows the naming contract.
 */
import { ListPipelinesCommand, type ListPipelinesCommandOutput } from '@aws-sdk/client-codepipeline';
import { pipelineName, teamIdFromPipelineName } from '../contract';
import type { FleetApi, PipelineLocation } from './client-factory';
import type { Registry } from '../registry/types';

export interface FleetTarget {
  readonly team: string;
  readonly pipeline: string;
  readonly location: PipelineLocation;
  /** Environment names in promotion order; empty when discovered (then read from the pipeline's stages). */
  readonly environments: readonly string[];
}

/** Pipelines live in the tooling account and region, one per team. */
export function targetsFromRegistry(registry: Registry): FleetTarget[] {
  const location = { account: registry.platform.tooling.account, region: registry.platform.tooling.region };
  return registry.teams.map((team) => ({
    team: team.id,
    pipeline: pipelineName(team.id),
    location,
    environments: team.environments.map((e) => e.name),
  }));
}

/** Lists the account's pipelines (every page) and keeps those named by the contract, sorted by team. */
export async function discoverTargets(api: FleetApi, location: PipelineLocation): Promise<FleetTarget[]> {
  const targets: FleetTarget[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.send<ListPipelinesCommandOutput>(new ListPipelinesCommand({ maxResults: 1000, nextToken }));
    for (const summary of page.pipelines ?? []) {
      const team = summary.name ? teamIdFromPipelineName(summary.name) : undefined;
      if (team) targets.push({ team, pipeline: summary.name!, location, environments: [] });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return targets.sort((a, b) => a.team.localeCompare(b.team));
}
