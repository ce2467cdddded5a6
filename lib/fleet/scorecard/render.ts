/** `fleet scorecard` as a terminal table, the `--json` contract, CSV and the HTML section of a program office. */
import type { Scorecard, ScorecardRow } from './collect';
import { CRITERIA, CRITERION_INFO } from './criteria';
import type { ScorecardJson } from '../portfolio/contracts';
import { csvTable } from '../render/csv';
import { formatInstant, textTable } from '../render/format';
import { escapeHtml } from '../render/page';

export function scorecardJson(card: Scorecard): ScorecardJson {
  return {
    generatedAt: card.generatedAt.toISOString(),
    since: card.window.since.toISOString(),
    until: card.window.until.toISOString(),
    templatesVersion: card.templatesVersion,
    thresholds: { ...card.thresholds },
    teams: card.teams.map((t) => ({
      team: t.team,
      programOffice: t.programOffice,
      level: t.level,
      criteria: Object.fromEntries(CRITERIA.map((c) => [c, { ...t.criteria[c] }])) as ScorecardJson['teams'][number]['criteria'],
      errors: [...t.errors],
    })),
    offices: card.offices.map((o) => ({
      programOffice: o.programOffice,
      teams: o.teams,
      level: o.level,
      levels: JSON.parse(JSON.stringify(o.levels)) as ScorecardJson['offices'][number]['levels'],
    })),
  };
}

/** `amber 34d`: the level first, so that the table does not rely on colour. */
export function cellText(row: ScorecardRow, c: (typeof CRITERIA)[number]): string {
  const r = row.criteria[c];
  const value = r.value === null ? '?' : c === 'prodReleaseAge' ? `${r.value}d` : c === 'budgetUse' ? `${r.value}%` : String(r.value);
  return `${r.level} ${value}`;
}

export function scorecardTable(card: Scorecard): string {
  const headers = ['TEAM', 'PROGRAM OFFICE', 'LEVEL', ...CRITERIA.map((c) => CRITERION_INFO[c].title.toUpperCase()), 'ERRORS'];
  const rows = card.teams.map((t) => [t.team, t.programOffice, t.level.toUpperCase(), ...CRITERIA.map((c) => cellText(t, c)), t.errors.join('; ')]);
  for (const o of card.offices) {
    const overall = o.levels.overall;
    rows.push([`OFFICE (${o.teams} teams)`, o.programOffice, o.level.toUpperCase(),
      ...CRITERIA.map((c) => `${o.levels[c].red}r ${o.levels[c].amber}a ${o.levels[c].unknown}? ${o.levels[c].green}g`),
      `${overall.red} red, ${overall.amber} amber, ${overall.unknown} unknown, ${overall.green} green`]);
  }
  return [
    `Portfolio scorecard at ${formatInstant(card.generatedAt)}; DORA over ${formatInstant(card.window.since)} to ${formatInstant(card.window.until)}; templates ${card.templatesVersion} in this checkout`,
    '',
    textTable(headers, rows),
    '',
    'Levels: red, amber, unknown (could not be read: never green), green. Office rows count teams per level (r a ? g).',
    ...CRITERIA.map((c) => `  ${CRITERION_INFO[c].title}: ${CRITERION_INFO[c].why}`),
  ].join('\n');
}

export function scorecardCsv(card: Scorecard): string {
  return csvTable(
    ['team', 'programOffice', 'level', ...CRITERIA.flatMap((c) => [c, `${c}Level`]), 'errors'],
    card.teams.map((t) => [t.team, t.programOffice, t.level, ...CRITERIA.flatMap((c) => [t.criteria[c].value, t.criteria[c].level]), t.errors.join('; ')]),
  );
}

export function scorecardHtmlTable(rows: readonly ScorecardRow[]): string {
  const head = CRITERIA.map((c) => `<th scope="col">${escapeHtml(CRITERION_INFO[c].title)}</th>`).join('');
  const body = rows.map((t) => `<tr><th scope="row">${escapeHtml(t.team)}</th><td><span class="level ${t.level}">${t.level}</span></td>`
    + CRITERIA.map((c) => {
      const r = t.criteria[c];
      return `<td><span class="level ${r.level}">${escapeHtml(cellText(t, c))}</span>${r.detail ? `<br><span class="note">${escapeHtml(r.detail)}</span>` : ''}</td>`;
    }).join('')
    + `<td class="error">${escapeHtml(t.errors.join('; '))}</td></tr>`).join('\n');
  return `<table><caption>Scorecard per team</caption><thead><tr><th scope="col">team</th><th scope="col">level</th>${head}<th scope="col">errors</th></tr></thead>
<tbody>
${body}
</tbody></table>
<h3>Why each criterion is here</h3>
<dl>${CRITERIA.map((c) => `<dt>${escapeHtml(CRITERION_INFO[c].title)}</dt><dd>${escapeHtml(CRITERION_INFO[c].why)}</dd>`).join('')}</dl>`;
}
