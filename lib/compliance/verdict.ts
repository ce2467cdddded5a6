/**
 * Springboard's verdict, computed finding by finding: any open finding fails, whatever the
 * plugins' own success flags say.
 */
import { Finding } from './findings';

export type Verdict = 'pass' | 'fail' | 'skipped';

export function openFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(f => f.status === 'open');
}

export function verdictOf(findings: readonly Finding[]): Exclude<Verdict, 'skipped'> {
  return openFindings(findings).length === 0 ? 'pass' : 'fail';
}

/** One line per open finding: rule, construct path, stack, what is wrong. */
export function describeFinding(f: Finding): string {
  return `${f.ruleId} on ${f.constructPath} (stack ${f.stack}, logical id ${f.logicalId}): ${f.description}`;
}

/** How many open findings the console lists before pointing to the report. */
const LISTED_FINDINGS = 50;

/** The message a failed synth ends with: every open finding (up to 50), what to do, where the report is. */
export function failureMessage(findings: readonly Finding[], reportPath: string): string {
  const open = openFindings(findings);
  const listed = open.slice(0, LISTED_FINDINGS).map(f => `  - ${describeFinding(f)}`);
  const more = open.length > LISTED_FINDINGS ? [`  ... and ${open.length - LISTED_FINDINGS} more in the report`] : [];
  return [
    `springboard compliance gate: ${open.length} open finding${open.length === 1 ? '' : 's'} (neither acknowledged on the resource nor disabled in the rule policy):`,
    ...listed,
    ...more,
    failureHint(open.length, reportPath),
  ].join('\n');
}

/** What to do, printed after the framework lists the open findings one by one. */
export function failureHint(openCount: number, reportPath: string): string {
  return `springboard compliance gate: synth fails on ${openCount} open finding${openCount === 1 ? '' : 's'}; `
    + 'fix each resource, or acknowledge the rule on its construct with acknowledge(construct, ruleId, reason) '
    + `from lib/compliance (docs/compliance.md). Report: ${reportPath}`;
}
