/** CloudFormation quota headroom per stack, flagged from 80% of each limit. */
import { StackView } from '../template';
import { CheckResult, StackCheck, compliant, nonCompliant } from './types';

/** CloudFormation's per-stack limits. */
export const STACK_QUOTAS = {
  resources: 500,
  outputs: 200,
  parameters: 200,
  /** Template body uploaded through S3: 1 MB. */
  templateBytes: 1_048_576,
} as const;

/** Share of a limit at which the audit flags a stack. */
export const QUOTA_FLAG_RATIO = 0.8;

export interface QuotaUse {
  readonly quota: keyof typeof STACK_QUOTAS;
  readonly used: number;
  readonly limit: number;
  readonly ratio: number;
}

export function quotaUse(stack: StackView): QuotaUse[] {
  const used: Record<keyof typeof STACK_QUOTAS, number> = {
    resources: stack.resources.length,
    outputs: stack.outputCount,
    parameters: stack.parameterCount,
    templateBytes: stack.templateBytes,
  };
  return (Object.keys(STACK_QUOTAS) as Array<keyof typeof STACK_QUOTAS>)
    .map(quota => ({ quota, used: used[quota], limit: STACK_QUOTAS[quota], ratio: used[quota] / STACK_QUOTAS[quota] }));
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;

export function checkQuotaHeadroom(stack: StackView): CheckResult {
  const uses = quotaUse(stack);
  const facts = Object.fromEntries(uses.map(u => [u.quota, `${u.used} of ${u.limit} (${percent(u.ratio)})`]));
  const near = uses.filter(u => u.ratio >= QUOTA_FLAG_RATIO);
  if (near.length > 0) {
    return nonCompliant(`stack uses ${near.map(u => `${percent(u.ratio)} of its ${u.quota} quota`).join(', ')}; split it before it reaches the limit (flagged from ${percent(QUOTA_FLAG_RATIO)})`, facts);
  }
  return compliant('every quota below 80%', facts);
}

export const QUOTA_CHECKS: readonly StackCheck[] = [
  { id: 'Springboard-QuotaHeadroom', title: 'Stacks stay below 80% of CloudFormation quotas', section: 'quotas', controls: ['CM-2', 'SA-8'], scope: 'stack', check: checkQuotaHeadroom },
];
