/**
 * The plan: registry → pipelines → stages (waves) → actions, with quota accounting. Pure, so the
 * quotas can be checked for any fleet size without building a construct.
 *
 * One pipeline per team deploys that team's stacks, so a failed deploy stops only that team's
 * execution; one platform pipeline updates every pipeline definition (itself first), deploys the
 * shared baselines in waves and then starts the team pipelines on the same commit.
 */
import { CODEPIPELINE_QUOTAS, PIPELINES_PER_TEAM } from './quotas';
import type { StackSelection } from './steps/subset';
import { baselineTargets, portfolioTarget, StackTarget, teamTargets } from './targets';
import {
  environmentStageName,
  PLATFORM_PIPELINE_NAME,
  PLATFORM_PIPELINE_STACK_NAME,
  teamPlatformPipelineName,
  teamPlatformPipelineStackName,
} from '../contract/naming';
import type { Registry, TeamSpec } from '../registry/types';

export type ActionKind =
  | 'source' | 'synth' | 'self-update' | 'update-team-pipelines' | 'deploy'
  | 'broadening-check' | 'approval' | 'record-approved' | 'release';

export interface PlannedAction {
  readonly name: string;
  readonly kind: ActionKind;
  /** Actions of a stage with the same run order run in parallel. */
  readonly runOrder: number;
  /** The stack a deploy action deploys. */
  readonly target?: StackTarget;
}

export interface PlannedStage {
  readonly name: string;
  readonly actions: readonly PlannedAction[];
}

export interface PlannedPipeline {
  readonly name: string;
  /** The stack that holds the pipeline definition. */
  readonly stackName: string;
  /** The team whose stacks it deploys; undefined for the platform pipeline. */
  readonly team?: string;
  /**
   * `push`: a push to the Springboard branch (a CodeConnections trigger, never polling);
   * `release`: started by the platform pipeline's Release stage with the commit it deployed.
   */
  readonly trigger: 'push' | 'release';
  /** Teams its synth builds (`-c teams=`); undefined for a full build. */
  readonly synthTeams?: readonly string[];
  /**
   * `platform`: its synth builds only the stacks it deploys (`-c scope=platform`: baselines,
   * pipeline stacks, fleet-wide stacks); the team pipelines build the rest.
   */
  readonly synthScope?: 'platform';
  readonly stages: readonly PlannedStage[];
}

export interface QuotaFigure {
  readonly used: number;
  readonly limit: number;
  /** Where the largest value occurs. */
  readonly where?: string;
}

export interface QuotaUsage {
  /** Pipelines in the tooling region: these plus one delivery pipeline per team. */
  readonly pipelines: QuotaFigure & { readonly platform: number; readonly teamDelivery: number };
  readonly stagesPerPipeline: QuotaFigure;
  readonly actionsPerStage: QuotaFigure;
  readonly pollingPipelines: QuotaFigure;
  /** Largest fleet the pipeline quota allows with this layout. */
  readonly maxTeams: number;
}

export interface PlatformPlan {
  readonly waveWidth: number;
  readonly pipelines: readonly PlannedPipeline[];
  readonly quota: QuotaUsage;
}

/** A plan that would break a quota: what, and how to fix it. */
export class PlanError extends Error {}

export const DEFAULT_WAVE_WIDTH = 10;

/** Stages of the platform pipeline around its baseline waves: Source, Synth, review, 2 updates, fleet-wide, Release. */
const PLATFORM_FIXED_STAGES = 7;

export interface PlanOptions {
  /** @default - the registry's `pipeline.waveWidth`, else 10 */
  readonly waveWidth?: number;
}

export function planPlatformPipelines(registry: Registry, options: PlanOptions = {}): PlatformPlan {
  const waveWidth = options.waveWidth ?? registry.platform.pipeline?.waveWidth ?? DEFAULT_WAVE_WIDTH;
  if (!Number.isInteger(waveWidth) || waveWidth < 1 || waveWidth > CODEPIPELINE_QUOTAS.actionsPerStage / 2) {
    throw new PlanError(`wave width must be a whole number from 1 to ${CODEPIPELINE_QUOTAS.actionsPerStage / 2}; received ${waveWidth}`);
  }
  const pipelines = [
    platformPipeline(registry, waveWidth),
    ...registry.teams.map(team => teamPipeline(registry, team)),
  ];
  const quota = quotaUsage(pipelines, registry.teams.length);
  assertWithinQuotas(quota, waveWidth);
  return { waveWidth, pipelines, quota };
}

function platformPipeline(registry: Registry, width: number): PlannedPipeline {
  const baselines = baselineTargets(registry);
  const nonProd = waves(baselines.filter(b => !b.prod), width, 'Baselines');
  const prod = waves(baselines.filter(b => b.prod), width, 'ProdBaselines');
  return {
    name: PLATFORM_PIPELINE_NAME,
    stackName: PLATFORM_PIPELINE_STACK_NAME,
    trigger: 'push',
    synthScope: 'platform',
    stages: [
      single('Source', 'Source', 'source'),
      single('Synth', 'Synth', 'synth'),
      ...nonProd,
      // The tooling account holds every pipeline: it counts as production, so the pipeline
      // definitions are deployed only after the broadening check and an approval. A changed
      // definition restarts the execution, which then asks for the approval again.
      reviewStage('ReviewProd'),
      single('UpdatePipeline', 'SelfUpdate', 'self-update'),
      single('UpdateTeamPipelines', 'UpdateTeamPipelines', 'update-team-pipelines'),
      ...prod,
      // Fleet-wide stacks stand on the tooling baseline, which is a prod baseline.
      { name: 'FleetWide', actions: [deploy(portfolioTarget(registry), 1)] },
      {
        name: 'Release',
        actions: [
          { name: 'RecordApproved', kind: 'record-approved', runOrder: 1 },
          { name: 'StartTeamPipelines', kind: 'release', runOrder: 1 },
        ],
      },
    ],
  };
}

function teamPipeline(registry: Registry, team: TeamSpec): PlannedPipeline {
  const targets = teamTargets(registry, team);
  const environments = targets.filter(t => t.kind === 'environment');
  const delivery = targets.filter(t => t.kind === 'delivery');
  return {
    name: teamPlatformPipelineName(team.id),
    stackName: teamPlatformPipelineStackName(team.id),
    team: team.id,
    trigger: 'release',
    synthTeams: [team.id],
    stages: [
      single('Source', 'Source', 'source'),
      single('Synth', 'Synth', 'synth'),
      ...environments.map((target): PlannedStage => ({
        name: environmentStageName(target.environment!),
        actions: target.prod
          ? [...reviewStage('').actions, deploy(target, 3), { name: 'RecordApproved', kind: 'record-approved', runOrder: 4 }]
          : [deploy(target, 1)],
      })),
      // The delivery stacks go to the tooling account, which counts as production: without a prod
      // environment, the review still comes first.
      ...(environments.some(t => t.prod) ? [] : [reviewStage('Review')]),
      // The artifact stores in other regions first, then the delivery stack that uses them.
      { name: 'Delivery', actions: delivery.map(t => deploy(t, t.artifactId === t.stackName ? 2 : 1)) },
    ],
  };
}

/** The broadening check, then a person's approval: what precedes every prod wave. */
function reviewStage(name: string): PlannedStage {
  return {
    name,
    actions: [
      { name: 'BroadeningCheck', kind: 'broadening-check', runOrder: 1 },
      { name: 'Approve', kind: 'approval', runOrder: 2 },
    ],
  };
}

function single(stage: string, action: string, kind: ActionKind): PlannedStage {
  return { name: stage, actions: [{ name: action, kind, runOrder: 1 }] };
}

function deploy(target: StackTarget, runOrder: number): PlannedAction {
  return { name: target.artifactId, kind: 'deploy', runOrder, target };
}

/**
 * Stages of at most `width` stacks each. A stack goes in a later wave than every stack it depends
 * on (a baseline after its account's home-region baseline); within a level, by name.
 */
export function waves(targets: readonly StackTarget[], width: number, prefix: string): PlannedStage[] {
  const levels = dependencyLevels(targets);
  const stages: PlannedStage[] = [];
  for (const level of levels) {
    for (let i = 0; i < level.length; i += width) {
      stages.push({ name: `${prefix}${stages.length + 1}`, actions: level.slice(i, i + width).map(t => deploy(t, 1)) });
    }
  }
  return stages;
}

function dependencyLevels(targets: readonly StackTarget[]): StackTarget[][] {
  const byId = new Map(targets.map(t => [t.artifactId, t]));
  const level = new Map<string, number>();
  const levelOf = (t: StackTarget, seen: readonly string[]): number => {
    if (level.has(t.artifactId)) return level.get(t.artifactId)!;
    if (seen.includes(t.artifactId)) throw new PlanError(`dependency cycle among ${[...seen, t.artifactId].join(' → ')}`);
    const deps = t.dependsOn.map(d => byId.get(d)).filter((d): d is StackTarget => d !== undefined);
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(d => levelOf(d, [...seen, t.artifactId])));
    level.set(t.artifactId, value);
    return value;
  };
  const result: StackTarget[][] = [];
  for (const t of [...targets].sort((a, b) => a.artifactId.localeCompare(b.artifactId))) {
    const l = levelOf(t, []);
    (result[l] ??= []).push(t);
  }
  return result.filter(l => l !== undefined);
}

function quotaUsage(pipelines: readonly PlannedPipeline[], teams: number): QuotaUsage {
  let stages: QuotaFigure = { used: 0, limit: CODEPIPELINE_QUOTAS.stagesPerPipeline };
  let actions: QuotaFigure = { used: 0, limit: CODEPIPELINE_QUOTAS.actionsPerStage };
  for (const p of pipelines) {
    if (p.stages.length > stages.used) stages = { ...stages, used: p.stages.length, where: p.name };
    for (const s of p.stages) {
      if (s.actions.length > actions.used) actions = { ...actions, used: s.actions.length, where: `${p.name}/${s.name}` };
    }
  }
  const platform = pipelines.length;
  return {
    pipelines: { used: platform + teams, limit: CODEPIPELINE_QUOTAS.pipelinesPerRegion, platform, teamDelivery: teams },
    stagesPerPipeline: stages,
    actionsPerStage: actions,
    pollingPipelines: { used: 0, limit: CODEPIPELINE_QUOTAS.pollingPipelines },
    maxTeams: Math.floor((CODEPIPELINE_QUOTAS.pipelinesPerRegion - 1) / PIPELINES_PER_TEAM),
  };
}

function assertWithinQuotas(q: QuotaUsage, width: number): void {
  if (q.pipelines.used > q.pipelines.limit) {
    throw new PlanError(`${q.pipelines.used} pipelines (${q.pipelines.platform} platform, ${q.pipelines.teamDelivery} team delivery) exceed CodePipeline's ${q.pipelines.limit} per region; at most ${q.maxTeams} teams fit one tooling region`);
  }
  if (q.stagesPerPipeline.used > q.stagesPerPipeline.limit) {
    const waveStages = q.stagesPerPipeline.limit - PLATFORM_FIXED_STAGES;
    throw new PlanError(`${q.stagesPerPipeline.where} needs ${q.stagesPerPipeline.used} stages, more than CodePipeline's ${q.stagesPerPipeline.limit}: raise pipeline.waveWidth in _platform.yaml (now ${width}) so the baselines fit ${waveStages} waves`);
  }
  if (q.actionsPerStage.used > q.actionsPerStage.limit) {
    throw new PlanError(`${q.actionsPerStage.where} has ${q.actionsPerStage.used} actions, more than CodePipeline's ${q.actionsPerStage.limit} per stage`);
  }
}

/** Which pipeline deploys each stack (artifact id → pipeline names): each should have exactly one. */
export function deployersByStack(plan: PlatformPlan): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const p of plan.pipelines) {
    for (const a of p.stages.flatMap(s => s.actions)) {
      if (a.kind !== 'deploy' || !a.target) continue;
      result.set(a.target.artifactId, [...(result.get(a.target.artifactId) ?? []), p.name]);
    }
  }
  return result;
}

/** The CodeBuild project an action runs in: each has its own role (see planned-pipeline.ts). */
export type StageProject = 'synth' | 'non-prod' | 'prod';

/**
 * Synth builds; non-prod deploys and the broadening check run before the approval; everything that
 * deploys into a prod or the tooling account, updates pipelines, records the approved assembly or
 * starts team pipelines runs in the prod project. Undefined for actions that run no build.
 */
export function projectFor(action: PlannedAction, prodAccounts: ReadonlySet<string>): StageProject | undefined {
  switch (action.kind) {
    case 'source':
    case 'approval':
      return undefined;
    case 'synth':
      return 'synth';
    case 'broadening-check':
      return 'non-prod';
    case 'deploy':
      return action.target!.prod || prodAccounts.has(action.target!.account) ? 'prod' : 'non-prod';
    default:
      return 'prod';
  }
}

/**
 * Actions of a pipeline that run in the prod project before its first approval: empty when the
 * plan keeps its promise that nothing reaches production or the tooling account unapproved.
 */
export function unapprovedProdActions(pipeline: PlannedPipeline, prodAccounts: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  let approved = false;
  for (const stage of pipeline.stages) {
    const orders = [...new Set(stage.actions.map(a => a.runOrder))].sort((x, y) => x - y);
    for (const order of orders) {
      const batch = stage.actions.filter(a => a.runOrder === order);
      for (const a of batch) {
        if (!approved && projectFor(a, prodAccounts) === 'prod') {
          problems.push(`${pipeline.name}/${stage.name}/${a.name} deploys to a prod or the tooling account before any approval`);
        }
      }
      if (batch.some(a => a.kind === 'approval')) approved = true;
    }
  }
  return problems;
}

/** The stacks a pipeline's broadening check and approved record cover (`steps/cli.ts subset`). */
export function reviewSelection(pipeline: PlannedPipeline): StackSelection {
  return pipeline.team ? { team: pipeline.team } : { platform: true };
}

/** The selection as arguments of `steps/cli.ts subset`. */
export function subsetArguments(selection: StackSelection): string {
  return 'team' in selection ? `--team ${selection.team}` : '--platform';
}

/**
 * Stack names a pipeline deploys after its first approval: its deploy actions' targets, its own
 * stack (self-update) and the team pipelines' stacks (update-team-pipelines). The broadening check
 * before that approval must cover every one of them.
 */
export function stacksAfterApproval(pipeline: PlannedPipeline, plan: PlatformPlan): string[] {
  const names: string[] = [];
  let approved = false;
  for (const stage of pipeline.stages) {
    for (const a of [...stage.actions].sort((x, y) => x.runOrder - y.runOrder)) {
      if (a.kind === 'approval') approved = true;
      if (!approved) continue;
      if (a.kind === 'deploy') names.push(a.target!.stackName);
      if (a.kind === 'self-update') names.push(pipeline.stackName);
      if (a.kind === 'update-team-pipelines') names.push(...plan.pipelines.filter(p => p.team).map(p => p.stackName));
    }
  }
  return names;
}
