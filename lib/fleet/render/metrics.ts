/**
 * The metrics report as a terminal table, the `--json` contract, and CSV.
 */
import { BAND_SOURCE, type Band, bandsOf, THRESHOLD_TABLE } from '../bands';
import type { MetricsReport, TeamMetrics } from '../collect';
import { type DoraFigures, LEAD_TIME_CAVEAT } from '../dora';
import { windowDays } from '../window';
import { csvTable } from './csv';
import { formatDuration, formatInstant, formatPercent, formatPerDay, textTable } from './format';

/** Figures as the JSON contract spells them, null when unknown. */
export interface FiguresJson {
  readonly deployments: number | null;
  readonly failures: number | null;
  readonly deploymentFrequencyPerDay: number | null;
  readonly leadTimeSecondsMedian: number | null;
  readonly changeFailureRate: number | null;
  readonly timeToRestoreSecondsMedian: number | null;
}

export interface TeamJson extends FiguresJson {
  readonly team: string;
  readonly pipeline: string;
  readonly error?: string;
}

export interface MetricsJson {
  readonly since: string;
  readonly until: string;
  readonly teams: readonly TeamJson[];
  readonly fleet: FiguresJson;
}

function figuresJson(figures: DoraFigures | null): FiguresJson {
  return {
    deployments: figures?.deployments ?? null,
    failures: figures?.failures ?? null,
    deploymentFrequencyPerDay: figures?.deploymentFrequencyPerDay ?? null,
    leadTimeSecondsMedian: figures?.leadTimeSecondsMedian ?? null,
    changeFailureRate: figures?.changeFailureRate ?? null,
    timeToRestoreSecondsMedian: figures?.timeToRestoreSecondsMedian ?? null,
  };
}

/** The `--json` contract of issue 9: `{since, until, teams: [...], fleet}`; a team's `error` only when it has one. */
export function metricsJson(report: MetricsReport): MetricsJson {
  return {
    since: report.window.since.toISOString(),
    until: report.window.until.toISOString(),
    teams: report.teams.map((t) => ({
      team: t.team,
      pipeline: t.pipeline,
      ...figuresJson(t.figures),
      ...(t.error !== undefined ? { error: t.error } : {}),
    })),
    fleet: figuresJson(report.fleet),
  };
}

const withBand = (text: string, band: Band | null): string => (band ? `${text} ${band}` : text);

function figureCells(figures: DoraFigures | null): string[] {
  if (!figures) return ['-', '-', '-', '-', '-', '-'];
  const bands = bandsOf(figures);
  return [
    String(figures.deployments),
    String(figures.failures),
    withBand(formatPerDay(figures.deploymentFrequencyPerDay), bands.deploymentFrequency),
    withBand(formatDuration(figures.leadTimeSecondsMedian), bands.leadTime),
    withBand(formatPercent(figures.changeFailureRate), bands.changeFailureRate),
    withBand(formatDuration(figures.timeToRestoreSecondsMedian), bands.timeToRestore),
  ];
}

/** The table printed on a terminal, with the window, the lead-time caveat and the band thresholds. */
export function metricsTable(report: MetricsReport): string {
  const anyError = report.teams.some((t) => t.error !== undefined);
  const headers = ['TEAM', 'PIPELINE', 'DEPLOYS', 'FAILED', 'DEPLOYS/DAY', 'LEAD TIME*', 'CHANGE FAIL RATE', 'TIME TO RESTORE', ...(anyError ? ['ERROR'] : [])];
  const rows = report.teams.map((t: TeamMetrics) => [t.team, t.pipeline, ...figureCells(t.figures), ...(anyError ? [t.error ?? ''] : [])]);
  const readable = report.teams.filter((t) => t.figures).length;
  rows.push(['FLEET', `${readable} of ${report.teams.length} pipelines`, ...figureCells(report.fleet), ...(anyError ? [''] : [])]);
  const days = windowDays(report.window);
  return [
    `DORA metrics from ${formatInstant(report.window.since)} (inclusive) to ${formatInstant(report.window.until)} (exclusive), ${days.toFixed(days % 1 === 0 ? 0 : 2)} days`,
    '',
    textTable(headers, rows),
    '',
    `* ${LEAD_TIME_CAVEAT}.`,
    'Medians are over deployments; the fleet row pools every readable team\'s deployments.',
    ...bandLegend(),
  ].join('\n');
}

/** The thresholds, naming the report they come from. */
export function bandLegend(): string[] {
  return [
    `Bands from the ${BAND_SOURCE}; a figure gets the best band whose threshold it meets, else low:`,
    ...THRESHOLD_TABLE.map((r) => `  ${r.metric}: elite ${r.elite}; high ${r.high}; medium ${r.medium}; low ${r.low}`),
  ];
}

/** CSV with a band column next to each figure; the last row is the fleet. */
export function metricsCsv(report: MetricsReport): string {
  const headers = [
    'team', 'pipeline', 'deployments', 'failures', 'deploymentFrequencyPerDay', 'deploymentFrequencyBand',
    'leadTimeSecondsMedianFromExecutionStart', 'leadTimeBand', 'changeFailureRate', 'changeFailureRateBand',
    'timeToRestoreSecondsMedian', 'timeToRestoreBand', 'since', 'until', 'error',
  ];
  const row = (team: string, pipeline: string, figures: DoraFigures | null, error?: string): Array<string | number | null> => {
    const bands = figures ? bandsOf(figures) : undefined;
    return [
      team, pipeline, figures?.deployments ?? null, figures?.failures ?? null,
      figures?.deploymentFrequencyPerDay ?? null, bands?.deploymentFrequency ?? null,
      figures?.leadTimeSecondsMedian ?? null, bands?.leadTime ?? null,
      figures?.changeFailureRate ?? null, bands?.changeFailureRate ?? null,
      figures?.timeToRestoreSecondsMedian ?? null, bands?.timeToRestore ?? null,
      report.window.since.toISOString(), report.window.until.toISOString(), error ?? null,
    ];
  };
  return csvTable(headers, [
    ...report.teams.map((t) => row(t.team, t.pipeline, t.figures, t.error)),
    row('(fleet)', '', report.fleet),
  ]);
}
