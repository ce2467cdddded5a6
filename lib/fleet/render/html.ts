/**
 * `fleet status|metrics --html FILE`: self-contained pages in the frame of ./page.ts, with inline
 * SVG charts.
 */
import { BAND_SOURCE, type Band, bandsOf, THRESHOLD_TABLE } from '../bands';
import type { MetricsReport, StatusReport } from '../collect';
import { type DoraFigures, LEAD_TIME_CAVEAT } from '../dora';
import { formatDuration, formatInstant, formatPercent, formatPerDay } from './format';
import { escapeHtml, htmlPage } from './page';
import { environmentColumns } from './status';

const BAND_COLOURS: Record<Band | 'none', string> = {
  elite: '#1a7f37', high: '#0969da', medium: '#9a6700', low: '#cf222e', none: '#6e7781',
};

const BAND_STYLE = `
.band{font-size:.8em;font-weight:600;padding:0 .3em;border-radius:3px;color:#fff}
.elite{background:${BAND_COLOURS.elite}}.high{background:${BAND_COLOURS.high}}.medium{background:${BAND_COLOURS.medium}}.low{background:${BAND_COLOURS.low}}`;

export interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly text: string;
  readonly band: Band | null;
}

/** A horizontal bar chart; bars without data are labelled instead of drawn; the text alternative lists every bar. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const rowHeight = 22;
  const labelWidth = 180;
  const plotWidth = 360;
  const height = bars.length * rowHeight + 8;
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0)) || 1;
  const rows = bars.map((bar, i) => {
    const y = i * rowHeight + 4;
    const width = bar.value === null ? 0 : Math.max(1, (bar.value / max) * plotWidth);
    const colour = BAND_COLOURS[bar.band ?? 'none'];
    return `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(bar.label)}</text>`
      + (bar.value === null ? '' : `<rect x="${labelWidth}" y="${y + 3}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="${colour}"><title>${escapeHtml(`${bar.label}: ${bar.text}`)}</title></rect>`)
      + `<text x="${labelWidth + width + 6}" y="${y + 15}">${escapeHtml(bar.text + (bar.band ? ` (${bar.band})` : ''))}</text>`;
  }).join('\n');
  const summary = bars.map((b) => `${b.label}: ${b.text}${b.band ? ` (${b.band})` : ''}`).join('; ');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption>
<svg role="img" aria-label="${escapeHtml(`${title}. ${summary}`)}" width="${labelWidth + plotWidth + 160}" height="${height}" viewBox="0 0 ${labelWidth + plotWidth + 160} ${height}" font-size="12" font-family="system-ui,sans-serif">
${rows}
</svg></figure>`;
}

function bandBadge(band: Band | null): string {
  return band ? ` <span class="band ${band}">${band}</span>` : '';
}

function figureCells(figures: DoraFigures | null): string {
  if (!figures) return '<td class="num">-</td>'.repeat(6);
  const b = bandsOf(figures);
  return [
    `<td class="num">${figures.deployments}</td>`,
    `<td class="num">${figures.failures}</td>`,
    `<td class="num">${formatPerDay(figures.deploymentFrequencyPerDay)}${bandBadge(b.deploymentFrequency)}</td>`,
    `<td class="num">${formatDuration(figures.leadTimeSecondsMedian)}${bandBadge(b.leadTime)}</td>`,
    `<td class="num">${formatPercent(figures.changeFailureRate)}${bandBadge(b.changeFailureRate)}</td>`,
    `<td class="num">${formatDuration(figures.timeToRestoreSecondsMedian)}${bandBadge(b.timeToRestore)}</td>`,
  ].join('');
}

function metricCharts(report: MetricsReport): string {
  const entries = [...report.teams.map((t) => ({ label: t.team, figures: t.figures })), { label: 'fleet', figures: report.fleet as DoraFigures | null }];
  type Pick = (f: DoraFigures) => number | null;
  const chart = (title: string, value: Pick, text: (v: number | null) => string, band: (f: DoraFigures) => Band | null): string =>
    barChart(title, entries.map(({ label, figures }) => {
      const v = figures ? value(figures) : null;
      return { label, value: v, text: figures ? text(v) : 'not read', band: figures ? band(figures) : null };
    }));
  return [
    chart('Deployments per day', (f) => f.deploymentFrequencyPerDay, formatPerDay, (f) => bandsOf(f).deploymentFrequency),
    chart('Median lead time (from pipeline execution start)', (f) => f.leadTimeSecondsMedian, formatDuration, (f) => bandsOf(f).leadTime),
    chart('Change fail rate', (f) => f.changeFailureRate, formatPercent, (f) => bandsOf(f).changeFailureRate),
    chart('Median time to restore', (f) => f.timeToRestoreSecondsMedian, formatDuration, (f) => bandsOf(f).timeToRestore),
  ].join('\n');
}

function thresholdsTable(): string {
  const rows = THRESHOLD_TABLE.map((r) =>
    `<tr><td>${escapeHtml(r.metric)}</td><td>${escapeHtml(r.elite)}</td><td>${escapeHtml(r.high)}</td><td>${escapeHtml(r.medium)}</td><td>${escapeHtml(r.low)}</td></tr>`).join('\n');
  return `<h2>Performance bands</h2>
<p>From the ${escapeHtml(BAND_SOURCE)}. A figure gets the best band whose threshold it meets, and low otherwise.</p>
<table><thead><tr><th>metric</th><th>elite</th><th>high</th><th>medium</th><th>low</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export function metricsHtml(report: MetricsReport): string {
  const rows = report.teams.map((t) =>
    `<tr><td>${escapeHtml(t.team)}</td><td>${escapeHtml(t.pipeline)}</td>${figureCells(t.figures)}<td class="error">${escapeHtml(t.error ?? '')}</td></tr>`).join('\n');
  const window = `${formatInstant(report.window.since)} (inclusive) to ${formatInstant(report.window.until)} (exclusive)`;
  return htmlPage('Springboard fleet: DORA metrics', `<p>Window ${escapeHtml(window)}.</p>
<table><thead><tr><th>team</th><th>pipeline</th><th>deployments</th><th>failures</th><th>deployments per day</th><th>median lead time*</th><th>change fail rate</th><th>median time to restore</th><th>error</th></tr></thead>
<tbody>
${rows}
<tr><th>fleet</th><td></td>${figureCells(report.fleet)}<td></td></tr>
</tbody></table>
<p class="note">* ${escapeHtml(LEAD_TIME_CAVEAT)}.</p>
${metricCharts(report)}
${thresholdsTable()}`, BAND_STYLE);
}

export function statusHtml(report: StatusReport): string {
  const envs = environmentColumns(report);
  const rows = report.teams.map((row) => {
    const stages = envs.map((e) => {
      const s = row.stages.find((x) => x.environment === e);
      return `<td>${s ? `${escapeHtml(s.status)}<br><span class="note">ok ${escapeHtml(formatInstant(s.lastSuccess))}</span>` : ''}</td>`;
    }).join('');
    const latest = row.latestExecution ? `${escapeHtml(row.latestExecution.status)} ${escapeHtml(formatInstant(row.latestExecution.startTime))}` : '-';
    const approval = row.pendingApproval ? `${escapeHtml(`${row.pendingApproval.stage}/${row.pendingApproval.action}`)} waiting ${formatDuration(row.pendingApproval.waitingSeconds)}` : '-';
    const failing = row.failing ? escapeHtml(`${row.failing.stage}${row.failing.action ? `/${row.failing.action}` : ''}: ${row.failing.summary}`) : '-';
    return `<tr><td>${escapeHtml(row.team)}</td><td>${escapeHtml(row.pipeline)}</td><td>${latest}</td>${stages}<td>${approval}</td><td>${failing}</td><td class="error">${escapeHtml(row.error ?? '')}</td></tr>`;
  }).join('\n');
  const waiting = report.teams.filter((t) => t.pendingApproval);
  const chart = barChart('Approvals waiting (hours)', waiting.length > 0
    ? waiting.map((t) => {
      const seconds = t.pendingApproval!.waitingSeconds;
      return { label: t.team, value: seconds / 3600, text: formatDuration(seconds), band: null };
    })
    : [{ label: 'none waiting', value: null, text: '', band: null }]);
  const counts = new Map<string, number>();
  for (const t of report.teams) {
    const state = t.latestExecution?.status ?? (t.error ? 'not read' : 'never run');
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const states = barChart('Latest execution state (pipelines)', [...counts].map(([state, n]) => ({ label: state, value: n, text: String(n), band: null })));
  return htmlPage('Springboard fleet: delivery status', `<p>At ${escapeHtml(formatInstant(report.generatedAt))}. "ok" is when the stage last succeeded.</p>
<table><thead><tr><th>team</th><th>pipeline</th><th>latest execution</th>${envs.map((e) => `<th>${escapeHtml(e)}</th>`).join('')}<th>pending approval</th><th>failing stage</th><th>error</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${states}
${chart}`, BAND_STYLE);
}
