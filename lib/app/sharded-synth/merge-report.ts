/**
 * One compliance report for a sharded synth, from the shards' reports: the findings and
 * acknowledgments of every template once (a baseline evaluated by several shards counts once),
 * the verdict judged again from them, as the gate judges a full synth.
 */
import { Finding, compareFindings } from '../../compliance/findings';
import { ComplianceReport } from '../../compliance/report';
import { Verdict, verdictOf } from '../../compliance/verdict';

/**
 * `templates` is the merged assembly's template count (the shards' counts overlap). A shard whose
 * gate could not evaluate makes the merged report fail with its error; when every shard skipped
 * the gate, the merged report is skipped too.
 */
export function mergeReports(reports: readonly ComplianceReport[], templates: number): ComplianceReport {
  if (reports.length === 0) throw new Error('mergeReports: no shard reports to merge');
  const [first] = reports;
  const errors = reports.flatMap(r => (r.error ? [r.error] : []));
  const skipped = reports.filter(r => r.verdict === 'skipped');
  if (skipped.length > 0 && skipped.length < reports.length) {
    throw new Error('mergeReports: some shards skipped the compliance gate and some ran it; run every shard with the same gate setting');
  }
  const findings = unique(reports.flatMap(r => r.findings)).sort((a, b) => compareFindings(a, b) || compareJson(a, b));
  const acknowledgments = unique(reports.flatMap(r => r.acknowledgments)).sort((a, b) => a.stack.localeCompare(b.stack)
    || a.constructPath.localeCompare(b.constructPath) || a.ruleId.localeCompare(b.ruleId) || compareJson(a, b));
  const verdict: Verdict = errors.length > 0 ? 'fail' : skipped.length > 0 ? 'skipped' : verdictOf(findings);
  const count = (status: Finding['status']) => findings.filter(f => f.status === status).length;
  return {
    ...first,
    verdict,
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    summary: { templates: skipped.length > 0 || errors.length > 0 ? 0 : templates, open: count('open'), acknowledged: count('acknowledged'), disabled: count('disabled') },
    findings,
    acknowledgments,
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Map(items.map(item => [JSON.stringify(item), item])).values()];
}

function compareJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
