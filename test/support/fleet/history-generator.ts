/**
 * Realistic, repeatable pipeline histories for the fake CodePipeline: Springboard's stage layout
 * (Source, Build, one stage per environment; prod has Approve, Deploy and Verify), executions at
 * a steady pace, and a seeded share of failures.
 */
import { type FakeActionExecution, type FakeExecution, type FakePipeline, type FakeStage, seededRandom } from './fake-codepipeline';
import {
  APPROVAL_ACTION_NAME, BUILD_STAGE_NAME, DEPLOY_ACTION_NAME, environmentStageName, pipelineName, PROD_ENVIRONMENT,
  SOURCE_STAGE_NAME, VERIFY_ACTION_NAME,
} from '../../../lib/contract';

const MINUTE = 60_000;

/** The stages Springboard gives a team's pipeline. */
export function springboardStages(environments: readonly string[] = ['dev', 'staging', PROD_ENVIRONMENT]): FakeStage[] {
  return [
    { name: SOURCE_STAGE_NAME, actions: [{ name: 'Checkout', category: 'Source' }] },
    { name: BUILD_STAGE_NAME, actions: [{ name: 'Synth', category: 'Build' }] },
    ...environments.map((env): FakeStage => ({
      name: environmentStageName(env),
      actions: env === PROD_ENVIRONMENT
        ? [
          { name: APPROVAL_ACTION_NAME, category: 'Approval' },
          { name: DEPLOY_ACTION_NAME, category: 'Deploy' },
          { name: VERIFY_ACTION_NAME, category: 'Test' },
        ]
        : [{ name: DEPLOY_ACTION_NAME, category: 'Deploy' }, { name: VERIFY_ACTION_NAME, category: 'Test' }],
    })),
  ];
}

export interface HistoryOptions {
  readonly team: string;
  readonly executions: number;
  /** Start of the newest execution. */
  readonly newest: Date;
  /** Time between execution starts. @default 6 hours */
  readonly intervalMs?: number;
  readonly seed?: number;
  /** Share of executions failing in Build. @default 0.1 */
  readonly buildFailureRate?: number;
  /** Share of prod deployments failing (in Deploy or Verify). @default 0.15 */
  readonly prodFailureRate?: number;
  /** Leave the newest execution waiting at the prod approval. @default false */
  readonly newestAwaitsApproval?: boolean;
  /** Make the newest execution fail in Build. @default false */
  readonly newestFailsBuild?: boolean;
}

interface Step {
  readonly stage: string;
  readonly action: string;
  readonly minutes: number;
  readonly fails?: boolean;
  readonly message?: string;
}

/** A full pipeline with `executions` runs, the newest starting at `newest`. */
export function generatePipeline(options: HistoryOptions): FakePipeline {
  const random = seededRandom(options.seed ?? hash(options.team));
  const interval = options.intervalMs ?? 6 * 60 * MINUTE;
  const executions: FakeExecution[] = [];
  const actionExecutions: FakeActionExecution[] = [];
  for (let i = options.executions - 1; i >= 0; i--) {
    const start = new Date(options.newest.getTime() - i * interval);
    const newest = i === 0;
    const run = runExecution(`${options.team}-${String(options.executions - i).padStart(4, '0')}`, start, random, {
      ...options, buildFailureRate: newest && options.newestFailsBuild ? 1 : options.buildFailureRate,
    }, newest && options.newestAwaitsApproval === true);
    executions.push(run.execution);
    actionExecutions.push(...run.actions);
  }
  return { name: pipelineName(options.team), stages: springboardStages(), executions, actionExecutions };
}

function plan(random: () => number, options: HistoryOptions): Step[] {
  const buildFails = random() < (options.buildFailureRate ?? 0.1);
  const prodFails = random() < (options.prodFailureRate ?? 0.15);
  const verifyFails = prodFails && random() < 0.5;
  const steps: Step[] = [
    { stage: SOURCE_STAGE_NAME, action: 'Checkout', minutes: 1 },
    { stage: BUILD_STAGE_NAME, action: 'Synth', minutes: 6, fails: buildFails, message: 'npm test: 2 failing tests' },
  ];
  if (buildFails) return steps;
  return [
    ...steps,
    { stage: 'Dev', action: DEPLOY_ACTION_NAME, minutes: 4 },
    { stage: 'Dev', action: VERIFY_ACTION_NAME, minutes: 2 },
    { stage: 'Staging', action: DEPLOY_ACTION_NAME, minutes: 4 },
    { stage: 'Staging', action: VERIFY_ACTION_NAME, minutes: 2 },
    { stage: 'Prod', action: APPROVAL_ACTION_NAME, minutes: 10 + Math.floor(random() * 110) },
    { stage: 'Prod', action: DEPLOY_ACTION_NAME, minutes: 5, fails: prodFails && !verifyFails, message: 'CREATE_FAILED: ServiceTaskDefinition' },
    ...(prodFails && !verifyFails ? [] : [{ stage: 'Prod', action: VERIFY_ACTION_NAME, minutes: 3, fails: verifyFails, message: 'smoke test: /health returned 503' }]),
  ];
}

function runExecution(id: string, start: Date, random: () => number, options: HistoryOptions, awaitsApproval: boolean) {
  const actions: FakeActionExecution[] = [];
  let clock = start.getTime();
  let status: FakeExecution['status'] = 'Succeeded';
  for (const step of plan(random, options)) {
    const begin = clock;
    if (awaitsApproval && step.action === APPROVAL_ACTION_NAME) {
      actions.push({ pipelineExecutionId: id, stageName: step.stage, actionName: step.action, status: 'InProgress', startTime: new Date(begin), lastUpdateTime: new Date(begin) });
      status = 'InProgress';
      break;
    }
    clock += step.minutes * MINUTE;
    actions.push({
      pipelineExecutionId: id,
      stageName: step.stage,
      actionName: step.action,
      status: step.fails ? 'Failed' : 'Succeeded',
      startTime: new Date(begin),
      lastUpdateTime: new Date(clock),
      errorMessage: step.fails ? step.message : undefined,
    });
    if (step.fails) {
      status = 'Failed';
      break;
    }
  }
  const execution: FakeExecution = {
    id, status, startTime: start, lastUpdateTime: new Date(clock), statusSummary: status === 'Failed' ? actions[actions.length - 1].errorMessage : undefined,
  };
  return { execution, actions };
}

function hash(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 2147483647;
  return h;
}
