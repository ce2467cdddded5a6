/**
 * `fleet scorecard`: one row per team, each criterion read independently so that one unreadable
 * source leaves that criterion `unknown` (and the row's `errors` says why) while the others are
 * still scored; a roll-up per program office counts its teams at each level.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CRITERIA, type Criterion, doraLevel, levelOf, templateLevel, versionGap, vulnerabilityLevel, worstBand } from './criteria';
import { readAcceptedFindings, readAlarmsInAlarm, readBudgetUse, readProdRelease } from './readers';
import { budgetName, pipelineName } from '../../contract';
import type { PortfolioThresholds } from '../../registry/schema';
import { type Band, bandsOf } from '../bands';
import type { ClientFactory } from '../client-factory';
import { type CollectOptions, DEFAULT_CONCURRENCY, readTeamDeployments } from '../collect';
import { mapBounded } from '../concurrency';
import { type DoraFigures, doraFigures } from '../dora';
import { describeError } from '../errors';
import { CountingApi } from '../history';
import { type Level, LEVELS, worstLevel } from '../portfolio/levels';
import { byProgramOffice, type Portfolio, type PortfolioTeam, prodEnvironment } from '../portfolio/teams';
import { readTeamVulns, TeamCalls, type VulnRow } from '../vulns/collect';
import type { Window } from '../window';

const DAY_MS = 86_400_000;

export interface CriterionResult {
  /** The measured value: a band, a version, days, a count or a percent; null when unknown. */
  readonly value: string | number | null;
  readonly level: Level;
  /** A short explanation (the version gap, the alarm names, the oldest critical). */
  readonly detail?: string;
}

export interface ScorecardRow {
  readonly team: string;
  readonly programOffice: string;
  readonly level: Level;
  readonly criteria: Readonly<Record<Criterion, CriterionResult>>;
  readonly dora: DoraFigures | null;
  /** One entry per source that could not be read. */
  readonly errors: readonly string[];
  readonly apiCalls: number;
}

export interface OfficeScore {
  readonly programOffice: string;
  readonly teams: number;
  readonly level: Level;
  /** Teams at each level, per criterion and overall. */
  readonly levels: Readonly<Record<Criterion | 'overall', Readonly<Record<Level, number>>>>;
}

export interface Scorecard {
  readonly generatedAt: Date;
  readonly window: Window;
  readonly templatesVersion: string;
  readonly thresholds: PortfolioThresholds;
  readonly acceptedFindingsSource: string | null;
  readonly teams: readonly ScorecardRow[];
  readonly offices: readonly OfficeScore[];
}

export interface ScorecardOptions extends CollectOptions {
  readonly now: Date;
  readonly window: Window;
  readonly thresholds: PortfolioThresholds;
  /** The templates version of this checkout. */
  readonly templatesVersion: string;
  /** Cloud assembly with the compliance report. @default 'cdk.out' */
  readonly assembly?: string;
}

/** The version of `templates/package.json` in this checkout. */
export function checkoutTemplatesVersion(root = path.join(__dirname, '..', '..', '..')): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'templates', 'package.json'), 'utf8')) as { version: string }).version;
}

export async function collectScorecard(portfolio: Portfolio, factory: ClientFactory, options: ScorecardOptions): Promise<Scorecard> {
  const accepted = readAcceptedFindings(options.assembly ?? 'cdk.out', portfolio.teams);
  let done = 0;
  const teams = await mapBounded(portfolio.teams, options.concurrency ?? DEFAULT_CONCURRENCY, async (team) => {
    const row = await scoreTeam(portfolio, team, factory, options, accepted);
    options.onProgress?.(++done, portfolio.teams.length);
    return row;
  });
  return scorecardOf(teams, options, accepted);
}

/** The scorecard of rows already scored, with the office roll-up. */
export function scorecardOf(teams: readonly ScorecardRow[], options: ScorecardOptions, accepted: Map<string, number> | undefined): Scorecard {
  return {
    generatedAt: options.now,
    window: options.window,
    templatesVersion: options.templatesVersion,
    thresholds: options.thresholds,
    acceptedFindingsSource: accepted ? options.assembly ?? 'cdk.out' : null,
    teams,
    offices: rollUp(teams),
  };
}

/** Runs one read; a failure becomes an entry in `errors` and the criterion's value stays unknown. */
async function attempt<T>(errors: string[], source: string, factory: ClientFactory, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    // Springboard's own plain errors (a record not found) read as they are; SDK errors are described.
    errors.push(`${source}: ${error instanceof Error && error.constructor === Error ? error.message : describeError(error, factory.redactor)}`);
    return undefined;
  }
}

/** What a caller has already read for the team (`fleet portfolio` reads every environment's image once). */
export interface TeamReads {
  /** The team's call counter, shared so that `apiCalls` counts every read. */
  readonly calls: TeamCalls;
  /** The prod environment's running image and scan. */
  readonly prodVuln: VulnRow;
}

/** One team's row; reads the prod image itself unless `reads` brings it. */
export async function scoreTeam(
  portfolio: Portfolio, team: PortfolioTeam, factory: ClientFactory, options: ScorecardOptions, accepted: Map<string, number> | undefined,
  reads?: TeamReads,
): Promise<ScorecardRow> {
  const t = options.thresholds;
  const errors: string[] = [];
  const calls = reads?.calls ?? new TeamCalls(factory);
  const pipelineApi = new CountingApi(factory.forLocation(portfolio.tooling));
  const target = { team: team.id, pipeline: pipelineName(team.id), location: portfolio.tooling, environments: team.environments.map((e) => e.name) };

  const deployments = await attempt(errors, 'pipeline', factory, () => readTeamDeployments(pipelineApi, target, options.window));
  const dora = deployments ? doraFigures([deployments], options.window) : null;
  const band: Band | null = dora ? worstBand(bandsOf(dora)) : null;

  const release = await attempt(errors, 'release record', factory, () => readProdRelease(calls, team));
  const gap = release?.templateVersion ? versionGap(release.templateVersion, options.templatesVersion) : undefined;
  const ageDays = release?.releasedAt ? (options.now.getTime() - release.releasedAt.getTime()) / DAY_MS : null;

  const alarms = await attempt(errors, 'alarms', factory, () => readAlarmsInAlarm(calls, portfolio, team));
  const budget = await attempt(errors, 'budget', factory, () => readBudgetUse(calls, portfolio, team, budgetName(team.id)));

  const prodOnly = { ...team, environments: [prodEnvironment(team)] };
  const vuln = reads?.prodVuln
    ?? (await readTeamVulns(portfolio, prodOnly, calls, factory, { now: options.now, criticalMaxAgeDays: t.criticalMaxAgeDays }))[0];
  if (vuln.error) errors.push(`prod image: ${vuln.error}`);
  const complete = vuln.scan?.state === 'complete';
  if (vuln.scan && !complete) errors.push(`prod image: scan ${vuln.scan.state} (${vuln.scan.status})`);

  const findings = accepted?.get(team.id) ?? null;
  const criteria: Record<Criterion, CriterionResult> = {
    dora: { value: band, level: doraLevel(band, t.doraBand), detail: dora ? `${dora.deployments} deployments, ${dora.failures} failed` : undefined },
    templateCurrency: {
      value: release?.templateVersion ?? null,
      level: templateLevel(gap, t.templateMinorVersionsBehind),
      detail: gap ? `${gap.majors} major, ${gap.minors} minor behind ${options.templatesVersion}` : release ? 'no template recorded with the release' : undefined,
    },
    prodReleaseAge: {
      value: ageDays === null ? null : Math.floor(ageDays),
      level: release && !release.releasedAt ? 'red' : levelOf(ageDays, t.prodReleaseAgeDays),
      detail: release && !release.releasedAt ? 'never released to prod' : undefined,
    },
    acknowledgedFindings: { value: findings, level: levelOf(findings, t.acknowledgedFindings), detail: accepted ? undefined : 'no compliance report in the assembly' },
    alarmsInAlarm: { value: alarms?.length ?? null, level: levelOf(alarms?.length ?? null, t.alarmsInAlarm), detail: alarms?.join(', ') || undefined },
    budgetUse: {
      value: budget?.percent ?? null,
      level: levelOf(budget?.percent ?? null, t.budgetUsePercent),
      detail: budget ? `$${budget.actualUsd.toFixed(2)} of $${budget.limitUsd}` : budget === null ? 'no budget (GovCloud only)' : undefined,
    },
    criticalVulnerabilities: {
      value: complete ? vuln.criticalAgesDays.length : null,
      level: vulnerabilityLevel(complete ? vuln.criticalAgesDays : null, t.criticalMaxAgeDays),
      detail: complete && vuln.criticalAgesDays.length > 0 ? `oldest ${Math.floor(vuln.criticalAgesDays[0])} days` : undefined,
    },
  };
  return {
    team: team.id,
    programOffice: team.programOffice,
    level: worstLevel(CRITERIA.map((c) => criteria[c].level)),
    criteria,
    dora,
    errors,
    apiCalls: pipelineApi.calls + calls.calls,
  };
}

function countLevels(levels: readonly Level[]): Record<Level, number> {
  const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const l of levels) counts[l]++;
  return counts;
}

export function rollUp(teams: readonly ScorecardRow[]): OfficeScore[] {
  return byProgramOffice(teams).map(([office, rows]) => {
    const levels = Object.fromEntries([
      ...CRITERIA.map((c) => [c, countLevels(rows.map((r) => r.criteria[c].level))]),
      ['overall', countLevels(rows.map((r) => r.level))],
    ]) as OfficeScore['levels'];
    return { programOffice: office, teams: rows.length, level: worstLevel(rows.map((r) => r.level)), levels };
  });
}

/** Exit 1 when some source could not be read for some team. */
export function scorecardExitCode(card: Scorecard): number {
  return card.teams.some((t) => t.errors.length > 0) ? 1 : 0;
}
