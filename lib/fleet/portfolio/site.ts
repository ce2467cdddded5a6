/**
 * The portfolio's `--html DIR` sites: an index and one page per program office, for each of
 * `fleet scorecard`, `fleet vulns` and `fleet cost`, and for `fleet portfolio`, whose office page
 * shows each team's scorecard, the software it runs in prod and its cost against its budget.
 */
import { type OfficePortfolio, officePortfolios, type PortfolioReport, type TeamPortfolio } from './collect';
import { type LevelBar, levelChart, type OfficePage, writeSite } from './html';
import { type Level, LEVELS, levelOf } from './levels';
import { officeCriticals, scanAgeDays, scanWhen } from './render';
import { byProgramOffice } from './teams';
import type { PortfolioThresholds } from '../../registry/schema';
import type { CostReport } from '../cost/collect';
import { costHtmlTable, pct, usd } from '../cost/render';
import { formatInstant } from '../render/format';
import { escapeHtml } from '../render/page';
import type { Scorecard } from '../scorecard/collect';
import { scorecardHtmlTable } from '../scorecard/render';
import type { VulnReport, VulnRow } from '../vulns/collect';
import { vulnsHtmlTable } from '../vulns/render';
type WriteFile = (file: string, content: string) => void;

function criterionBar(label: string, value: string | number | null, level: Level, unit: string): LevelBar {
  return { label, value: typeof value === 'number' ? value : null, text: value === null ? `unknown (${level})` : `${value}${unit} (${level})`, level };
}


/** The scorecard's index and office pages. */
export function scorecardSite(card: Scorecard, dir: string, writeFile: WriteFile): string[] {
  return writeSite(dir, 'Springboard portfolio scorecard', `<p>At ${escapeHtml(card.generatedAt.toISOString())}; templates ${escapeHtml(card.templatesVersion)} in this checkout.</p>`,
    byProgramOffice(card.teams).map(([office, rows]): OfficePage => {
      const score = card.offices.find((o) => o.programOffice === office)!;
      const levels = score.levels.overall;
      return {
        office,
        summary: `${score.level}: ${levels.red} red, ${levels.amber} amber, ${levels.unknown} unknown, ${levels.green} green of ${rows.length} teams`,
        body: [
          '<h2>Teams</h2>',
          levelChart('Teams at each level', (['red', 'amber', 'unknown', 'green'] as Level[]).map((l) => ({ label: l, value: levels[l], text: `${levels[l]} teams`, level: l }))),
          scorecardHtmlTable(rows),
          '<h2>Budget and vulnerable software</h2>',
          levelChart('Budget used this month (percent)', rows.map((r) => criterionBar(r.team, r.criteria.budgetUse.value, r.criteria.budgetUse.level, '%'))),
          levelChart('Critical vulnerabilities running in prod', rows.map((r) => criterionBar(r.team, r.criteria.criticalVulnerabilities.value, r.criteria.criticalVulnerabilities.level, ''))),
        ].join('\n'),
      };
    }), writeFile);
}

/** The vulnerabilities' index and office pages. */
export function vulnsSite(report: VulnReport, dir: string, writeFile: WriteFile): string[] {
  return writeSite(dir, 'Springboard: vulnerable software running', `<p>At ${escapeHtml(report.generatedAt.toISOString())}. A prod critical older than ${report.criticalMaxAgeDays} days is overdue; an image without a complete scan is never shown as clean.</p>`,
    byProgramOffice(report.rows).map(([office, rows]): OfficePage => {
      const prod = rows.filter((r) => r.isProd);
      const criticals = prod.reduce((n, r) => n + r.criticalAgesDays.length, 0);
      return {
        office,
        summary: `${criticals} critical(s) running in prod, ${prod.filter((r) => r.overdue).length} team(s) overdue, ${prod.filter((r) => r.scan?.state !== 'complete').length} without a complete scan`,
        body: [
          '<h2>Prod</h2>',
          levelChart('Critical vulnerabilities running in prod', prod.map((r) => {
            const level: Level = r.scan?.state !== 'complete' ? 'unknown' : r.overdue ? 'red' : r.criticalAgesDays.length > 0 ? 'amber' : 'green';
            return { label: r.team, value: r.scan?.state === 'complete' ? r.criticalAgesDays.length : null, text: r.scan?.state === 'complete' ? `${r.criticalAgesDays.length} (${level})` : 'no complete scan (unknown)', level };
          })),
          '<h2>Every environment</h2>',
          vulnsHtmlTable(rows),
        ].join('\n'),
      };
    }), writeFile);
}

/** The cost's index and office pages. */
export function costSite(report: CostReport, thresholds: PortfolioThresholds, dir: string, writeFile: WriteFile): string[] {
  const period = report.period;
  return writeSite(dir, 'Springboard: cost against budget', `<p>${escapeHtml(`${period.start} to ${period.end} (exclusive)${period.partial ? ', month to date' : ''}; untagged cost in Springboard's accounts: ${usd(report.untaggedUsd)}; total ${usd(report.totalUsd)}.`)}</p>${report.error ? `<p class="error">${escapeHtml(report.error)}</p>` : ''}`,
    byProgramOffice(report.teams).map(([office, rows]): OfficePage => {
      const total = report.offices.find((o) => o.programOffice === office);
      return {
        office,
        summary: `${usd(total?.totalUsd ?? null)} of ${usd(total?.budgetUsd ?? null)} (${pct(total?.budgetUsePercent ?? null)})`,
        body: [
          levelChart('Budget used (percent of the monthly budget)', rows.map((r) => {
            const level = levelOf(r.budgetUsePercent, thresholds.budgetUsePercent);
            return { label: r.team, value: r.budgetUsePercent, text: `${pct(r.budgetUsePercent)}, ${usd(r.totalUsd)} (${level})`, level };
          })),
          costHtmlTable(rows, total),
        ].join('\n'),
      };
    }), writeFile);
}

/** The level a prod image's criticals earn: no complete scan is unknown, never green. */
function prodVulnLevel(row: VulnRow): Level {
  if (row.scan?.state !== 'complete') return 'unknown';
  return row.overdue ? 'red' : row.criticalAgesDays.length > 0 ? 'amber' : 'green';
}

/** Each team's prod image: full digest, counts by severity, scan time and age, oldest critical. */
function prodImagesTable(teams: readonly TeamPortfolio[], now: Date, maxAgeDays: number): string {
  const cell = (row: VulnRow, s: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW'): string => `<td class="num">${row.scan?.counts ? row.scan.counts[s] : '-'}</td>`;
  const body = teams.map(({ team, prod }) => {
    const age = scanAgeDays(prod, now);
    const oldest = prod.criticalAgesDays.length > 0 ? `${Math.floor(prod.criticalAgesDays[0])} days${prod.overdue ? ` (over ${maxAgeDays}: overdue)` : ''}` : '-';
    return `<tr><th scope="row">${escapeHtml(team)}</th><td><span class="level ${prodVulnLevel(prod)}">${prodVulnLevel(prod)}</span></td>`
      + `<td><code>${escapeHtml(prod.digest ?? '-')}</code></td>${cell(prod, 'CRITICAL')}${cell(prod, 'HIGH')}${cell(prod, 'MEDIUM')}${cell(prod, 'LOW')}`
      + `<td>${escapeHtml(prod.scan?.state === 'complete' ? formatInstant(prod.scan.scanCompletedAt) : scanWhen(prod, now))}${prod.scan?.enhanced ? ' (enhanced)' : ''}</td>`
      + `<td class="num">${age === null ? '-' : `${age} days`}</td><td>${escapeHtml(oldest)}</td><td class="error">${escapeHtml(prod.error ?? '')}</td></tr>`;
  }).join('\n');
  return '<table><caption>Images running in prod and their scan findings</caption><thead><tr><th scope="col">team</th><th scope="col">level</th><th scope="col">digest</th>'
    + '<th scope="col">critical</th><th scope="col">high</th><th scope="col">medium</th><th scope="col">low</th><th scope="col">scanned</th><th scope="col">scan age</th>'
    + `<th scope="col">oldest critical</th><th scope="col">error</th></tr></thead>
<tbody>
${body}
</tbody></table>`;
}

function officeSummary(office: OfficePortfolio): string {
  const levels = office.score.levels.overall;
  const c = officeCriticals(office);
  return `${office.score.level}: ${levels.red} red, ${levels.amber} amber, ${levels.unknown} unknown, ${levels.green} green of ${office.teams.length} teams; `
    + `${c.known} critical(s) in prod, ${c.overdue} overdue, ${c.unscanned} without a complete scan; `
    + `cost ${usd(office.cost.totalUsd)} of ${usd(office.cost.budgetUsd)} (${pct(office.cost.budgetUsePercent)})`;
}

function officeBody(report: PortfolioReport, office: OfficePortfolio): string {
  const now = report.generatedAt;
  const { thresholds } = report.scorecard;
  const levels = office.score.levels.overall;
  const others = office.teams.flatMap((t) => t.environments.filter((r) => !r.isProd));
  return [
    `<p>${escapeHtml(officeSummary(office))}.</p>`,
    '<h2>Scorecard</h2>',
    levelChart('Teams at each level', LEVELS.map((l) => ({ label: l, value: levels[l], text: `${levels[l]} teams`, level: l }))),
    scorecardHtmlTable(office.teams.map((t) => t.score)),
    '<h2>Vulnerable software running in prod</h2>',
    `<p>The image each team's prod service runs, pinned by digest, and ECR's scan of that digest. A critical older than ${report.vulns.criticalMaxAgeDays} days is overdue; an image without a complete scan has no counts and is never shown as clean.</p>`,
    levelChart('Critical vulnerabilities running in prod', office.teams.map(({ team, prod }) => {
      const level = prodVulnLevel(prod);
      const known = prod.scan?.state === 'complete';
      return { label: team, value: known ? prod.criticalAgesDays.length : null, text: known ? `${prod.criticalAgesDays.length} (${level})` : `no complete scan (${level})`, level };
    })),
    prodImagesTable(office.teams, now, report.vulns.criticalMaxAgeDays),
    '<h2>Cost against budget</h2>',
    `<p>${escapeHtml(costPeriodText(report.cost))}</p>`,
    levelChart('Cost as a percent of the monthly budget', office.teams.map(({ team, cost }) => {
      const level = levelOf(cost.budgetUsePercent, thresholds.budgetUsePercent);
      return { label: team, value: cost.budgetUsePercent, text: `${pct(cost.budgetUsePercent)}: ${usd(cost.totalUsd)} of ${usd(cost.budgetUsd)} (${level})`, level };
    })),
    costHtmlTable(office.teams.map((t) => t.cost), office.cost),
    '<h2>Other environments</h2>',
    vulnsHtmlTable(others),
  ].join('\n');
}

function costPeriodText(cost: CostReport): string {
  const { period } = cost;
  return `Cost Explorer, ${period.start} to ${period.end} (exclusive)${period.partial ? ', month to date' : ''}, by the Team and Environment tags`
    + (cost.error ? `: not read (${cost.error})` : '.');
}

function portfolioIndex(report: PortfolioReport, offices: readonly OfficePortfolio[], fileOf: (office: string) => string): string {
  const { thresholds } = report.scorecard;
  const rows = offices.map((o) => {
    const l = o.score.levels.overall;
    const c = officeCriticals(o);
    return `<tr><th scope="row"><a href="${escapeHtml(fileOf(o.programOffice))}">${escapeHtml(o.programOffice)}</a></th><td class="num">${o.teams.length}</td>`
      + `<td><span class="level ${o.score.level}">${o.score.level}</span></td><td class="num">${l.red}</td><td class="num">${l.amber}</td><td class="num">${l.unknown}</td><td class="num">${l.green}</td>`
      + `<td class="num">${c.known}</td><td class="num">${c.overdue}</td><td class="num">${c.unscanned}</td>`
      + `<td class="num">${usd(o.cost.totalUsd)}</td><td class="num">${usd(o.cost.budgetUsd)}</td><td class="num">${pct(o.cost.budgetUsePercent)}</td></tr>`;
  }).join('\n');
  return [
    '<h2>Program offices</h2>',
    '<table><caption>Each program office: teams at each level, vulnerable software in prod, cost against budget</caption><thead><tr><th scope="col">program office</th><th scope="col">teams</th><th scope="col">level</th>'
      + '<th scope="col">red</th><th scope="col">amber</th><th scope="col">unknown</th><th scope="col">green</th><th scope="col">prod criticals</th><th scope="col">overdue</th>'
      + `<th scope="col">without a complete scan</th><th scope="col">cost</th><th scope="col">budget</th><th scope="col">budget used</th></tr></thead>
<tbody>
${rows}
</tbody></table>`,
    levelChart('Cost as a percent of the monthly budget, per program office', offices.map((o) => {
      const level = levelOf(o.cost.budgetUsePercent, thresholds.budgetUsePercent);
      return { label: o.programOffice, value: o.cost.budgetUsePercent, text: `${pct(o.cost.budgetUsePercent)} (${level})`, level };
    })),
    levelChart('Teams at the red level, per program office', offices.map((o) => ({
      label: o.programOffice, value: o.score.levels.overall.red, text: `${o.score.levels.overall.red} of ${o.teams.length}`, level: o.score.levels.overall.red > 0 ? 'red' : 'green',
    }))),
    `<p>${escapeHtml(`Untagged cost in Springboard's accounts: ${usd(report.cost.untaggedUsd)}; total ${usd(report.cost.totalUsd)}.`)}</p>`,
  ].join('\n');
}

/** `fleet portfolio --html DIR`: the index (a row per office) and one page per program office. */
export function portfolioSite(report: PortfolioReport, dir: string, writeFile: WriteFile): string[] {
  const offices = officePortfolios(report);
  const { window } = report.scorecard;
  const intro = `<p>${escapeHtml(`At ${formatInstant(report.generatedAt)}; DORA over ${formatInstant(window.since)} to ${formatInstant(window.until)}; `
    + `templates ${report.scorecard.templatesVersion} in this checkout; ${costPeriodText(report.cost)}`)}</p>`;
  const pages = offices.map((o): OfficePage => ({ office: o.programOffice, summary: officeSummary(o), body: officeBody(report, o) }));
  return writeSite(dir, 'Springboard portfolio', intro, pages, writeFile, (fileOf) => portfolioIndex(report, offices, fileOf));
}
