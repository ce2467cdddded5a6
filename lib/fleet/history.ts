/**
 * Reading a pipeline's structure, state and history, page by page, stopping as soon as the
 * history is older than the window. ListActionExecutions and ListPipelineExecutions return the
 * newest entries first; the stop rules rely on that order and nothing else.
 */
import {
  GetPipelineCommand, type GetPipelineCommandOutput, GetPipelineStateCommand, type GetPipelineStateCommandOutput,
  ListActionExecutionsCommand, type ListActionExecutionsCommandOutput, ListPipelineExecutionsCommand,
  type ListPipelineExecutionsCommandOutput, type PipelineDeclaration, type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import type { FleetApi } from './client-factory';
import { type ActionRun, type ProdStageShape, toActionRun } from './deployments';
import type { Window } from './window';

/** Largest page both list APIs allow. */
export const PAGE_SIZE = 100;

/** An API wrapper that counts the calls made for one pipeline. */
export class CountingApi {
  calls = 0;
  constructor(private readonly api: FleetApi) {}
  send<Output>(command: { readonly input: unknown }): Promise<Output> {
    this.calls++;
    return this.api.send<Output>(command);
  }
}

export async function readPipeline(api: CountingApi, name: string): Promise<PipelineDeclaration> {
  const out = await api.send<GetPipelineCommandOutput>(new GetPipelineCommand({ name }));
  if (!out.pipeline) throw new Error(`GetPipeline returned no pipeline for ${name}`);
  return out.pipeline;
}

export async function readState(api: CountingApi, name: string): Promise<GetPipelineStateCommandOutput> {
  return api.send<GetPipelineStateCommandOutput>(new GetPipelineStateCommand({ name }));
}

export async function readLatestExecution(api: CountingApi, name: string): Promise<PipelineExecutionSummary | undefined> {
  const out = await api.send<ListPipelineExecutionsCommandOutput>(
    new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 1 }),
  );
  return out.pipelineExecutionSummaries?.[0];
}

/**
 * The prod stage's deploy-and-later action runs that may belong to a deployment in the window.
 * Stops after the first page whose oldest entry ended before `since`, unless a later action seen
 * so far still lacks its deploy action (a deploy that started before the window and whose verify
 * step ended inside it).
 */
export async function readProdActionRuns(
  api: CountingApi, name: string, shape: ProdStageShape, window: Window,
): Promise<ActionRun[]> {
  const runs: ActionRun[] = [];
  const since = window.since.getTime();
  let nextToken: string | undefined;
  do {
    const page = await api.send<ListActionExecutionsCommandOutput>(
      new ListActionExecutionsCommand({ pipelineName: name, maxResults: PAGE_SIZE, nextToken }),
    );
    const details = page.actionExecutionDetails ?? [];
    for (const detail of details) {
      const run = toActionRun(detail, shape);
      if (run) runs.push(run);
    }
    const oldest = details[details.length - 1];
    const olderThanWindow = oldest !== undefined && (oldest.lastUpdateTime ?? oldest.startTime ?? new Date(0)).getTime() < since;
    if (olderThanWindow && !hasDanglingRun(runs, shape, since)) break;
    nextToken = page.nextToken;
  } while (nextToken);
  return runs;
}

// A later action that ended inside the window but whose deploy action has not been seen yet.
function hasDanglingRun(runs: readonly ActionRun[], shape: ProdStageShape, since: number): boolean {
  const withDeploy = new Set(runs.filter((r) => r.actionName === shape.deployAction).map((r) => r.pipelineExecutionId));
  return runs.some((r) => r.actionName !== shape.deployAction && r.lastUpdateTime.getTime() >= since && !withDeploy.has(r.pipelineExecutionId));
}

/** Start times of the given executions; pages only as far back as the oldest of them. */
export async function readExecutionStarts(api: CountingApi, name: string, ids: ReadonlySet<string>): Promise<Map<string, Date>> {
  const starts = new Map<string, Date>();
  if (ids.size === 0) return starts;
  let nextToken: string | undefined;
  do {
    const page = await api.send<ListPipelineExecutionsCommandOutput>(
      new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: PAGE_SIZE, nextToken }),
    );
    for (const summary of page.pipelineExecutionSummaries ?? []) {
      if (summary.pipelineExecutionId && summary.startTime && ids.has(summary.pipelineExecutionId)) {
        starts.set(summary.pipelineExecutionId, summary.startTime);
      }
    }
    nextToken = starts.size < ids.size ? page.nextToken : undefined;
  } while (nextToken);
  return starts;
}

/**
 * When each stage last succeeded, from history: the last success of the stage's final action,
 * which only runs once every earlier action of the stage has succeeded. Reads at most `maxPages`.
 */
export async function readLastSuccesses(
  api: CountingApi, name: string, finalActions: ReadonlyMap<string, string>, maxPages: number,
): Promise<Map<string, Date>> {
  const found = new Map<string, Date>();
  let nextToken: string | undefined;
  let pages = 0;
  while (found.size < finalActions.size && pages < maxPages) {
    const page = await api.send<ListActionExecutionsCommandOutput>(
      new ListActionExecutionsCommand({ pipelineName: name, maxResults: PAGE_SIZE, nextToken }),
    );
    pages++;
    for (const d of page.actionExecutionDetails ?? []) {
      const stage = d.stageName;
      if (!stage || found.has(stage) || finalActions.get(stage) !== d.actionName || d.status !== 'Succeeded') continue;
      found.set(stage, d.lastUpdateTime ?? d.startTime!);
    }
    nextToken = page.nextToken;
    if (!nextToken) break;
  }
  return found;
}
