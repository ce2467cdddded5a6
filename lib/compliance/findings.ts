/**
 * The findings model shared by the gate (at synth) and the audit (on any assembly): one shape,
 * whoever produced it, so both judge the same way.
 */

/** The rule packs the gate runs. Rule ids are unique across packs. */
export type RulePack = 'NIST.800.53.R5' | 'AwsSolutions' | 'ControlTower' | 'Springboard';

/** Packs a rule in the policy or an acknowledgment may belong to (Springboard's own cannot be waived). */
export const WAIVABLE_PACKS: readonly RulePack[] = ['NIST.800.53.R5', 'AwsSolutions', 'ControlTower'];

/** What a rule reported on one resource of one template, before any policy or acknowledgment. */
export interface RawFinding {
  /** `AwsSolutions-S1`, `NIST.800.53.R5-IAMNoInlinePolicy`, `AwsSolutions-IAM5[Action::s3:*]`, `CT.S3.PR.1`. */
  readonly ruleId: string;
  readonly pack: RulePack;
  /** Logical id of the resource in its template. */
  readonly logicalId: string;
  readonly description: string;
  readonly level: 'error' | 'warning';
}

/** How the verdict treats a finding. */
export type FindingStatus = 'open' | 'acknowledged' | 'disabled';

/** A raw finding placed in its stack and judged. */
export interface Finding extends RawFinding {
  /** Stack name (from the assembly manifest, or the template's artifact id when unknown). */
  readonly stack: string;
  /** Template file name inside the assembly. */
  readonly template: string;
  /** Construct path of the resource, or `<stack>/<logicalId>` when the template does not record it. */
  readonly constructPath: string;
  readonly status: FindingStatus;
  /** The acknowledgment's or the policy's reason, when not open. */
  readonly reason?: string;
}

/** An acknowledgment as recorded in a template's resource metadata. */
export interface AcknowledgmentRecord {
  readonly ruleId: string;
  readonly reason: string;
  /** Construct path where `acknowledge(...)` was called (it covers everything below). */
  readonly acknowledgedAt: string;
}

/** An acknowledgment placed on the resource that carries it. */
export interface ResourceAcknowledgment extends AcknowledgmentRecord {
  readonly stack: string;
  readonly logicalId: string;
  readonly constructPath: string;
}

/** A rule disabled platform-wide by the reviewed rule policy. */
export interface DisabledRule {
  readonly id: string;
  readonly pack: RulePack;
  readonly reason: string;
  /** NIST 800-53 rev 5 control the rule evidences, e.g. `SC-28`. */
  readonly control: string;
}

/** The rule id without a granular suffix: `AwsSolutions-IAM5[Action::s3:*]` → `AwsSolutions-IAM5`. */
export function baseRuleId(ruleId: string): string {
  const bracket = ruleId.indexOf('[');
  return bracket === -1 ? ruleId : ruleId.slice(0, bracket);
}

/** Which pack a rule id belongs to, from its prefix; undefined when no pack owns it. */
export function packOfRuleId(ruleId: string): RulePack | undefined {
  if (ruleId.startsWith('NIST.800.53.R5-')) return 'NIST.800.53.R5';
  if (ruleId.startsWith('AwsSolutions-')) return 'AwsSolutions';
  if (/^CT\.[A-Z0-9]+\.PR\.\d+$/.test(ruleId)) return 'ControlTower';
  if (ruleId.startsWith('Springboard-')) return 'Springboard';
  return undefined;
}

/** Stable order for reports and messages: stack, construct path, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.stack.localeCompare(b.stack)
    || a.constructPath.localeCompare(b.constructPath)
    || a.ruleId.localeCompare(b.ruleId);
}
