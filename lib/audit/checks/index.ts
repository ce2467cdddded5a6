/** Springboard's own checks, and running them over a stack. */
import { ResourceView, StackView } from '../template';
import { ENCRYPTION_AT_REST } from './encryption';
import { IAM_CHECKS } from './iam';
import { LOGGING_CHECKS } from './logging';
import { QUOTA_CHECKS } from './quotas';
import { REACHABILITY_CHECKS } from './reachability';
import { RESILIENCE_CHECKS } from './resilience';
import { TAG_CHECKS } from './tags';
import { CheckResult, SpringboardCheck } from './types';

export * from './types';

/** Every Springboard check, in report order. */
export const SPRINGBOARD_CHECKS: readonly SpringboardCheck[] = [
  ENCRYPTION_AT_REST, ...REACHABILITY_CHECKS, ...IAM_CHECKS, ...LOGGING_CHECKS, ...RESILIENCE_CHECKS, ...TAG_CHECKS, ...QUOTA_CHECKS,
];

/** One applicable check result: which check, on which stack and resource (none for stack checks). */
export interface CheckOutcome {
  readonly check: SpringboardCheck;
  readonly stack: StackView;
  readonly resource?: ResourceView;
  readonly result: CheckResult;
}

/** Runs every check on a stack; not-applicable results are dropped. */
export function runChecks(stack: StackView, checks: readonly SpringboardCheck[] = SPRINGBOARD_CHECKS): CheckOutcome[] {
  return checks.flatMap((check): CheckOutcome[] => {
    if (check.scope === 'stack') return [{ check, stack, result: check.check(stack) }];
    return stack.resources.map(resource => ({ check, stack, resource, result: check.check(resource, stack) }));
  }).filter(o => o.result.status !== 'not-applicable');
}
