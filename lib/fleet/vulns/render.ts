/** `fleet vulns` as a terminal table, the `--json` contract, CSV and the HTML section of a program office. */
import type { VulnReport, VulnRow } from './collect';
import { SEVERITIES } from './scan-findings';
import type { VulnsJson } from '../portfolio/contracts';
import { csvTable } from '../render/csv';
import { formatInstant, textTable, truncate } from '../render/format';
import { escapeHtml } from '../render/page';

export function vulnsJson(report: VulnReport): VulnsJson {
  return {
    generatedAt: report.generatedAt.toISOString(),
    criticalMaxAgeDays: report.criticalMaxAgeDays,
    environments: report.rows.map((r) => ({
      team: r.team,
      programOffice: r.programOffice,
      environment: r.environment,
      isProd: r.isProd,
      imageUri: r.imageUri,
      digest: r.digest,
      scan: r.scan && {
        state: r.scan.state,
        status: r.scan.status,
        completedAt: r.scan.scanCompletedAt?.toISOString() ?? null,
        enhanced: r.scan.enhanced,
      },
      counts: r.scan?.counts ? { ...r.scan.counts } : null,
      criticalAgesDays: [...r.criticalAgesDays],
      overdue: r.overdue,
      ...(r.error !== undefined ? { error: r.error } : {}),
    })),
  };
}

/** `complete`, or what stands in for counts: `no scan`, `scan failed (FAILED)`, `scan pending`. */
export function scanText(r: VulnRow): string {
  if (!r.scan) return '-';
  if (r.scan.state === 'complete') return `scanned ${formatInstant(r.scan.scanCompletedAt)}${r.scan.enhanced ? ' (enhanced)' : ''}`;
  if (r.scan.state === 'missing') return 'NO SCAN: not known to be clean';
  return `SCAN ${r.scan.state.toUpperCase()} (${r.scan.status}): not known to be clean`;
}

const count = (r: VulnRow, s: (typeof SEVERITIES)[number]): string => (r.scan?.counts ? String(r.scan.counts[s]) : '-');
const oldest = (r: VulnRow): string => (r.criticalAgesDays.length > 0 ? `${Math.floor(r.criticalAgesDays[0])}d${r.overdue ? ' OVERDUE' : ''}` : '-');

export function vulnsTable(report: VulnReport): string {
  const headers = ['TEAM', 'ENV', 'DIGEST', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'OLDEST CRITICAL', 'SCAN', 'ERROR'];
  const rows = report.rows.map((r) => [
    r.team, r.environment, r.digest ? truncate(r.digest, 19) : '-', count(r, 'CRITICAL'), count(r, 'HIGH'), count(r, 'MEDIUM'), count(r, 'LOW'),
    oldest(r), scanText(r), r.error ?? '',
  ]);
  return [
    `Images running per environment at ${formatInstant(report.generatedAt)}; a prod critical older than ${report.criticalMaxAgeDays} days is OVERDUE`,
    '',
    textTable(headers, rows),
    '',
    'A critical\'s age is from its first observation (enhanced scanning) or from the image\'s scan (basic scanning).',
  ].join('\n');
}

export function vulnsCsv(report: VulnReport): string {
  return csvTable(
    ['team', 'programOffice', 'environment', 'isProd', 'imageUri', 'digest', 'scanState', 'scanStatus', 'scanCompletedAt', ...SEVERITIES.map((s) => s.toLowerCase()), 'oldestCriticalDays', 'overdue', 'error'],
    report.rows.map((r) => [
      r.team, r.programOffice, r.environment, String(r.isProd), r.imageUri, r.digest, r.scan?.state ?? null, r.scan?.status ?? null,
      r.scan?.scanCompletedAt?.toISOString() ?? null, ...SEVERITIES.map((s) => r.scan?.counts?.[s] ?? null),
      r.criticalAgesDays[0] ?? null, String(r.overdue), r.error ?? null,
    ]),
  );
}

/** The office's environments as an HTML table (the page's chart sits next to it). */
export function vulnsHtmlTable(rows: readonly VulnRow[]): string {
  const body = rows.map((r) => `<tr><th scope="row">${escapeHtml(r.team)}</th><td>${escapeHtml(r.environment)}</td><td><code>${escapeHtml(r.digest ? truncate(r.digest, 19) : '-')}</code></td>`
    + `${['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((s) => `<td class="num">${count(r, s as 'CRITICAL')}</td>`).join('')}`
    + `<td>${escapeHtml(oldest(r))}</td><td>${escapeHtml(scanText(r))}</td><td class="error">${escapeHtml(r.error ?? '')}</td></tr>`).join('\n');
  return `<table><caption>Images running and their scan findings</caption><thead><tr><th scope="col">team</th><th scope="col">environment</th><th scope="col">digest</th><th scope="col">critical</th><th scope="col">high</th><th scope="col">medium</th><th scope="col">low</th><th scope="col">oldest critical</th><th scope="col">scan</th><th scope="col">error</th></tr></thead>
<tbody>
${body}
</tbody></table>`;
}
