/** What a doctor check reports: one row per finding, ok / warn / fail, with the exact remedy. */

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** The check groups, in the order the table shows them. */
export const CHECK_GROUPS = ['access', 'bootstrap', 'source', 'notifications', 'cost-tags', 'observability', 'org-controls', 'quotas'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

export interface CheckResult {
  readonly account: string;
  /** The region read; undefined for account-wide checks (IAM, cost allocation tags). */
  readonly region?: string;
  readonly group: CheckGroup;
  /** What was checked, short: `CDKToolkit`, `springboard-pay-prod-alerts`, `GuardDuty`. */
  readonly check: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** The command or console step that fixes it (warn and fail rows). */
  readonly remedy?: string;
  /** The NIST 800-53 rev 5 control that assumes what is checked, where one does. */
  readonly control?: string;
}

/** A row, without the account and region the runner adds. */
export type Finding = Omit<CheckResult, 'account' | 'region'>;

export const ok = (group: CheckGroup, check: string, detail: string, extra: Partial<Finding> = {}): Finding => ({ group, check, status: 'ok', detail, ...extra });
export const warn = (group: CheckGroup, check: string, detail: string, remedy: string, extra: Partial<Finding> = {}): Finding =>
  ({ group, check, status: 'warn', detail, remedy, ...extra });
export const fail = (group: CheckGroup, check: string, detail: string, remedy: string, extra: Partial<Finding> = {}): Finding =>
  ({ group, check, status: 'fail', detail, remedy, ...extra });

/** Sends one command with a client of the place; every check reads AWS only through this. */
export type Send = <Output>(client: ServiceName, command: unknown) => Promise<Output>;

/** The services doctor reads (one SDK client each). */
export type ServiceName =
  | 'cloudformation' | 'ssm' | 'iam' | 'codestar-connections' | 'sns' | 'chatbot' | 'cost-explorer' | 'oam'
  | 'cloudtrail' | 'guardduty' | 'securityhub' | 'config' | 'service-quotas';
