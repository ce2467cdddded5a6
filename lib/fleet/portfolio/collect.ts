/**
 * `fleet portfolio`: the scorecard, the images running and their scans, and the cost, read in one
 * pass. Each team is read once (every environment's image, then the scorecard's other sources, the
 * prod image reused rather than read again), with bounded concurrency; Cost Explorer is asked once
 * for the whole period alongside. The three reports are the same objects the three commands build,
 * so their renderers and `--json` contracts apply unchanged.
 */
import { byProgramOffice, type Portfolio, type PortfolioTeam, prodEnvironment } from './teams';
import type { ClientFactory } from '../client-factory';
import { type CollectOptions, DEFAULT_CONCURRENCY } from '../collect';
import { mapBounded } from '../concurrency';
import { collectCost, type CostReport, type OfficeCost, type TeamCost } from '../cost/collect';
import type { CostPeriod } from '../cost/period';
import {
  type OfficeScore, type Scorecard, scorecardExitCode, scorecardOf, type ScorecardOptions, type ScorecardRow, scoreTeam,
} from '../scorecard/collect';
import { readAcceptedFindings } from '../scorecard/readers';
import { readTeamVulns, TeamCalls, type VulnReport, type VulnRow, vulnExitCode } from '../vulns/collect';

export interface PortfolioOptions extends ScorecardOptions, CollectOptions {
  /** The cost's calendar month. */
  readonly period: CostPeriod;
}

export interface PortfolioReport {
  readonly generatedAt: Date;
  readonly scorecard: Scorecard;
  readonly vulns: VulnReport;
  readonly cost: CostReport;
  /** Every API call made for each team (Cost Explorer's, made once for all, not included). */
  readonly callsPerTeam: Readonly<Record<string, number>>;
}

/** One team's slice of the three reports, as an office page shows it. */
export interface TeamPortfolio {
  readonly team: string;
  readonly programOffice: string;
  readonly score: ScorecardRow;
  /** Every environment, in promotion order. */
  readonly environments: readonly VulnRow[];
  readonly prod: VulnRow;
  readonly cost: TeamCost;
}

export interface OfficePortfolio {
  readonly programOffice: string;
  readonly score: OfficeScore;
  readonly cost: OfficeCost;
  readonly teams: readonly TeamPortfolio[];
}

export async function collectPortfolio(portfolio: Portfolio, factory: ClientFactory, options: PortfolioOptions): Promise<PortfolioReport> {
  const accepted = readAcceptedFindings(options.assembly ?? 'cdk.out', portfolio.teams);
  const cost = collectCost(portfolio, factory, options.period);
  const callsPerTeam: Record<string, number> = {};
  const vulnCalls: Record<string, number> = {};
  let done = 0;
  const perTeam = await mapBounded(portfolio.teams, options.concurrency ?? DEFAULT_CONCURRENCY, async (team) => {
    const calls = new TeamCalls(factory);
    const vulnOptions = { now: options.now, criticalMaxAgeDays: options.thresholds.criticalMaxAgeDays };
    const environments = await readTeamVulns(portfolio, team, calls, factory, vulnOptions);
    vulnCalls[team.id] = calls.calls;
    const score = await scoreTeam(portfolio, team, factory, options, accepted, { calls, prodVuln: prodRow(team, environments) });
    callsPerTeam[team.id] = score.apiCalls;
    options.onProgress?.(++done, portfolio.teams.length);
    return { score, environments };
  });
  return {
    generatedAt: options.now,
    scorecard: scorecardOf(perTeam.map((t) => t.score), options, accepted),
    vulns: {
      generatedAt: options.now,
      criticalMaxAgeDays: options.thresholds.criticalMaxAgeDays,
      rows: perTeam.flatMap((t) => t.environments),
      callsPerTeam: vulnCalls,
    },
    cost: await cost,
    callsPerTeam,
  };
}

function prodRow(team: PortfolioTeam, rows: readonly VulnRow[]): VulnRow {
  return rows[team.environments.indexOf(prodEnvironment(team))];
}

/** The three reports joined per team (registry order). */
export function teamPortfolios(report: PortfolioReport): TeamPortfolio[] {
  return report.scorecard.teams.map((score) => {
    const environments = report.vulns.rows.filter((r) => r.team === score.team);
    return {
      team: score.team,
      programOffice: score.programOffice,
      score,
      environments,
      prod: environments.find((r) => r.isProd) ?? environments[environments.length - 1],
      cost: report.cost.teams.find((c) => c.team === score.team)!,
    };
  });
}

/** Program offices in name order with their teams, level roll-up and cost. */
export function officePortfolios(report: PortfolioReport): OfficePortfolio[] {
  return byProgramOffice(teamPortfolios(report)).map(([office, teams]) => ({
    programOffice: office,
    score: report.scorecard.offices.find((o) => o.programOffice === office)!,
    cost: report.cost.offices.find((o) => o.programOffice === office)!,
    teams,
  }));
}

/** What went wrong for a team: the scorecard's unread sources and the other environments' unread images. */
export function teamErrors(team: TeamPortfolio): string[] {
  return [
    ...team.score.errors,
    ...team.environments.filter((r) => !r.isProd && r.error !== undefined).map((r) => `${r.environment} image: ${r.error}`),
  ];
}

/** Exit 1 when any of the three commands would exit 1: a source not read, a prod image not known clean or overdue, cost not read. */
export function portfolioExitCode(report: PortfolioReport): number {
  return Math.max(scorecardExitCode(report.scorecard), vulnExitCode(report.vulns), report.cost.error ? 1 : 0);
}
