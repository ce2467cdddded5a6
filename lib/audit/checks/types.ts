/**
 * The shape of Springboard's own checks, after cdk-nag's rules: one small pure function per
 * check, returning compliant, non-compliant or not applicable, with the facts an auditor reads.
 */
import { ResourceView, StackView } from '../template';

export type CheckStatus = 'compliant' | 'non-compliant' | 'not-applicable';

export interface CheckResult {
  readonly status: CheckStatus;
  /** One sentence: what was found (and, when non-compliant, what is expected). */
  readonly detail: string;
  /** Labelled facts shown in the report's tables (key, retention, principals...). */
  readonly facts?: Readonly<Record<string, string>>;
}

/** The report section a check's evidence belongs to. */
export type EvidenceSection = 'encryption' | 'reachability' | 'iam' | 'logging' | 'resilience' | 'tags' | 'quotas';

interface CheckBase {
  /** `Springboard-<Name>`; findings carry it as their rule id. */
  readonly id: string;
  readonly title: string;
  readonly section: EvidenceSection;
  /** NIST 800-53 rev 5 controls the check evidences. */
  readonly controls: readonly string[];
}

/** A check of one resource; the stack gives context (other resources, prod or not). */
export interface ResourceCheck extends CheckBase {
  readonly scope: 'resource';
  readonly check: (resource: ResourceView, stack: StackView) => CheckResult;
}

/** A check of one stack as a whole. */
export interface StackCheck extends CheckBase {
  readonly scope: 'stack';
  readonly check: (stack: StackView) => CheckResult;
}

export type SpringboardCheck = ResourceCheck | StackCheck;

export const NOT_APPLICABLE: CheckResult = { status: 'not-applicable', detail: 'not applicable' };

export function compliant(detail: string, facts?: Record<string, string>): CheckResult {
  return { status: 'compliant', detail, facts };
}

export function nonCompliant(detail: string, facts?: Record<string, string>): CheckResult {
  return { status: 'non-compliant', detail, facts };
}
