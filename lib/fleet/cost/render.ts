/** `fleet cost` as a terminal table, the `--json` contract, CSV and the HTML section of a program office. */
import type { CostReport, OfficeCost, TeamCost } from './collect';
import { COST_METRIC } from './cost-explorer';
import type { CostJson } from '../portfolio/contracts';
import { csvTable } from '../render/csv';
import { textTable } from '../render/format';
import { escapeHtml } from '../render/page';

export function costJson(report: CostReport): CostJson {
  return {
    period: { ...report.period },
    metric: COST_METRIC,
    accounts: [...report.accounts],
    requests: report.requests,
    teams: report.teams.map((t) => ({ ...t, byEnvironment: { ...t.byEnvironment } })),
    offices: report.offices.map((o) => ({ ...o })),
    untaggedUsd: report.untaggedUsd,
    unregistered: { ...report.unregistered },
    totalUsd: report.totalUsd,
    ...(report.error !== undefined ? { error: report.error } : {}),
  };
}

export const usd = (n: number | null): string => (n === null ? '-' : `$${n.toFixed(2)}`);
export const pct = (n: number | null): string => (n === null ? '-' : `${n.toFixed(1)}%`);

function environments(report: CostReport): string[] {
  return [...new Set(report.teams.flatMap((t) => Object.keys(t.byEnvironment)))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
}

const envLabel = (e: string): string => (e === '' ? '(no env tag)' : e);

export function costTable(report: CostReport): string {
  const envs = environments(report);
  const headers = ['TEAM', 'PROGRAM OFFICE', ...envs.map((e) => envLabel(e).toUpperCase()), 'TOTAL', 'BUDGET', 'USED'];
  const team = (t: TeamCost): string[] => [
    t.team, t.programOffice, ...envs.map((e) => usd(t.byEnvironment[e] ?? (t.totalUsd === null ? null : 0))), usd(t.totalUsd), usd(t.budgetUsd),
    pct(t.budgetUsePercent),
  ];
  const office = (o: OfficeCost): string[] => [`OFFICE (${o.teams} teams)`, o.programOffice, ...envs.map(() => ''), usd(o.totalUsd), usd(o.budgetUsd), pct(o.budgetUsePercent)];
  const rows = [
    ...report.teams.map(team),
    ...report.offices.map(office),
    ...Object.entries(report.unregistered).map(([t, v]) => [`${t} (not in the registry)`, '-', ...envs.map(() => ''), usd(v), '-', '-']),
    ['UNTAGGED', '(no Team tag)', ...envs.map(() => ''), usd(report.untaggedUsd), '-', '-'],
    ['TOTAL', `${report.accounts.length} accounts`, ...envs.map(() => ''), usd(report.totalUsd), '-', '-'],
  ];
  return [
    `Cost ${report.period.start} to ${report.period.end} (exclusive)${report.period.partial ? ', month to date' : ''}, ${COST_METRIC}, by the Team and Environment tags; ${report.requests} Cost Explorer request(s)`,
    ...(report.error ? [`ERROR: ${report.error}`] : []),
    '',
    textTable(headers, rows),
  ].join('\n');
}

export function costCsv(report: CostReport): string {
  const envs = environments(report);
  const rows = [
    ...report.teams.map((t) => ['team', t.team, t.programOffice, ...envs.map((e) => t.byEnvironment[e] ?? null), t.totalUsd, t.budgetUsd, t.budgetUsePercent]),
    ...report.offices.map((o) => ['programOffice', '', o.programOffice, ...envs.map(() => null), o.totalUsd, o.budgetUsd, o.budgetUsePercent]),
    ...Object.entries(report.unregistered).map(([t, v]) => ['unregistered', t, '', ...envs.map(() => null), v, null, null]),
    ['untagged', '', '', ...envs.map(() => null), report.untaggedUsd, null, null],
    ['total', '', '', ...envs.map(() => null), report.totalUsd, null, null],
  ];
  return csvTable(['kind', 'team', 'programOffice', ...envs.map((e) => `usd_${envLabel(e)}`), 'totalUsd', 'budgetUsd', 'budgetUsePercent'], rows);
}

export function costHtmlTable(teams: readonly TeamCost[], office: OfficeCost | undefined): string {
  const body = teams.map((t) => `<tr><th scope="row">${escapeHtml(t.team)}</th><td>${escapeHtml(Object.entries(t.byEnvironment).map(([e, v]) => `${envLabel(e)} ${usd(v)}`).join(', ') || '-')}</td>`
    + `<td class="num">${usd(t.totalUsd)}</td><td class="num">${usd(t.budgetUsd)}</td><td class="num">${pct(t.budgetUsePercent)}</td></tr>`).join('\n');
  const total = office ? `<tr><th scope="row">program office</th><td></td><td class="num">${usd(office.totalUsd)}</td><td class="num">${usd(office.budgetUsd)}</td><td class="num">${pct(office.budgetUsePercent)}</td></tr>` : '';
  return `<table><caption>Cost against budget</caption><thead><tr><th scope="col">team</th><th scope="col">by environment</th><th scope="col">total</th><th scope="col">monthly budget</th><th scope="col">budget used</th></tr></thead>
<tbody>
${body}
${total}
</tbody></table>`;
}
