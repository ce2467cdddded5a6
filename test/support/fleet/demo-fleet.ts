/**
 * A small fleet with one team in each situation the fleet view reports: healthy, waiting at the
 * prod approval, failing in Build, a failed prod verify since restored, and one the reader may
 * not see. Used by `bench/fleet-bench.ts --serve` and for the examples in docs/fleet.md.
 */
import type { FakeOptions, FakePipeline } from './fake-codepipeline';
import { generatePipeline } from './history-generator';

const HOUR = 3_600_000;

export const DEMO_TEAMS = ['benefits-screener', 'case-portal', 'eligibility-api', 'grants-intake', 'permits'] as const;

export function demoFleet(now: Date): { pipelines: FakePipeline[]; options: FakeOptions } {
  const newest = (hoursAgo: number): Date => new Date(now.getTime() - hoursAgo * HOUR);
  const pipelines = [
    generatePipeline({ team: 'benefits-screener', executions: 90, newest: newest(3), intervalMs: 8 * HOUR, prodFailureRate: 0.05 }),
    generatePipeline({ team: 'case-portal', executions: 40, newest: newest(5), intervalMs: 20 * HOUR, newestAwaitsApproval: true }),
    generatePipeline({ team: 'eligibility-api', executions: 25, newest: newest(2), intervalMs: 40 * HOUR, prodFailureRate: 0.3, newestFailsBuild: true }),
    generatePipeline({ team: 'grants-intake', executions: 60, newest: newest(30), intervalMs: 12 * HOUR, prodFailureRate: 0.25 }),
    generatePipeline({ team: 'permits', executions: 10, newest: newest(10), intervalMs: 24 * HOUR }),
  ];
  return { pipelines, options: { deniedPipelines: ['springboard-permits'] } };
}
