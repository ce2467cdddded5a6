/**
 * The status model: one row per team, built by pure functions from GetPipeline, GetPipelineState
 * and the latest execution.
 */
import type { GetPipelineStateCommandOutput, PipelineDeclaration, PipelineExecutionSummary, StageState } from '@aws-sdk/client-codepipeline';
import { BUILD_STAGE_NAME, environmentStageName, SOURCE_STAGE_NAME } from '../contract';

export interface StageStatus {
  readonly environment: string;
  readonly stage: string;
  /** CodePipeline's stage status (Succeeded, Failed, InProgress, Stopped, Cancelled…), NotRun, or Missing. */
  readonly status: string;
  readonly lastSuccess: Date | null;
}

export interface LatestExecution {
  readonly id: string;
  readonly status: string;
  readonly startTime: Date | null;
  readonly lastUpdateTime: Date | null;
}

export interface PendingApproval {
  readonly stage: string;
  readonly action: string;
  readonly since: Date;
  readonly waitingSeconds: number;
}

export interface FailingStage {
  readonly stage: string;
  readonly action: string | null;
  readonly summary: string;
}

export interface StatusRow {
  readonly team: string;
  readonly pipeline: string;
  readonly latestExecution: LatestExecution | null;
  readonly stages: readonly StageStatus[];
  readonly pendingApproval: PendingApproval | null;
  readonly failing: FailingStage | null;
  readonly error?: string;
}

/** Environment stages: the team's environments when known, else every stage after Source and Build. */
export function environmentStages(pipeline: PipelineDeclaration, environments: readonly string[]): Array<{ environment: string; stage: string }> {
  if (environments.length > 0) return environments.map((environment) => ({ environment, stage: environmentStageName(environment) }));
  return (pipeline.stages ?? [])
    .map((s) => s.name!)
    .filter((name) => name !== SOURCE_STAGE_NAME && name !== BUILD_STAGE_NAME)
    .map((stage) => ({ environment: stage.toLowerCase(), stage }));
}

/** The last action declared in each stage, by stage name. */
export function finalActions(pipeline: PipelineDeclaration): Map<string, string> {
  const map = new Map<string, string>();
  for (const stage of pipeline.stages ?? []) {
    const actions = stage.actions ?? [];
    if (actions.length > 0) map.set(stage.name!, actions[actions.length - 1].name!);
  }
  return map;
}

/** When a stage whose latest run succeeded finished, from its state. */
export function lastSuccessFromState(state: StageState | undefined): Date | null {
  if (state?.latestExecution?.status !== 'Succeeded') return null;
  const times = (state.actionStates ?? [])
    .map((a) => a.latestExecution?.lastStatusChange?.getTime())
    .filter((t): t is number => t !== undefined);
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

export interface StatusInputs {
  readonly team: string;
  readonly pipeline: PipelineDeclaration;
  readonly environments: readonly string[];
  readonly state: GetPipelineStateCommandOutput;
  readonly latest: PipelineExecutionSummary | undefined;
  /** Last successes read from history, for stages whose latest run did not succeed. */
  readonly historySuccesses: ReadonlyMap<string, Date>;
  readonly now: Date;
  /** Cleans text that comes from the service (error summaries) before it is shown. */
  readonly clean: (text: string) => string;
}

export function statusRow(inputs: StatusInputs): StatusRow {
  const states = new Map((inputs.state.stageStates ?? []).map((s) => [s.stageName!, s]));
  const declared = new Set((inputs.pipeline.stages ?? []).map((s) => s.name));
  const stages = environmentStages(inputs.pipeline, inputs.environments).map(({ environment, stage }) => ({
    environment,
    stage,
    status: declared.has(stage) ? states.get(stage)?.latestExecution?.status ?? 'NotRun' : 'Missing',
    lastSuccess: lastSuccessFromState(states.get(stage)) ?? inputs.historySuccesses.get(stage) ?? null,
  }));
  return {
    team: inputs.team,
    pipeline: inputs.pipeline.name!,
    latestExecution: latestExecution(inputs.latest),
    stages,
    pendingApproval: pendingApproval(inputs.pipeline, states, inputs.now),
    failing: failingStage(inputs.pipeline, states, inputs.clean),
  };
}

function latestExecution(summary: PipelineExecutionSummary | undefined): LatestExecution | null {
  if (!summary?.pipelineExecutionId) return null;
  return {
    id: summary.pipelineExecutionId,
    status: summary.status ?? 'Unknown',
    startTime: summary.startTime ?? null,
    lastUpdateTime: summary.lastUpdateTime ?? null,
  };
}

/** The first approval action, in pipeline order, that is waiting. */
export function pendingApproval(pipeline: PipelineDeclaration, states: ReadonlyMap<string, StageState>, now: Date): PendingApproval | null {
  for (const stage of pipeline.stages ?? []) {
    for (const action of stage.actions ?? []) {
      if (action.actionTypeId?.category !== 'Approval') continue;
      const latest = states.get(stage.name!)?.actionStates?.find((a) => a.actionName === action.name)?.latestExecution;
      if (latest?.status === 'InProgress' && latest.lastStatusChange) {
        const waitingSeconds = Math.max(0, Math.round((now.getTime() - latest.lastStatusChange.getTime()) / 1000));
        return { stage: stage.name!, action: action.name!, since: latest.lastStatusChange, waitingSeconds };
      }
    }
  }
  return null;
}

/** The first stage, in pipeline order, whose latest run failed, with its failed action's error summary. */
export function failingStage(
  pipeline: PipelineDeclaration, states: ReadonlyMap<string, StageState>, clean: (t: string) => string,
): FailingStage | null {
  for (const stage of pipeline.stages ?? []) {
    const state = states.get(stage.name!);
    if (state?.latestExecution?.status !== 'Failed') continue;
    const failed = state.actionStates?.find((a) => a.latestExecution?.status === 'Failed');
    const detail = failed?.latestExecution;
    const summary = detail?.errorDetails?.message ?? detail?.summary ?? 'failed (no error details)';
    return { stage: stage.name!, action: failed?.actionName ?? null, summary: clean(summary) };
  }
  return null;
}
