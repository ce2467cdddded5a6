/**
 * The four DORA keys over a window [since, until), as pure functions.
 *
 * Lead time starts at the pipeline execution, not at a commit: CodePipeline records no commit
 * times. Every place that shows the figure says so (see LEAD_TIME_CAVEAT).
 */
import type { Deployment } from './deployments';
import { inWindow, type Window, windowDays } from './window';

export const LEAD_TIME_CAVEAT =
  'lead time is measured from the start of the pipeline execution, not from the commit: CodePipeline records no commit times';

export interface DoraFigures {
  /** Succeeded production deployments in the window. */
  readonly deployments: number;
  /** Failed production deployments in the window. */
  readonly failures: number;
  readonly deploymentFrequencyPerDay: number;
  readonly leadTimeSecondsMedian: number | null;
  readonly changeFailureRate: number | null;
  readonly timeToRestoreSecondsMedian: number | null;
}

/** A deployment with the start time of the execution it belongs to, when known. */
export interface TimedDeployment extends Deployment {
  readonly executionStart?: Date;
}

/** Median of a list; the mean of the two middle values for an even count; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds from each failure to the same pipeline's next success in the window; unrestored failures left out. */
export function restoreTimes(deployments: readonly Deployment[]): number[] {
  const sorted = [...deployments].sort((a, b) => a.time.getTime() - b.time.getTime());
  const times: number[] = [];
  sorted.forEach((deployment, i) => {
    if (!deployment.failed) return;
    const next = sorted.slice(i + 1).find((d) => !d.failed && d.time.getTime() > deployment.time.getTime());
    if (next) times.push((next.time.getTime() - deployment.time.getTime()) / 1000);
  });
  return times;
}

function leadTimes(deployments: readonly TimedDeployment[]): number[] {
  return deployments
    .filter((d) => !d.failed && d.executionStart !== undefined)
    .map((d) => (d.time.getTime() - d.executionStart!.getTime()) / 1000);
}

/**
 * Figures over one or more pipelines' deployments pooled: counts add up, medians are taken over
 * every pipeline's samples together, and a failure is restored only by its own pipeline.
 */
export function doraFigures(pipelines: ReadonlyArray<readonly TimedDeployment[]>, window: Window): DoraFigures {
  const inside = pipelines.map((list) => list.filter((d) => inWindow(d.time, window)));
  const all = inside.flat();
  const failures = all.filter((d) => d.failed).length;
  const deployments = all.length - failures;
  return {
    deployments,
    failures,
    deploymentFrequencyPerDay: deployments / windowDays(window),
    leadTimeSecondsMedian: median(leadTimes(all)),
    changeFailureRate: all.length === 0 ? null : failures / all.length,
    timeToRestoreSecondsMedian: median(inside.flatMap((list) => restoreTimes(list))),
  };
}
