/** CodePipeline quotas the platform pipelines are planned against (per account and region). */
export const CODEPIPELINE_QUOTAS = {
  pipelinesPerRegion: 1000,
  actionsPerStage: 50,
  stagesPerPipeline: 50,
  /** Pipelines that may poll for source changes; Springboard's never poll. */
  pollingPipelines: 300,
} as const;

/**
 * How much of each quota a plan may use. Pipelines may use the whole regional quota (it is the
 * fleet-size limit); stages and actions only half, so a pipeline can grow without re-planning.
 */
export const PLANNING_BUDGET = {
  pipelinesPerRegion: CODEPIPELINE_QUOTAS.pipelinesPerRegion,
  actionsPerStage: CODEPIPELINE_QUOTAS.actionsPerStage / 2,
  stagesPerPipeline: CODEPIPELINE_QUOTAS.stagesPerPipeline / 2,
} as const;

/** Pipelines each team adds in the tooling region: its own delivery pipeline and its platform pipeline. */
export const PIPELINES_PER_TEAM = 2;
