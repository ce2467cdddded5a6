/**
 * index.html: one self-contained file (inline styles and script, no external URL) that meets
 * WCAG 2.1 AA: lang, skip link, landmarks, headings in order, captioned tables with scoped
 * headers, status written as text (never colour alone), contrast of at least 4.5:1.
 */
import { BaselineChange } from './baseline-diff';
import { SHARED_GROUP, UNASSIGNED_GROUP } from './build-report';
import { EvidenceSection } from './checks/types';
import { answers, checkTitle, escapeHtml as h, factKeys, kib, percent, plural, roleRows } from './format';
import { AuditFinding, AuditReport, EnvironmentSection, EvidenceRow, TeamSection } from './model';

const STYLE = `
:root{--fg:#1f2937;--muted:#374151;--link:#1d4ed8;--line:#d1d5db;--bg:#ffffff;--panel:#f3f4f6}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg);line-height:1.5}
a{color:var(--link)}
a:focus,button:focus,input:focus,summary:focus{outline:3px solid #b45309;outline-offset:2px}
.skip-link{position:absolute;left:-9999px;top:0;background:#111827;color:#fff;padding:.5rem 1rem;z-index:10}
.skip-link:focus{left:0}
header,footer{background:#111827;color:#f9fafb;padding:1rem 2rem}
header p,footer p{margin:.25rem 0;color:#e5e7eb}
nav{background:var(--panel);padding:.75rem 2rem;border-bottom:1px solid var(--line)}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
main{padding:1rem 2rem;max-width:100rem}
section{margin-bottom:2rem}
h1{font-size:1.8rem;margin:.2rem 0}h2{font-size:1.5rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.3rem}h4{font-size:1.15rem}h5{font-size:1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.25rem 0;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--panel)}
.badge{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-weight:600;white-space:nowrap}
.pass,.compliant,.passed{background:#dcfce7;color:#14532d}
.fail,.non-compliant,.failed,.open{background:#fee2e2;color:#7f1d1d}
.acknowledged,.disabled{background:#fef9c3;color:#713f12}
.verdict{font-size:1.3rem;padding:.5rem 1rem;border-radius:.4rem;display:inline-block}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:.4rem;padding:.5rem 1rem;min-width:10rem}
.card strong{display:block;font-size:1.4rem}
.diagram-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:.4rem;padding:.5rem;background:#fff}
figure{margin:0}figcaption{color:var(--muted);font-size:.9rem}
pre{background:var(--panel);padding:.75rem;overflow-x:auto;font-size:.8rem;border:1px solid var(--line)}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
.filter{margin:.5rem 0}.filter input{padding:.3rem;font-size:1rem;border:1px solid var(--muted);border-radius:.25rem}
dl.answers dt{font-weight:700;margin-top:.5rem}dl.answers dd{margin-left:1rem}
`;

// Filters any table marked data-filterable by the text typed in the box before it; no network, no globals.
const SCRIPT = `
(function(){
  document.querySelectorAll('input[data-filter]').forEach(function(input){
    var table=document.getElementById(input.getAttribute('data-filter'));
    var status=document.getElementById(input.getAttribute('data-filter')+'-count');
    if(!table){return;}
    input.addEventListener('input',function(){
      var q=input.value.toLowerCase();var shown=0;
      table.querySelectorAll('tbody tr').forEach(function(row){
        var match=row.textContent.toLowerCase().indexOf(q)!==-1;row.hidden=!match;if(match){shown++;}
      });
      if(status){status.textContent=shown+' rows shown';}
    });
  });
})();
`;

const badge = (state: string) => `<span class="badge ${h(state)}">${h(state)}</span>`;

function table(id: string, caption: string, headers: readonly string[], rows: readonly (readonly string[])[], empty = 'None.'): string {
  if (rows.length === 0) return `<p>${h(caption)}: ${h(empty)}</p>`;
  return [
    `<table id="${id}"><caption>${h(caption)}</caption>`,
    `<thead><tr>${headers.map(x => `<th scope="col">${h(x)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map(r => `<tr>${r.map((c, i) => i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`,
  ].join('\n');
}

function filterBox(tableId: string, label: string): string {
  return `<div class="filter"><label for="${tableId}-q">${h(label)}</label> <input id="${tableId}-q" type="search" data-filter="${tableId}"> <span id="${tableId}-count" role="status" aria-live="polite"></span></div>`;
}

function section(id: string, heading: string, body: string, level = 2): string {
  return `<section id="${id}" aria-labelledby="${id}-h"><h${level} id="${id}-h">${h(heading)}</h${level}>\n${body}\n</section>`;
}

const FINDING_HEADERS = ['Resource', 'Rule', 'Status', 'Description', 'NIST controls', 'Reason', 'Stack'];
const OPEN_FINDING_HEADERS = FINDING_HEADERS.filter(x => x !== 'Reason');

function findingRows(findings: readonly AuditFinding[], withReason = true): string[][] {
  return findings.map(f => [
    h(f.constructPath), h(f.ruleId), badge(f.status), h(f.description), h(f.controls.join(', ') || '—'), ...(withReason ? [h(f.reason ?? '')] : []), h(f.stack),
  ]);
}

function summary(report: AuditReport): string {
  const cards = [
    ['Stacks', report.assembly.stacks], ['Resources', report.assembly.resources], ['Open findings', report.summary.open],
    ['Acknowledged', report.summary.acknowledged], ['Disabled by policy', report.summary.disabled], ['Flagged changes', report.summary.baselineFlagged],
  ];
  return [
    `<p class="verdict ${report.verdict}"><strong>Verdict: ${report.verdict === 'pass' ? 'PASS' : 'FAIL'}</strong>${report.reasons.length ? ` — ${h(report.reasons.join('; '))}` : ' — no open finding, no flagged change'}</p>`,
    `<div class="cards">${cards.map(([k, v]) => `<div class="card"><strong>${v}</strong>${k}</div>`).join('')}</div>`,
    `<p>Assembly <code>${h(report.assembly.directory)}</code> (cloud assembly schema ${h(report.assembly.schemaVersion)}). The audit evaluated every template itself with the gate's rule packs and Springboard's checks; ${report.assembly.gateVerdict ? `the gate had recorded <strong>${h(report.assembly.gateVerdict)}</strong> at synth, shown for context only` : 'no gate report was found in the assembly (the gate may have been off); that does not change the judgement'}.</p>`,
    `<p>Rule policy: ${report.policy.source ? `<code>${h(report.policy.source)}</code>` : h(report.policy.note ?? 'none')}.</p>`,
    `<dl class="answers">${answers(report).map(a => `<dt>${h(a.question)}</dt><dd>${h(a.answer)} <a href="#${a.anchor}">Details</a></dd>`).join('')}</dl>`,
  ].join('\n');
}

function packs(report: AuditReport): string {
  const rows = report.packs.map(p => [h(p.label), ...[p.evaluated, p.passed, p.failed, p.acknowledged, p.disabled].map(String)]);
  const details = report.packs.filter(p => p.rules.length).map(p => `<details><summary>${h(p.label)}: ${plural(p.rules.length, 'rule')} not simply passed</summary>${table(`pack-${p.pack.replace(/\W/g, '-')}`, `${p.label}: rules failed, acknowledged or disabled`, ['Rule', 'State', 'Open', 'Acknowledged', 'Reasons'],
    p.rules.map(r => [h(r.id), badge(r.state), String(r.open), String(r.acknowledged), h(r.reasons.join(' | ') || '—')]))}</details>`);
  return table('packs-table', 'Rules evaluated per pack', ['Pack', 'Evaluated', 'Passed', 'Failed', 'Acknowledged', 'Disabled'], rows) + details.join('\n');
}

function controls(report: AuditReport): string {
  const shown = report.controls.filter(c => c.focus || c.open || c.acknowledged || c.disabled || c.compliantResults);
  return '<p>Each control with the rules and checks that bear on it. cdk-nag\'s NIST rules name their controls; Control Tower rules use the validator\'s NIST mapping; AWS Solutions rules and Springboard\'s checks use Springboard\'s curated mapping. Base controls only (enhancements such as SC-7(4) count under SC-7).</p>'
    + table('controls-table', 'NIST 800-53 rev 5 control to evidence', ['Control', 'Title', 'Rules and checks evaluated', 'Springboard evidence', 'Compliant results', 'Open', 'Acknowledged', 'Disabled'],
      shown.map(c => [h(c.control), h(c.title || '—'), String(c.rulesEvaluated), h(c.checks.join('; ') || '—'), String(c.compliantResults), String(c.open), String(c.acknowledged), String(c.disabled)]));
}

function accepted(report: AuditReport): string {
  return table('ack-table', 'Acknowledgments on specific resources', ['Resource', 'Rule', 'Reason', 'Acknowledged at', 'Stack'],
    report.acknowledgments.map(a => [h(a.resourcePath), h(a.rule), h(a.reason), h(a.acknowledgedAt), h(a.stack)]), 'no acknowledgment')
    + table('guard-ack-table', 'Acknowledged destructive changes (prod data guard)', ['Team', 'Environment', 'Resource', 'Change', 'Reason', 'Reviewer', 'Still applies'],
      report.acknowledgedChanges.map(a => [h(a.team ?? '—'), h(a.environment ?? '—'), h(a.logicalId), h(a.property ? `${a.action} ${a.property}` : a.action), h(a.reason), h(a.reviewer),
        a.stale ? `<strong>no</strong>: ${h(a.stale)}` : 'yes']), 'no acknowledged change')
    + table('disabled-table', 'Rules disabled platform-wide by the rule policy', ['Rule', 'Pack', 'Control', 'Reason'],
      report.disabledRules.map(d => [h(d.rule), h(d.pack), h(d.control), h(d.reason)]), 'no rule disabled');
}

function changeRow(c: BaselineChange): string[] {
  const tableText = c.table && c.table.length > 1 ? `<pre>${h(c.table.map(r => r.join(' | ')).join('\n'))}</pre>` : '';
  return [h(c.resourcePath ?? c.stack), badge(c.flagged ? 'fail' : 'pass').replace('>fail<', '>flagged<').replace('>pass<', '>noted<'), h(c.category), h(c.detail) + tableText, h(c.environment ?? '—')];
}

function baseline(report: AuditReport): string {
  const b = report.baseline;
  if (!b) return '<p>No baseline was given (<code>--baseline DIR</code> compares with an approved assembly).</p>';
  const important = b.changes.filter(c => c.category !== 'other');
  const other = b.changes.filter(c => c.category === 'other');
  return [
    `<p>Compared with <code>${h(b.baselineDirectory)}</code>: ${plural(b.stacksChanged.length, 'stack')} changed, ${b.stacksAdded.length} added, ${b.stacksRemoved.length} removed; <strong>${plural(b.flaggedCount, 'flagged change')}</strong>. Security-relevant changes come first, then replacements and deletions of stateful resources.</p>`,
    table('baseline-table', 'Security-relevant and stateful changes', ['Resource', 'Flag', 'Category', 'Change', 'Environment'], important.map(changeRow), 'none'),
    other.length ? `<details><summary>${plural(other.length, 'other change')}</summary>${table('baseline-other', 'Other changes', ['Resource', 'Flag', 'Category', 'Change', 'Environment'], other.map(changeRow))}</details>` : '',
    ...b.diffs.map(d => `<details><summary>CDK diff of ${h(d.stack)}</summary><pre>${h(d.text)}</pre></details>`),
  ].join('\n');
}

function quotas(report: AuditReport): string {
  return '<p>CloudFormation limits per stack: 500 resources, 200 outputs, 200 parameters, 1 MB template. Flagged from 80%.</p>'
    + table('quota-table', 'Quota headroom per stack', ['Stack', 'Resources (of 500)', 'Outputs (of 200)', 'Parameters (of 200)', 'Template size (of 1 MB)', 'Highest use', 'Termination protection'],
      report.quotas.map(q => [h(q.stack), String(q.resources), String(q.outputs), String(q.parameters), kib(q.templateBytes), `${badge(q.flagged ? 'fail' : 'pass')} ${percent(q.maxRatio)}`, q.terminationProtection ? 'on' : 'off']));
}

/** One table per check, so each has only its own columns. */
function evidenceTables(id: string, rows: readonly EvidenceRow[]): string {
  if (rows.length === 0) return '<p>None in this environment.</p>';
  const checks = [...new Set(rows.map(r => r.check))];
  return checks.map((check, i) => evidenceTable(`${id}-${i}`, checkTitle(check), rows.filter(r => r.check === check))).join('\n');
}

function evidenceTable(id: string, caption: string, rows: readonly EvidenceRow[]): string {
  const keys = factKeys(rows);
  return table(id, caption, ['Resource', 'Status', ...keys, 'Detail'],
    rows.map(r => [h(r.resourcePath), badge(r.status), ...keys.map(k => h(r.facts[k] ?? '—')), h(r.detail)]), 'none in this environment');
}

const SECTION_TITLES: Readonly<Record<EvidenceSection, string>> = {
  encryption: 'Encryption at rest',
  reachability: 'Reachable from the internet',
  iam: 'IAM roles: who can change it',
  logging: 'Logging and retention',
  resilience: 'Backups, deletion protection and retention policies',
  tags: 'Required tags',
  quotas: 'Quota headroom',
};

function environment(env: EnvironmentSection, level: number): string {
  const sub = level + 1;
  const part = (key: string, title: string, body: string) => section(`${env.id}-${key}`, title, body, sub);
  const tagRows = env.evidence.tags;
  const badTags = tagRows.filter(r => r.status === 'non-compliant');
  const nodeName = (id: string) => env.diagram.nodes.find(n => n.id === id);
  const edgeRows = env.diagram.edges.map(e => {
    const from = nodeName(e.from);
    const to = nodeName(e.to);
    return [h(from ? `${from.label} (${from.kind})` : e.from), h(to ? `${to.label} (${to.kind})` : e.to), h(e.label)];
  });
  const body = [
    `<p>${env.strict ? 'Production rules apply.' : 'Non-production: production-only rules are reported, not enforced.'} Stacks: ${env.stacks.map(s => `<code>${h(s)}</code>`).join(', ')}${env.accounts.length ? `; account / region ${h(env.accounts.join(', '))}` : ''}.</p>`,
    part('diagram', 'Architecture', `<figure><div class="diagram-wrap">${env.diagram.svg}</div><figcaption>Architecture of ${h(env.team)} ${h(env.environment)}: who reaches what. The connections table below is the text alternative.</figcaption></figure>`
      + table(`${env.id}-edges`, 'Connections (who can reach what)', ['From', 'To', 'How'], edgeRows, 'no network path found in the templates')),
    part('inventory', 'Resource inventory', table(`${env.id}-inv`, 'Resources by type', ['Type', 'Count'], env.inventory.map(i => [h(i.type), String(i.count)]))),
    part('encryption', SECTION_TITLES.encryption, evidenceTables(`${env.id}-enc`, env.evidence.encryption)),
    part('reachability', SECTION_TITLES.reachability, evidenceTables(`${env.id}-net`, env.evidence.reachability)),
    part('iam', SECTION_TITLES.iam, table(`${env.id}-iam`, 'Every role, its boundary, trust and wildcard grants', ['Role', 'Status', 'Permissions boundary', 'Who may assume it', 'Managed policies', 'Wildcard actions', 'Statements on resource *', 'Problems'],
      roleRows(env.evidence.iam).map(r => [h(r.resourcePath), badge(r.status), h(r.boundary), h(r.trust), h(r.managed), h(r.wildcardActions), h(r.starResources), h(r.problems.join(' ') || '—')]), 'no role in this environment')),
    part('logging', SECTION_TITLES.logging, evidenceTables(`${env.id}-log`, env.evidence.logging)
      + table(`${env.id}-access`, 'Access logs', ['Resource', 'Kind', 'Destination'], env.accessLogs.map(a => [h(a.resourcePath), h(a.kind), h(a.destination)]), 'no load balancer or bucket')),
    part('resilience', SECTION_TITLES.resilience, evidenceTables(`${env.id}-res`, env.evidence.resilience)),
    part('tags', SECTION_TITLES.tags, `<p>${plural(tagRows.length - badTags.length, 'taggable resource')} of ${tagRows.length} carry every required tag.</p>` + (badTags.length ? evidenceTable(`${env.id}-tags`, 'Resources missing required tags', badTags) : '')),
    part('findings', 'Findings in this environment', table(`${env.id}-findings`, 'Findings (open, acknowledged, disabled)', FINDING_HEADERS, findingRows(env.findings), 'no finding')),
  ];
  return section(env.id, `${env.team === SHARED_GROUP || env.team === UNASSIGNED_GROUP ? '' : `${env.team}: `}${env.environment}`, body.join('\n'), level);
}

function team(t: TeamSection): string {
  const title = t.team === SHARED_GROUP || t.team === UNASSIGNED_GROUP ? t.team : `Team ${t.team}`;
  return section(t.id, title, `<p>${plural(t.environments.length, 'environment')}: ${t.environments.map(e => `<a href="#${e.id}">${h(e.environment)}</a>`).join(', ')}.</p>\n${t.environments.map(e => environment(e, 4)).join('\n')}`, 3);
}

function closures(evidence: AuditReport['iamClosures']): string {
  if (!evidence.computed) return `<p class="verdict fail"><strong>Not computed</strong>: ${h(evidence.reason)}. No result is shown rather than a clean one. To compute it, ${h(evidence.howTo)}.</p>`;
  return '<p>Each team principal, holding <code>*</code> on <code>*</code> so that its permissions boundary is the only ceiling, and every principal it can come to act as.</p>'
    + evidence.teams.map(t => `<h3>Team ${h(t.team)}</h3>` + table(`closure-${h(t.team)}`, `Escalation closure of team ${t.team}`, ['Start principal', 'Account', 'Verdict', 'Reaches', 'Path to what it must not reach'],
      t.starts.map(s => [h(s.start), h(s.account), s.flagged.length ? `${badge('fail')} ${h(s.flagged.join('; '))}` : badge('pass'), h(s.reached.join(', ') || '—'),
        Object.entries(s.paths).map(([arn, path]) => `<p>${h(arn)}:</p><ol>${path.map(e => `<li>${h(e)}</li>`).join('')}</ol>`).join('') || '—']))).join('\n');
}

export function renderHtml(report: AuditReport): string {
  const open = report.findings.filter(f => f.status === 'open');
  const nav: Array<[string, string]> = [['summary', 'Summary'], ['findings', 'Open findings'], ['packs', 'Rule packs'], ['controls', 'NIST controls'], ['accepted', 'Accepted and why'], ['baseline', 'Changes since baseline'], ['quotas', 'Quotas'], ['inventory', 'Inventory'], ['closures', 'IAM closures'], ['teams', 'Teams and environments']];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Springboard audit: ${report.verdict === 'pass' ? 'pass' : 'fail'}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header>
<h1>Springboard audit evidence</h1>
<p>Evidence produced from the synthesized CloudFormation templates, without calls to AWS.</p>
</header>
<nav aria-label="Report sections"><ul>${nav.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('')}</ul></nav>
<main id="main" tabindex="-1">
${section('summary', 'Summary and verdict', summary(report))}
${section('findings', 'Open findings', (open.length ? filterBox('open-findings', 'Filter open findings') : '') + table('open-findings', 'Open findings: neither acknowledged on the resource nor disabled by the policy', OPEN_FINDING_HEADERS, findingRows(open, false), 'no open finding'))}
${section('packs', 'Rule packs', packs(report))}
${section('controls', 'NIST 800-53 rev 5 control evidence', controls(report))}
${section('accepted', 'What was accepted, and why', accepted(report))}
${section('baseline', 'Changes since the approved baseline', baseline(report))}
${section('quotas', 'CloudFormation quota headroom', quotas(report))}
${section('inventory', 'Fleet resource inventory', table('inventory-table', 'Resources by type across the fleet', ['Type', 'Count'], report.inventory.map(i => [h(i.type), String(i.count)])))}
${section('closures', 'IAM: each team\'s escalation closure', closures(report.iamClosures))}
${section('teams', 'Teams and environments', report.teams.map(team).join('\n'))}
</main>
<footer><p>Generated by <code>springboard audit</code> from ${h(report.assembly.directory)}. Springboard's own checks cannot be acknowledged; rule-pack findings can, on their resource, with a reason.</p></footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
