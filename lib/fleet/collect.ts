/**
 * Reading the whole fleet: bounded concurrency over pipelines, one row per team, and a row with
 * `error` for a pipeline that cannot be read while every other team is still reported.
 */
import type { ClientFactory } from './client-factory';
import { mapBounded } from './concurrency';
import { deploymentsFrom, prodStageShape } from './deployments';
import { type DoraFigures, doraFigures, type TimedDeployment } from './dora';
import { describeError } from './errors';
import {
  CountingApi, readExecutionStarts, readLatestExecution, readLastSuccesses, readPipeline, readProdActionRuns, readState,
} from './history';
import { environmentStages, finalActions, lastSuccessFromState, statusRow, type StatusRow } from './status';
import type { FleetTarget } from './targets';
import type { Window } from './window';

export const DEFAULT_CONCURRENCY = 4;

export interface CollectOptions {
  /** Pipelines read at once. @default 4 */
  readonly concurrency?: number;
  /** Called after each pipeline, with how many are done. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface TeamMetrics {
  readonly team: string;
  readonly pipeline: string;
  /** Null when the pipeline could not be read. */
  readonly figures: DoraFigures | null;
  readonly error?: string;
  /** API calls made for this pipeline (retries not counted). */
  readonly apiCalls: number;
}

export interface MetricsReport {
  readonly window: Window;
  readonly teams: readonly TeamMetrics[];
  /** Every readable team's deployments pooled. */
  readonly fleet: DoraFigures;
}

export interface StatusReport {
  readonly generatedAt: Date;
  readonly teams: readonly StatusRow[];
}

/** True when some pipeline could not be read (the command then exits non-zero). */
export function hasErrors(report: { readonly teams: ReadonlyArray<{ readonly error?: string }> }): boolean {
  return report.teams.some((t) => t.error !== undefined);
}

function progressing<T, R>(targets: readonly T[], options: CollectOptions, work: (t: T) => Promise<R>): Promise<R[]> {
  let done = 0;
  return mapBounded(targets, options.concurrency ?? DEFAULT_CONCURRENCY, async (target) => {
    const result = await work(target);
    options.onProgress?.(++done, targets.length);
    return result;
  });
}

export async function collectMetrics(
  targets: readonly FleetTarget[], factory: ClientFactory, window: Window, options: CollectOptions = {},
): Promise<MetricsReport> {
  const deploymentsByTeam: TimedDeployment[][] = [];
  const teams = await progressing(targets, options, async (target) => {
    const api = new CountingApi(factory.forLocation(target.location));
    try {
      const deployments = await readTeamDeployments(api, target, window);
      deploymentsByTeam.push(deployments);
      return { team: target.team, pipeline: target.pipeline, figures: doraFigures([deployments], window), apiCalls: api.calls };
    } catch (error) {
      return { team: target.team, pipeline: target.pipeline, figures: null, error: describeError(error, factory.redactor), apiCalls: api.calls };
    }
  });
  return { window, teams, fleet: doraFigures(deploymentsByTeam, window) };
}

/** One team's production deployments, with the start time of each one's execution. */
export async function readTeamDeployments(api: CountingApi, target: FleetTarget, window: Window): Promise<TimedDeployment[]> {
  const shape = prodStageShape(await readPipeline(api, target.pipeline));
  const runs = await readProdActionRuns(api, target.pipeline, shape, window);
  const deployments = deploymentsFrom(shape, runs).filter((d) => d.time >= window.since && d.time < window.until);
  const starts = await readExecutionStarts(api, target.pipeline, new Set(deployments.map((d) => d.pipelineExecutionId)));
  return deployments.map((d) => ({ ...d, executionStart: starts.get(d.pipelineExecutionId) }));
}

export interface StatusOptions extends CollectOptions {
  readonly now?: Date;
  /** History pages read, at most, to find when a stage last succeeded. @default 3 */
  readonly historyPages?: number;
}

export async function collectStatus(targets: readonly FleetTarget[], factory: ClientFactory, options: StatusOptions = {}): Promise<StatusReport> {
  const now = options.now ?? new Date();
  const teams = await progressing(targets, options, async (target): Promise<StatusRow> => {
    const api = new CountingApi(factory.forLocation(target.location));
    try {
      return await readTeamStatus(api, target, now, options.historyPages ?? 3, (t) => factory.redactor.redact(t));
    } catch (error) {
      const description = describeError(error, factory.redactor);
      return {
        team: target.team, pipeline: target.pipeline, latestExecution: null, stages: [], pendingApproval: null, failing: null, error: description,
      };
    }
  });
  return { generatedAt: now, teams };
}

async function readTeamStatus(
  api: CountingApi, target: FleetTarget, now: Date, historyPages: number, clean: (t: string) => string,
): Promise<StatusRow> {
  const pipeline = await readPipeline(api, target.pipeline);
  const state = await readState(api, target.pipeline);
  const latest = await readLatestExecution(api, target.pipeline);
  // Only stages whose latest run did not succeed need history to say when they last did.
  const states = new Map((state.stageStates ?? []).map((s) => [s.stageName!, s]));
  const finals = finalActions(pipeline);
  const wanted = new Map<string, string>();
  for (const { stage } of environmentStages(pipeline, target.environments)) {
    const final = finals.get(stage);
    if (final && lastSuccessFromState(states.get(stage)) === null) wanted.set(stage, final);
  }
  const historySuccesses = wanted.size > 0 ? await readLastSuccesses(api, target.pipeline, wanted, historyPages) : new Map<string, Date>();
  return statusRow({ team: target.team, pipeline, environments: target.environments, state, latest, historySuccesses, now, clean });
}
