/**
 * The verdict over validation findings: every error fails; a warning passes only when an entry of
 * the reviewed file accepts it; an entry that accepts nothing is reported, so the file never keeps
 * a waiver for a problem that is gone (and could hide a new one).
 */
import { AcceptedWarning, globMatches } from './accepted';
import { formatFinding, ValidationFinding } from './run';

export interface AcceptedFinding {
  readonly finding: ValidationFinding;
  readonly acceptedBy: AcceptedWarning;
}

export interface ValidationJudgement {
  /** Errors: never accepted. */
  readonly errors: readonly ValidationFinding[];
  /** Warnings no entry accepts: new findings. */
  readonly unaccepted: readonly ValidationFinding[];
  readonly accepted: readonly AcceptedFinding[];
  /** Informational findings: reported, never failing. */
  readonly informational: readonly ValidationFinding[];
  /** Entries that matched no warning. */
  readonly unusedEntries: readonly AcceptedWarning[];
  readonly verdict: 'pass' | 'fail';
}

function accepts(entry: AcceptedWarning, f: ValidationFinding): boolean {
  return entry.rule === f.ruleId
    && globMatches(entry.stacks, f.stackName)
    && (entry.logicalId === undefined || globMatches(entry.logicalId, f.logicalId ?? ''))
    && (entry.location === undefined || globMatches(entry.location, f.location ?? ''));
}

export function judgeFindings(findings: readonly ValidationFinding[], entries: readonly AcceptedWarning[]): ValidationJudgement {
  const errors = findings.filter(f => f.severity === 'error');
  const informational = findings.filter(f => f.severity === 'informational');
  const accepted: AcceptedFinding[] = [];
  const unaccepted: ValidationFinding[] = [];
  for (const finding of findings.filter(f => f.severity === 'warning')) {
    const entry = entries.find(e => accepts(e, finding));
    if (entry) accepted.push({ finding, acceptedBy: entry });
    else unaccepted.push(finding);
  }
  const used = new Set(accepted.map(a => a.acceptedBy));
  const unusedEntries = entries.filter(e => !used.has(e));
  const verdict = errors.length === 0 && unaccepted.length === 0 ? 'pass' : 'fail';
  return { errors, unaccepted, accepted, informational, unusedEntries, verdict };
}

/** What to fix, one line each: errors, new warnings, then entries that accept nothing. */
export function judgementProblems(judgement: ValidationJudgement, acceptedFile = 'compliance/validation-accepted.yaml'): string[] {
  return [
    ...judgement.errors.map(f => `${formatFinding(f)} (an error: fix the construct; errors cannot be accepted)`),
    ...judgement.unaccepted.map(f => `${formatFinding(f)} (new: fix the construct, or accept it in ${acceptedFile} with its reason)`),
    ...judgement.unusedEntries.map(e => `${e.source}: accepts ${e.rule} on ${e.stacks} but no template has that warning any more; remove the entry`),
  ];
}
