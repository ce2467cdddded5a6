/**
 * `fleet portfolio` as a terminal table (a row per team and per program office), the `--json`
 * contract (the three reports, each in its own command's contract) and CSV (a row per team).
 */
import { type OfficePortfolio, officePortfolios, type PortfolioReport, teamErrors, type TeamPortfolio, teamPortfolios } from './collect';
import type { PortfolioJson } from './contracts';
import { costJson, pct, usd } from '../cost/render';
import { csvTable } from '../render/csv';
import { formatInstant, textTable, truncate } from '../render/format';
import { CRITERIA, CRITERION_INFO } from '../scorecard/criteria';
import { scorecardJson } from '../scorecard/render';
import type { VulnRow } from '../vulns/collect';
import { vulnsJson } from '../vulns/render';

const DAY_MS = 86_400_000;

export function portfolioJson(report: PortfolioReport): PortfolioJson {
  return {
    generatedAt: report.generatedAt.toISOString(),
    scorecard: scorecardJson(report.scorecard),
    vulns: vulnsJson(report.vulns),
    cost: costJson(report.cost),
  };
}

/** Whole days since the image's scan completed; null without a complete scan. */
export function scanAgeDays(row: VulnRow, now: Date): number | null {
  const at = row.scan?.state === 'complete' ? row.scan.scanCompletedAt : null;
  return at ? Math.floor((now.getTime() - at.getTime()) / DAY_MS) : null;
}

/** `2026-11-19 12:00Z (1d ago)`, or what stands in for a complete scan. */
export function scanWhen(row: VulnRow, now: Date): string {
  if (!row.scan) return 'not read';
  if (row.scan.state !== 'complete') return row.scan.state === 'missing' ? 'NO SCAN' : `SCAN ${row.scan.state.toUpperCase()} (${row.scan.status})`;
  return `${formatInstant(row.scan.scanCompletedAt)} (${scanAgeDays(row, now)}d ago)`;
}

const count = (row: VulnRow, severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW'): string => (row.scan?.counts ? String(row.scan.counts[severity]) : '-');

/** An office's prod criticals (complete scans only), its overdue images, and its prod images without a complete scan. */
export function officeCriticals(office: OfficePortfolio): { known: number; unscanned: number; overdue: number } {
  const prods = office.teams.map((t) => t.prod);
  return {
    known: prods.reduce((n, r) => n + (r.scan?.counts?.CRITICAL ?? 0), 0),
    unscanned: prods.filter((r) => r.scan?.state !== 'complete').length,
    overdue: prods.filter((r) => r.overdue).length,
  };
}

export function portfolioTable(report: PortfolioReport): string {
  const now = report.generatedAt;
  const headers = ['TEAM', 'PROGRAM OFFICE', 'LEVEL', 'PROD DIGEST', 'CRIT', 'HIGH', 'MED', 'LOW', 'PROD SCAN', 'COST', 'BUDGET', 'USED', 'ERRORS'];
  const team = (t: TeamPortfolio): string[] => [
    t.team, t.programOffice, t.score.level.toUpperCase(), t.prod.digest ? truncate(t.prod.digest, 19) : '-',
    count(t.prod, 'CRITICAL'), count(t.prod, 'HIGH'), count(t.prod, 'MEDIUM'), count(t.prod, 'LOW'),
    `${scanWhen(t.prod, now)}${t.prod.overdue ? ' OVERDUE' : ''}`, usd(t.cost.totalUsd), usd(t.cost.budgetUsd), pct(t.cost.budgetUsePercent), teamErrors(t).join('; '),
  ];
  const office = (o: OfficePortfolio): string[] => {
    const c = officeCriticals(o);
    const overall = o.score.levels.overall;
    return [
      `OFFICE (${o.teams.length} teams)`, o.programOffice, o.score.level.toUpperCase(), '', String(c.known), '', '', '',
      `${c.overdue} overdue, ${c.unscanned} without a complete scan`, usd(o.cost.totalUsd), usd(o.cost.budgetUsd), pct(o.cost.budgetUsePercent),
      `${overall.red} red, ${overall.amber} amber, ${overall.unknown} unknown, ${overall.green} green`,
    ];
  };
  const offices = officePortfolios(report);
  const { period } = report.cost;
  return [
    `Portfolio at ${formatInstant(now)}: scorecard (DORA over ${formatInstant(report.scorecard.window.since)} to ${formatInstant(report.scorecard.window.until)}), `
      + `images running in prod, cost ${period.start} to ${period.end} (exclusive)${period.partial ? ', month to date' : ''}`,
    ...(report.cost.error ? [`COST NOT READ: ${report.cost.error}`] : []),
    '',
    textTable(headers, [...teamPortfolios(report).map(team), ...offices.map(office)]),
    '',
    `Untagged cost in Springboard's accounts: ${usd(report.cost.untaggedUsd)}; total ${usd(report.cost.totalUsd)}.`,
    `Levels: red, amber, unknown (could not be read: never green), green; a team's level is its worst criterion (${CRITERIA.map((c) => CRITERION_INFO[c].title).join(', ')}).`,
    `A prod critical older than ${report.vulns.criticalMaxAgeDays} days is OVERDUE; an image without a complete scan has no counts (-), never zero.`,
  ].join('\n');
}

export function portfolioCsv(report: PortfolioReport): string {
  const now = report.generatedAt;
  return csvTable(
    ['team', 'programOffice', 'level', ...CRITERIA.map((c) => `${c}Level`), 'prodDigest', 'prodScanState', 'prodScanCompletedAt', 'prodScanAgeDays',
      'critical', 'high', 'medium', 'low', 'oldestCriticalDays', 'overdue', 'costUsd', 'budgetUsd', 'budgetUsePercent', 'errors'],
    teamPortfolios(report).map((t) => [
      t.team, t.programOffice, t.score.level, ...CRITERIA.map((c) => t.score.criteria[c].level), t.prod.digest, t.prod.scan?.state ?? null,
      t.prod.scan?.scanCompletedAt?.toISOString() ?? null, scanAgeDays(t.prod, now),
      ...(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const).map((s) => t.prod.scan?.counts?.[s] ?? null),
      t.prod.criticalAgesDays[0] ?? null, String(t.prod.overdue), t.cost.totalUsd, t.cost.budgetUsd, t.cost.budgetUsePercent, teamErrors(t).join('; '),
    ]),
  );
}
