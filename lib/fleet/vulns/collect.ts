/**
 * `fleet vulns`: for each team environment, the image digest its ECS service runs and that digest's
 * ECR scan findings. Teams are read with bounded concurrency; a team that cannot be read gets error
 * rows while every other team is still reported.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { readRunningImage, RunningImageError } from './running-image';
import { readScanFindings, type ScanResult } from './scan-findings';
import type { ClientFactory, ServiceClientClass } from '../client-factory';
import { type CollectOptions, DEFAULT_CONCURRENCY } from '../collect';
import { mapBounded } from '../concurrency';
import { describeError } from '../errors';
import { CountingApi } from '../history';
import type { Portfolio, PortfolioTeam } from '../portfolio/teams';

const DAY_MS = 86_400_000;

export interface VulnRow {
  readonly team: string;
  readonly programOffice: string;
  readonly environment: string;
  readonly isProd: boolean;
  readonly imageUri: string | null;
  readonly digest: string | null;
  /** Null when the running image could not be found (see `error`). */
  readonly scan: ScanResult | null;
  /**
   * Days each critical has been known: from its first observation under enhanced scanning, from the
   * image's scan under basic scanning (one entry per critical). Oldest first.
   */
  readonly criticalAgesDays: readonly number[];
  /** A prod critical older than the policy threshold. */
  readonly overdue: boolean;
  readonly error?: string;
}

export interface VulnReport {
  readonly generatedAt: Date;
  readonly criticalMaxAgeDays: number;
  readonly rows: readonly VulnRow[];
  /** API calls per team (retries not counted), for the benchmark. */
  readonly callsPerTeam: Readonly<Record<string, number>>;
}

export interface VulnOptions extends CollectOptions {
  readonly now: Date;
  readonly criticalMaxAgeDays: number;
}

export function criticalAges(scan: ScanResult, now: Date): number[] {
  if (scan.state !== 'complete' || !scan.counts || scan.counts.CRITICAL === 0) return [];
  const age = (from: Date | null): number => (from ? Math.max(0, (now.getTime() - from.getTime()) / DAY_MS) : 0);
  const ages = scan.criticals.length > 0
    ? scan.criticals.map((c) => age(c.firstObservedAt ?? scan.scanCompletedAt))
    : Array.from({ length: scan.counts.CRITICAL }, () => age(scan.scanCompletedAt));
  return ages.sort((a, b) => b - a);
}

export async function collectVulns(portfolio: Portfolio, factory: ClientFactory, options: VulnOptions): Promise<VulnReport> {
  const callsPerTeam: Record<string, number> = {};
  let done = 0;
  const perTeam = await mapBounded(portfolio.teams, options.concurrency ?? DEFAULT_CONCURRENCY, async (team) => {
    const calls = new TeamCalls(factory);
    const rows = await readTeamVulns(portfolio, team, calls, factory, options);
    callsPerTeam[team.id] = calls.calls;
    options.onProgress?.(++done, portfolio.teams.length);
    return rows;
  });
  return { generatedAt: options.now, criticalMaxAgeDays: options.criticalMaxAgeDays, rows: perTeam.flat(), callsPerTeam };
}

/** The team's calls over every service it reads, for the benchmark's calls-per-team figure. */
export class TeamCalls {
  private readonly apis: CountingApi[] = [];
  constructor(private readonly factory: ClientFactory) {}

  open(service: ServiceClientClass, location: { readonly account?: string; readonly region?: string }): CountingApi {
    const api = new CountingApi(this.factory.forService(service, location));
    this.apis.push(api);
    return api;
  }

  get calls(): number {
    return this.apis.reduce((n, a) => n + a.calls, 0);
  }
}

export async function readTeamVulns(
  portfolio: Portfolio, team: PortfolioTeam, calls: TeamCalls, factory: ClientFactory, options: Pick<VulnOptions, 'now' | 'criticalMaxAgeDays'>,
): Promise<VulnRow[]> {
  const ecr = calls.open(ECRClient as unknown as ServiceClientClass, portfolio.tooling);
  const rows: VulnRow[] = [];
  for (const env of team.environments) {
    const base = { team: team.id, programOffice: team.programOffice, environment: env.name, isProd: env.isProd };
    const ecs = calls.open(ECSClient as unknown as ServiceClientClass, env);
    try {
      const image = await readRunningImage(ecs, team.id, env.name);
      const scan = await readScanFindings(ecr, image);
      const ages = criticalAges(scan, options.now);
      rows.push({
        ...base,
        imageUri: image.imageUri,
        digest: image.digest,
        scan,
        criticalAgesDays: ages,
        overdue: env.isProd && ages.some((a) => a > options.criticalMaxAgeDays),
      });
    } catch (error) {
      const message = error instanceof RunningImageError ? error.message : describeError(error, factory.redactor);
      rows.push({ ...base, imageUri: null, digest: null, scan: null, criticalAgesDays: [], overdue: false, error: message });
    }
  }
  return rows;
}

/**
 * Exit status 1 when a prod critical is older than the threshold, when a prod image has no complete
 * scan (it cannot be shown clean), or when some environment could not be read; otherwise 0.
 */
export function vulnExitCode(report: VulnReport): number {
  const bad = report.rows.some((r) => r.error !== undefined || r.overdue || (r.isProd && r.scan?.state !== 'complete'));
  return bad ? 1 : 0;
}
