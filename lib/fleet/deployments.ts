/**
 * What counts as a production deployment, as pure functions over CodePipeline's data.
 *
 * The prod stage is the stage the naming contract names for prod; its deploy action is the last
 * action of category Deploy in it. A deployment is one run of that stage from the deploy action
 * on, counted when the deploy action ended Succeeded or Failed. It failed when the deploy action
 * or any later action of the stage failed. Its time is the last update among those actions.
 */
import type { ActionExecutionDetail, PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import { PROD_STAGE_NAME, prodDeployActionIndex } from '../contract';

/** The prod stage's deploy action and the actions declared after it. */
export interface ProdStageShape {
  readonly stageName: string;
  readonly deployAction: string;
  readonly laterActions: readonly string[];
}

/** A pipeline whose structure breaks the naming contract; reported on the team's row. */
export class PipelineShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineShapeError';
  }
}

export function prodStageShape(pipeline: PipelineDeclaration): ProdStageShape {
  const stage = pipeline.stages?.find((s) => s.name === PROD_STAGE_NAME);
  if (!stage) {
    const names = (pipeline.stages ?? []).map((s) => s.name).join(', ');
    throw new PipelineShapeError(`pipeline ${pipeline.name} has no stage named "${PROD_STAGE_NAME}" (stages: ${names || 'none'})`);
  }
  const actions = stage.actions ?? [];
  const index = prodDeployActionIndex(actions.map((a) => ({ category: a.actionTypeId?.category })));
  if (index < 0) {
    throw new PipelineShapeError(`stage "${PROD_STAGE_NAME}" of pipeline ${pipeline.name} has no action of category Deploy`);
  }
  return {
    stageName: PROD_STAGE_NAME,
    deployAction: actions[index].name!,
    laterActions: actions.slice(index + 1).map((a) => a.name!),
  };
}

/** The few fields of an action execution the metrics need. */
export interface ActionRun {
  readonly pipelineExecutionId: string;
  readonly actionName: string;
  readonly status: string;
  readonly startTime: Date;
  readonly lastUpdateTime: Date;
}

/** Keeps only what the metrics need of an API record, or undefined when it is not a prod deploy-or-later action. */
export function toActionRun(detail: ActionExecutionDetail, shape: ProdStageShape): ActionRun | undefined {
  if (detail.stageName !== shape.stageName || !detail.actionName || !detail.pipelineExecutionId) return undefined;
  if (detail.actionName !== shape.deployAction && !shape.laterActions.includes(detail.actionName)) return undefined;
  if (!detail.startTime) return undefined;
  return {
    pipelineExecutionId: detail.pipelineExecutionId,
    actionName: detail.actionName,
    status: detail.status ?? 'InProgress',
    startTime: detail.startTime,
    lastUpdateTime: detail.lastUpdateTime ?? detail.startTime,
  };
}

export interface Deployment {
  readonly pipelineExecutionId: string;
  readonly time: Date;
  readonly failed: boolean;
}

const ENDED = new Set(['Succeeded', 'Failed']);

/**
 * Deployments found in a set of prod-stage action runs (any order). A stage retried within one
 * execution runs the deploy action again, and each such run is its own deployment; a later action
 * belongs to the last deploy run that started before it.
 */
export function deploymentsFrom(shape: ProdStageShape, runs: Iterable<ActionRun>): Deployment[] {
  const byExecution = new Map<string, ActionRun[]>();
  for (const run of runs) {
    const list = byExecution.get(run.pipelineExecutionId) ?? [];
    list.push(run);
    byExecution.set(run.pipelineExecutionId, list);
  }
  const deployments: Deployment[] = [];
  for (const [executionId, list] of byExecution) {
    deployments.push(...deploymentsOfExecution(executionId, shape, list));
  }
  return deployments.sort((a, b) => a.time.getTime() - b.time.getTime());
}

function deploymentsOfExecution(executionId: string, shape: ProdStageShape, list: ActionRun[]): Deployment[] {
  const byStart = [...list].sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const deploys = byStart.filter((r) => r.actionName === shape.deployAction);
  if (deploys.length === 0) return [];
  const members = deploys.map((d) => [d]);
  for (const run of byStart) {
    if (run.actionName === shape.deployAction) continue;
    members[ownerIndex(deploys, run)].push(run);
  }
  return deploys.flatMap((deploy, i) => {
    if (!ENDED.has(deploy.status)) return [];
    const group = members[i];
    return [{
      pipelineExecutionId: executionId,
      time: new Date(Math.max(...group.map((r) => r.lastUpdateTime.getTime()))),
      failed: group.some((r) => r.status === 'Failed'),
    }];
  });
}

// The last deploy that started at or before the run; a parallel action that started a moment
// before its deploy belongs to the first one.
function ownerIndex(deploys: readonly ActionRun[], run: ActionRun): number {
  let owner = 0;
  deploys.forEach((d, i) => {
    if (d.startTime.getTime() <= run.startTime.getTime()) owner = i;
  });
  return owner;
}
