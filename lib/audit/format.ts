/** Small text helpers shared by the HTML and Markdown renderers. */
import { SPRINGBOARD_CHECKS } from './checks';
import { AuditReport, EvidenceRow } from './model';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
}

/** Fact keys used by a set of rows, in first-seen order. */
export function factKeys(rows: readonly EvidenceRow[]): string[] {
  return [...new Set(rows.flatMap(r => Object.keys(r.facts)))];
}

/** One role per row: boundary, trust, grants, and the worst status of its checks. */
export interface RoleRow {
  readonly resourcePath: string;
  readonly stack: string;
  readonly status: EvidenceRow['status'];
  readonly boundary: string;
  readonly trust: string;
  readonly managed: string;
  readonly wildcardActions: string;
  readonly starResources: string;
  readonly problems: readonly string[];
}

export function roleRows(rows: readonly EvidenceRow[]): RoleRow[] {
  const byRole = new Map<string, EvidenceRow[]>();
  rows.forEach(r => byRole.set(r.resourcePath, [...(byRole.get(r.resourcePath) ?? []), r]));
  return [...byRole].map(([resourcePath, checks]) => {
    const facts = Object.assign({}, ...checks.map(c => c.facts)) as Record<string, string>;
    const failing = checks.filter(c => c.status === 'non-compliant');
    return {
      resourcePath,
      stack: checks[0].stack,
      status: failing.length ? 'non-compliant' : 'compliant',
      boundary: facts.boundary ?? '—',
      trust: facts.trust ?? '—',
      managed: facts['managed policies'] ?? '—',
      wildcardActions: facts['wildcard actions'] ?? '—',
      starResources: facts['statements on resource *'] ?? '—',
      problems: failing.map(f => f.detail),
    };
  });
}

/** The answers to an auditor's five questions, as short sentences. */
export function answers(report: AuditReport): Array<{ question: string; answer: string; anchor: string }> {
  const envs = report.teams.flatMap(t => t.environments);
  const rows = (section: keyof (typeof envs)[number]['evidence']) => envs.flatMap(e => e.evidence[section]);
  const internetFacing = rows('reachability').filter(r => r.facts.scheme === 'internet-facing').length;
  const openIngress = rows('reachability').filter(r => r.facts['open ports'] && r.facts['open ports'] !== 'none').length;
  const narrowed = rows('reachability').filter(r => r.facts['allowed ranges']).length;
  const rateLimited = rows('reachability').filter(r => r.check === 'Springboard-WebAclRateLimit' && r.facts['rate limit'] !== 'none').length;
  const publicBuckets = rows('reachability').filter(r => r.check === 'Springboard-PublicBucketPolicy' && r.status === 'non-compliant').length;
  const roles = roleRows(rows('iam'));
  const unbounded = roles.filter(r => r.boundary === 'none').length;
  const stores = rows('encryption');
  const unencrypted = stores.filter(r => r.status === 'non-compliant').length;
  const logGroups = rows('logging').filter(r => r.check === 'Springboard-LogRetention');
  const retentions = [...new Set(logGroups.map(r => r.facts.retention))].sort();
  return [
    { question: 'What runs?', anchor: 'inventory', answer: `${plural(report.assembly.resources, 'resource')} in ${plural(report.assembly.stacks, 'stack')}, for ${plural(report.summary.teams, 'team')} across ${plural(report.summary.environments, 'environment or shared stack group', 'environments and shared stack groups')}.` },
    {
      question: 'Who can reach it?',
      anchor: 'teams',
      answer: `${plural(internetFacing, 'internet-facing load balancer')}; ${plural(openIngress, 'security group')} with ingress from anywhere, `
      + `${narrowed} admitting listed ranges only; ${plural(rateLimited, 'web ACL')} blocking a client above its rate limit; `
      + `${plural(publicBuckets, 'bucket policy', 'bucket policies')} open to everyone. Each environment's diagram and reachability table show the paths.`,
    },
    { question: 'Who can change it?', anchor: 'teams', answer: `${plural(roles.length, 'IAM role')}; ${unbounded === 0 ? 'every one carries a permissions boundary' : `${plural(unbounded, 'role')} without a permissions boundary`}; ${plural(roles.filter(r => r.problems.length).length, 'role')} with a problem. Each environment lists every role, its boundary, who may assume it and its wildcard grants.` },
    { question: 'Where are its data and logs, and how long are they kept?', anchor: 'teams', answer: `${plural(stores.length, 'data store')} (${unencrypted === 0 ? 'all encrypted at rest' : `${unencrypted} not encrypted`}); ${plural(logGroups.length, 'log group')} kept ${retentions.join(', ') || '—'}. Backups and retention policies of stateful resources are listed per environment.` },
    { question: 'What was accepted, and why?', anchor: 'accepted', answer: `${plural(report.acknowledgments.length, 'acknowledgment')} on specific resources and ${plural(report.disabledRules.length, 'rule')} disabled platform-wide, each with its reason.` },
  ];
}

/** A check's title from its id. */
export function checkTitle(id: string): string {
  return SPRINGBOARD_CHECKS.find(c => c.id === id)?.title ?? id;
}
