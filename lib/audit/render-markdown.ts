/** report.md: the same evidence as index.html, readable on a code host (tables, no drawings). */
import { SHARED_GROUP, UNASSIGNED_GROUP } from './build-report';
import { answers, checkTitle, factKeys, kib, percent, plural, roleRows } from './format';
import { AuditFinding, AuditReport, EnvironmentSection, EvidenceRow } from './model';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

function table(headers: readonly string[], rows: readonly (readonly string[])[], empty = '_None._'): string {
  if (rows.length === 0) return `${empty}\n`;
  return [`| ${headers.map(cell).join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(r => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';
}

function findingTable(findings: readonly AuditFinding[]): string {
  return table(['Resource', 'Rule', 'Status', 'Description', 'NIST', 'Reason'],
    findings.map(f => [`\`${f.constructPath}\``, f.ruleId, f.status, f.description, f.controls.join(', '), f.reason ?? '']), '_No finding._');
}

/** One table per check, so each has only its own columns. */
function evidence(rows: readonly EvidenceRow[]): string {
  if (rows.length === 0) return '_None in this environment._\n';
  return [...new Set(rows.map(r => r.check))].map(check => `_${checkTitle(check)}_\n\n${evidenceTable(rows.filter(r => r.check === check))}`).join('\n');
}

function evidenceTable(rows: readonly EvidenceRow[]): string {
  const keys = factKeys(rows);
  return table(['Resource', 'Status', ...keys, 'Detail'], rows.map(r => [`\`${r.resourcePath}\``, r.status, ...keys.map(k => r.facts[k] ?? '—'), r.detail]), '_None in this environment._');
}

function environment(env: EnvironmentSection): string {
  const nodes = new Map(env.diagram.nodes.map(n => [n.id, `${n.label} (${n.kind})`]));
  const badTags = env.evidence.tags.filter(r => r.status === 'non-compliant');
  const title = env.team === SHARED_GROUP || env.team === UNASSIGNED_GROUP ? env.environment : `${env.team}: ${env.environment}`;
  return [
    `#### ${title}\n`,
    `${env.strict ? 'Production rules apply.' : 'Non-production.'} Stacks: ${env.stacks.map(s => `\`${s}\``).join(', ')}.\n`,
    '##### Connections (who can reach what)\n',
    table(['From', 'To', 'How'], env.diagram.edges.map(e => [nodes.get(e.from) ?? e.from, nodes.get(e.to) ?? e.to, e.label]), '_No network path in the templates._'),
    '##### Resource inventory\n', table(['Type', 'Count'], env.inventory.map(i => [i.type, String(i.count)])),
    '##### Encryption at rest\n', evidence(env.evidence.encryption),
    '##### Reachable from the internet\n', evidence(env.evidence.reachability),
    '##### IAM roles\n', table(['Role', 'Status', 'Boundary', 'Trust', 'Managed policies', 'Wildcard actions', 'Statements on *'],
      roleRows(env.evidence.iam).map(r => [`\`${r.resourcePath}\``, r.status, r.boundary, r.trust, r.managed, r.wildcardActions, r.starResources]), '_No role._'),
    '##### Logging and retention\n', evidence(env.evidence.logging),
    table(['Resource', 'Kind', 'Destination'], env.accessLogs.map(a => [`\`${a.resourcePath}\``, a.kind, a.destination]), ''),
    '##### Backups, deletion protection and retention policies\n', evidence(env.evidence.resilience),
    '##### Required tags\n', `${env.evidence.tags.length - badTags.length} of ${env.evidence.tags.length} taggable resources carry every required tag.\n`, badTags.length ? evidence(badTags) : '',
    '##### Findings\n', findingTable(env.findings),
  ].join('\n');
}

/** The IAM section's closures: per team, per start principal, what it reaches; flagged ones with their path. */
export function closuresMarkdown(closures: AuditReport['iamClosures']): string {
  if (!closures.computed) return `**Not computed**: ${closures.reason}. No result is shown rather than a clean one. To compute it, ${closures.howTo}.\n`;
  const intro = 'Each team principal, holding `*` on `*` so that its permissions boundary is the only ceiling, and every principal it can come to act as (assume, pass to a service, write IAM, change or start a build or function).\n';
  return intro + closures.teams.map(t => `### Team ${t.team}\n\n${table(['Start principal', 'Account', 'Verdict', 'Reaches'],
    t.starts.map(s => [`\`${s.start}\``, s.account, s.flagged.length ? `FLAGGED: ${s.flagged.join('; ')}` : 'contained', s.reached.map(a => `\`${a}\``).join(', ') || '—']))}${
    t.starts.flatMap(s => Object.entries(s.paths).map(([arn, path]) => `\nPath to \`${arn}\`:\n\n${path.map(e => `- \`${e}\``).join('\n')}\n`)).join('')}`).join('\n');
}

export function renderMarkdown(report: AuditReport): string {
  const open = report.findings.filter(f => f.status === 'open');
  const b = report.baseline;
  return [
    '# Springboard audit evidence\n',
    `**Verdict: ${report.verdict.toUpperCase()}**${report.reasons.length ? ` — ${report.reasons.join('; ')}` : ' — no open finding, no flagged change'}\n`,
    `Assembly \`${report.assembly.directory}\` (schema ${report.assembly.schemaVersion}): ${plural(report.assembly.stacks, 'stack')}, ${plural(report.assembly.resources, 'resource')}. Evaluated by the audit itself${report.assembly.gateVerdict ? `; the gate recorded ${report.assembly.gateVerdict} at synth (context only)` : '; no gate report in the assembly'}. Rule policy: ${report.policy.source ? `\`${report.policy.source}\`` : report.policy.note ?? 'none'}.\n`,
    ...answers(report).map(a => `- **${a.question}** ${a.answer}`), '',
    '## Open findings\n', findingTable(open),
    '## Rule packs\n',
    table(['Pack', 'Evaluated', 'Passed', 'Failed', 'Acknowledged', 'Disabled'], report.packs.map(p => [p.label, String(p.evaluated), String(p.passed), String(p.failed), String(p.acknowledged), String(p.disabled)])),
    ...report.packs.filter(p => p.rules.length).map(p => `<details><summary>${p.label}: rules not simply passed</summary>\n\n${table(['Rule', 'State', 'Open', 'Acknowledged', 'Reasons'], p.rules.map(r => [r.id, r.state, String(r.open), String(r.acknowledged), r.reasons.join(' / ') || '—']))}\n</details>\n`),
    '## NIST 800-53 rev 5 control evidence\n',
    table(['Control', 'Title', 'Rules and checks', 'Compliant results', 'Open', 'Acknowledged', 'Disabled'],
      report.controls.filter(c => c.focus || c.open || c.acknowledged || c.disabled)
        .map(c => [c.control, c.title, ...[c.rulesEvaluated, c.compliantResults, c.open, c.acknowledged, c.disabled].map(String)])),
    '## What was accepted, and why\n', '### Acknowledgments\n',
    table(['Resource', 'Rule', 'Reason'], report.acknowledgments.map(a => [`\`${a.resourcePath}\``, a.rule, a.reason]), '_No acknowledgment._'),
    '### Acknowledged destructive changes (prod data guard)\n',
    table(['Team', 'Environment', 'Resource', 'Change', 'Reason', 'Reviewer', 'Still applies'], report.acknowledgedChanges.map(a => [
      a.team ?? '—', a.environment ?? '—', `\`${a.logicalId}\``, a.property ? `${a.action} ${a.property}` : a.action, a.reason, a.reviewer, a.stale ? `**no**: ${a.stale}` : 'yes',
    ]), '_No acknowledged change._'),
    '### Rules disabled platform-wide\n',
    table(['Rule', 'Pack', 'Control', 'Reason'], report.disabledRules.map(d => [d.rule, d.pack, d.control, d.reason]), '_No rule disabled._'),
    '## Changes since the approved baseline\n',
    b ? `Compared with \`${b.baselineDirectory}\`: **${plural(b.flaggedCount, 'flagged change')}**.\n\n${table(['Resource', 'Flagged', 'Category', 'Change'], b.changes.filter(c => c.category !== 'other').map(c => [`\`${c.resourcePath ?? c.stack}\``, c.flagged ? 'yes' : 'no', c.category, c.detail]), '_No security-relevant or stateful change._')}\n${b.changes.filter(c => c.category === 'other').length} other changes.\n` : '_No baseline given._\n',
    '## CloudFormation quota headroom\n',
    table(['Stack', 'Resources /500', 'Outputs /200', 'Parameters /200', 'Template /1 MB', 'Highest', 'Flagged'],
      report.quotas.map(q => [q.stack, String(q.resources), String(q.outputs), String(q.parameters), kib(q.templateBytes), percent(q.maxRatio), q.flagged ? 'yes' : 'no'])),
    '## Fleet resource inventory\n', table(['Type', 'Count'], report.inventory.map(i => [i.type, String(i.count)])),
    '## IAM: each team\'s escalation closure\n', closuresMarkdown(report.iamClosures),
    '## Teams and environments\n',
    ...report.teams.map(t => `### ${t.team === SHARED_GROUP || t.team === UNASSIGNED_GROUP ? t.team : `Team ${t.team}`}\n\n${t.environments.map(environment).join('\n')}`),
  ].join('\n');
}
