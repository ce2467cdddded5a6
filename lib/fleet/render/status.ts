/**
 * The status report as a terminal table, JSON and CSV.
 */
import type { StatusReport } from '../collect';
import type { StatusRow } from '../status';
import { csvTable } from './csv';
import { formatDuration, formatInstant, textTable, truncate } from './format';

/** Environment names across the fleet, in the order they first appear. */
export function environmentColumns(report: StatusReport): string[] {
  const names: string[] = [];
  for (const team of report.teams) {
    for (const stage of team.stages) if (!names.includes(stage.environment)) names.push(stage.environment);
  }
  return names;
}

function latestCell(row: StatusRow): string {
  const latest = row.latestExecution;
  return latest ? `${latest.status} ${formatInstant(latest.startTime)} (${truncate(latest.id, 12)})` : '-';
}

function stageCell(row: StatusRow, environment: string): string {
  const stage = row.stages.find((s) => s.environment === environment);
  if (!stage) return '';
  return `${stage.status}, ok ${formatInstant(stage.lastSuccess)}`;
}

function approvalCell(row: StatusRow): string {
  const a = row.pendingApproval;
  return a ? `${a.stage}/${a.action} waiting ${formatDuration(a.waitingSeconds)}` : '-';
}

function failingCell(row: StatusRow, width: number): string {
  const f = row.failing;
  return f ? truncate(`${f.stage}${f.action ? `/${f.action}` : ''}: ${f.summary}`, width) : '-';
}

export function statusTable(report: StatusReport): string {
  const envs = environmentColumns(report);
  const anyError = report.teams.some((t) => t.error !== undefined);
  const headers = ['TEAM', 'PIPELINE', 'LATEST EXECUTION', ...envs.map((e) => e.toUpperCase()), 'APPROVAL', 'FAILING', ...(anyError ? ['ERROR'] : [])];
  const rows = report.teams.map((row) => [
    row.team,
    row.pipeline,
    latestCell(row),
    ...envs.map((e) => stageCell(row, e)),
    approvalCell(row),
    failingCell(row, 60),
    ...(anyError ? [row.error ?? ''] : []),
  ]);
  return [
    `Delivery status at ${formatInstant(report.generatedAt)}; "ok" is when the stage last succeeded`,
    '',
    textTable(headers, rows),
  ].join('\n');
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export function statusJson(report: StatusReport): unknown {
  return {
    generatedAt: report.generatedAt.toISOString(),
    teams: report.teams.map((row) => ({
      team: row.team,
      pipeline: row.pipeline,
      latestExecution: row.latestExecution && {
        id: row.latestExecution.id,
        status: row.latestExecution.status,
        startTime: iso(row.latestExecution.startTime),
        lastUpdateTime: iso(row.latestExecution.lastUpdateTime),
      },
      stages: row.stages.map((s) => ({ environment: s.environment, stage: s.stage, status: s.status, lastSuccess: iso(s.lastSuccess) })),
      pendingApproval: row.pendingApproval && { ...row.pendingApproval, since: row.pendingApproval.since.toISOString() },
      failing: row.failing,
      ...(row.error !== undefined ? { error: row.error } : {}),
    })),
  };
}

export function statusCsv(report: StatusReport): string {
  const envs = environmentColumns(report);
  const headers = [
    'team', 'pipeline', 'latestExecutionId', 'latestExecutionStatus', 'latestExecutionStart',
    ...envs.flatMap((e) => [`${e}Status`, `${e}LastSuccess`]),
    'approvalStage', 'approvalAction', 'approvalWaitingSeconds', 'failingStage', 'failingAction', 'failingSummary', 'error',
  ];
  const rows = report.teams.map((row) => [
    row.team, row.pipeline, row.latestExecution?.id ?? null, row.latestExecution?.status ?? null, iso(row.latestExecution?.startTime),
    ...envs.flatMap((e) => {
      const stage = row.stages.find((s) => s.environment === e);
      return [stage?.status ?? null, iso(stage?.lastSuccess)];
    }),
    row.pendingApproval?.stage ?? null, row.pendingApproval?.action ?? null, row.pendingApproval?.waitingSeconds ?? null,
    row.failing?.stage ?? null, row.failing?.action ?? null, row.failing?.summary ?? null, row.error ?? null,
  ]);
  return csvTable(headers, rows);
}
