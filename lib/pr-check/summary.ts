/**
 * The reviewer's summary of a registry pull request, as Markdown for a pull-request comment: the
 * verdict, each check's result, IAM broadening first, the other flagged changes, then what failed.
 * Long lists are cut so the comment stays under the 65,536 characters a GitHub comment holds.
 */
import type { PullRequestCheckResult, PullRequestVerdict } from './check';
import type { BaselineChange } from '../audit';

/** Items listed per section before the rest is counted only. */
export const LIST_LIMIT = 40;
/** Kept under GitHub's 65,536-character comment limit, with room for a workflow's own header. */
export const SUMMARY_LIMIT = 60_000;
/** The first line of every summary: a workflow finds its earlier comment by it and edits that. */
export const SUMMARY_MARKER = '<!-- springboard-pr-check -->';

const HEADLINE: Record<PullRequestVerdict, string> = {
  pass: 'PASS: the registry is valid, compliant, and changes nothing the audit flags',
  review: 'REVIEW: valid and compliant, with flagged changes below for the reviewer',
  fail: 'FAIL: this change cannot merge as it is',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function limited<T>(items: readonly T[], render: (item: T) => string): string[] {
  const lines = items.slice(0, LIST_LIMIT).map(render);
  if (items.length > LIST_LIMIT) lines.push(`- ... and ${items.length - LIST_LIMIT} more (see the audit report)`);
  return lines;
}

function checksTable(r: PullRequestCheckResult): string[] {
  const errors = r.registry.diagnostics.filter(d => d.severity === 'error').length;
  const validate = r.registry.ok ? `pass: ${r.registry.teams.length} teams valid` : `fail: ${errors} error${errors === 1 ? '' : 's'}`;
  const gate = r.synthesis?.gate;
  const gateText = !r.synthesis ? 'not run (the registry is invalid)'
    : gate ? `${gate.verdict}: ${gate.summary.open} open, ${gate.summary.acknowledged} acknowledged, ${gate.summary.disabled} disabled (${gate.summary.templates} templates)`
      : `fail: ${r.synthesis.errors.join('; ')}`;
  const audit = r.audit ? `${r.audit.verdict}: ${r.audit.summary.open} open findings, ${r.audit.summary.baselineFlagged} flagged changes` : 'not run';
  const base = r.baseline.ref ? `the registry at \`${r.baseline.ref}\` (${r.baseline.commit?.slice(0, 12)}), synthesized with this code` : `the approved assembly \`${r.baseline.assembly}\``;
  return [
    '| check | result |', '|---|---|',
    `| \`springboard validate\` | ${cell(validate)} |`,
    `| compliance gate | ${cell(gateText)} |`,
    `| \`springboard audit --baseline\` | ${cell(audit)} |`,
    `| compared with | ${cell(base)} |`,
  ];
}

function changeLine(c: BaselineChange): string {
  const where = [c.stack, c.resourcePath ?? c.logicalId].filter(Boolean).join(' ');
  return `- **${where}**${c.resourceType ? ` (${c.resourceType})` : ''}: ${c.detail}`;
}

function statementTable(c: BaselineChange): string[] {
  if (!c.table || c.table.length < 2) return [];
  const [head, ...rows] = c.table;
  return ['', `  | ${head.map(cell).join(' | ')} |`, `  |${head.map(() => '---').join('|')}|`, ...rows.map(row => `  | ${row.map(cell).join(' | ')} |`), ''];
}

export function pullRequestSummary(r: PullRequestCheckResult): string {
  const lines = [SUMMARY_MARKER, `## Springboard registry check: ${HEADLINE[r.verdict]}`, '', ...checksTable(r)];
  const errors = r.registry.diagnostics.filter(d => d.severity === 'error');
  if (errors.length > 0) {
    lines.push('', `### Registry errors (${errors.length})`, ...limited(errors, d => `- \`${d.file}:${d.line}\`${d.field ? ` ${d.field}` : ''}: ${d.message}`));
  }
  if (r.synthesis && r.synthesis.errors.length > 0) lines.push('', '### Synthesis stopped', ...limited(r.synthesis.errors, e => `- ${e}`));
  const open = (r.synthesis?.gate?.findings ?? []).filter(f => f.status === 'open');
  if (open.length > 0) lines.push('', `### Open compliance findings (${open.length})`, ...limited(open, f => `- \`${f.ruleId}\` on ${f.constructPath}: ${f.description}`));
  const changes = r.audit?.baseline?.changes ?? [];
  const broadening = changes.filter(c => c.category === 'iam-broadening');
  const flagged = changes.filter(c => c.flagged && c.category !== 'iam-broadening');
  lines.push('', `### IAM broadening (${broadening.length})`);
  lines.push(...(broadening.length ? limited(broadening, c => [changeLine(c), ...statementTable(c)].join('\n')) : ['None: no permission is added or widened.']));
  lines.push('', `### Other flagged changes (${flagged.length})`);
  lines.push(...(flagged.length ? limited(flagged, c => `${changeLine(c)} _(${c.category})_`) : ['None.']));
  if (r.audit) {
    const other = changes.length - broadening.length - flagged.length;
    const reasons = r.audit.reasons.filter(x => !/flagged change/.test(x));
    if (reasons.length) lines.push('', '### The audit also says', ...reasons.map(x => `- ${x}`));
    lines.push('', `${other} other change${other === 1 ? '' : 's'}, unflagged; the full report is in \`${r.out}/audit\` (index.html, report.md).`);
  }
  const text = lines.join('\n') + '\n';
  return text.length <= SUMMARY_LIMIT ? text : `${text.slice(0, SUMMARY_LIMIT)}\n\n... cut at ${SUMMARY_LIMIT} characters; the full report is in \`${r.out}/audit\`.\n`;
}
