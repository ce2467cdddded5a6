/**
 * The prod data guard's judgement, pure: every change of a change set (described with
 * `IncludePropertyValues`) is judged with the stateful-resource table of the contract. A deletion,
 * a replacement, a property change that shortens or switches off a protection, or a
 * `DeletionPolicy`/`UpdateReplacePolicy` that stops keeping the data is destructive, and stops the
 * deploy unless the environment's registry entry acknowledges exactly that change. A value
 * CloudFormation could not give (unresolved, truncated, missing) cannot be judged: the guard then
 * fails closed and says why.
 */
import type { Change, ResourceChange, ResourceChangeDetail } from '@aws-sdk/client-cloudformation';
import {
  isStateful, judgePolicy, judgePropertyChange, POLICY_ATTRIBUTES, STATEFUL_RESOURCES, UnknownValue,
  type Judgement, type PolicyAttribute,
} from '../contract/stateful-resources';
import type { AcknowledgedAction, AcknowledgedChange } from '../registry/types';

export interface DestructiveChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly action: AcknowledgedAction;
  /** With Modify: the top-level property or policy attribute. */
  readonly property?: string;
  /** With Modify: the values CloudFormation reported, as it wrote them. */
  readonly before?: string;
  readonly after?: string;
  /** What is lost, or why the change cannot be judged. */
  readonly why: string;
  /** `certain`; `conditional` when CloudFormation decides at run time; `undetermined` when the values could not be judged. */
  readonly certainty: 'certain' | 'conditional' | 'undetermined';
  /** What happens to the data per the resource's policy, when CloudFormation reports it. */
  readonly policyAction?: string;
}

export interface AcknowledgedDestructiveChange extends DestructiveChange {
  readonly reason: string;
  readonly reviewer: string;
}

export interface Inspection {
  /** Destructive changes nobody acknowledged: the deploy must stop. */
  readonly blocked: readonly DestructiveChange[];
  /** Destructive changes the registry acknowledges, with reason and reviewer. */
  readonly acknowledged: readonly AcknowledgedDestructiveChange[];
  /** Changes inspected in all. */
  readonly inspected: number;
}

/** CloudFormation's placeholder for a value it learns only when the change runs. */
const UNRESOLVED = /\{\{changeSet:KNOWN_AFTER_APPLY\}\}|\{\{resolve:/;

/**
 * A reported value: JSON when it parses (numbers, booleans, objects), else the plain string.
 * Unresolved placeholders, and JSON cut short (a truncated value), are unknown.
 */
export function reportedValue(raw: string | undefined, present: boolean): unknown {
  if (!present) return undefined;
  if (raw === undefined) return new UnknownValue('CloudFormation gave no value (was the change set described with IncludePropertyValues?)');
  if (UNRESOLVED.test(raw)) return new UnknownValue(`the value is resolved only when the change runs (${raw})`);
  try {
    return JSON.parse(raw);
  } catch {
    if (/^\s*[[{"]/.test(raw)) return new UnknownValue(`the value is truncated or malformed: ${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}`);
    return raw;
  }
}

function detailValues(detail: ResourceChangeDetail): { before: unknown; after: unknown } {
  const t = detail.Target ?? {};
  const type = t.AttributeChangeType;
  return {
    before: reportedValue(t.BeforeValue, type !== 'Add' || t.BeforeValue !== undefined),
    after: reportedValue(t.AfterValue, type !== 'Remove' || t.AfterValue !== undefined),
  };
}

/** The property path of a detail (`/Properties/A/B` → `A/B`), or the policy attribute it changes. */
function detailTarget(detail: ResourceChangeDetail): { policy: PolicyAttribute } | { path: string } | undefined {
  const t = detail.Target;
  if (!t) return undefined;
  if ((POLICY_ATTRIBUTES as readonly string[]).includes(t.Attribute ?? '')) return { policy: t.Attribute as PolicyAttribute };
  if (t.Attribute !== 'Properties') return undefined;
  const path = t.Path ? t.Path.replace(/^\/Properties\//, '') : t.Name;
  return path ? { path } : undefined;
}

function modification(rc: ResourceChange, detail: ResourceChangeDetail): DestructiveChange | undefined {
  const target = detailTarget(detail);
  if (!target) return undefined;
  const type = rc.ResourceType!;
  const { before, after } = detailValues(detail);
  let judgement: Judgement | undefined;
  let property: string;
  if ('policy' in target) {
    judgement = judgePolicy(type, target.policy, before, after);
    property = target.policy;
  } else {
    judgement = judgePropertyChange(type, target.path, before, after)?.judgement;
    property = target.path.split('/')[0];
  }
  if (!judgement || judgement.verdict === 'safe') return undefined;
  return {
    logicalId: rc.LogicalResourceId!,
    resourceType: type,
    action: 'Modify',
    property,
    before: detail.Target?.BeforeValue,
    after: detail.Target?.AfterValue,
    policyAction: rc.PolicyAction,
    why: judgement.verdict === 'unknown' ? `cannot be judged, so it is treated as destructive: ${judgement.why}` : judgement.why,
    certainty: judgement.verdict === 'unknown' ? 'undetermined' : 'certain',
  };
}

/** Every destructive part of one change; none when it cannot destroy data. */
export function destructiveChanges(change: Change): DestructiveChange[] {
  const rc = change.ResourceChange;
  if (change.Type !== 'Resource' || !rc?.LogicalResourceId || !isStateful(rc.ResourceType)) return [];
  const holds = STATEFUL_RESOURCES[rc.ResourceType!].holds;
  const base = { logicalId: rc.LogicalResourceId, resourceType: rc.ResourceType!, policyAction: rc.PolicyAction };
  switch (rc.Action) {
    case 'Remove':
      return [{ ...base, action: 'Delete', certainty: 'certain', why: `the ${holds} is deleted${rc.PolicyAction ? ` (policy action ${rc.PolicyAction})` : ''}` }];
    case 'Dynamic':
      return [{ ...base, action: 'Replace', certainty: 'undetermined', why: 'CloudFormation cannot tell yet what it will do to this resource: treated as a replacement' }];
    case 'Modify':
      if (rc.Replacement === 'True') return [{ ...base, action: 'Replace', certainty: 'certain', why: `the ${holds} is replaced by a new, empty one` }];
      // A conditional replacement may well happen: treat it as one, and say so.
      if (rc.Replacement === 'Conditional') return [{ ...base, action: 'Replace', certainty: 'conditional', why: `the ${holds} may be replaced by a new, empty one` }];
      return (rc.Details ?? []).map(d => modification(rc, d)).filter((d): d is DestructiveChange => d !== undefined);
    default:
      return [];
  }
}

/** The acknowledgment that allows a destructive change: same resource, action and (for Modify) property. */
export function acknowledgmentFor(change: DestructiveChange, acknowledgments: readonly AcknowledgedChange[]): AcknowledgedChange | undefined {
  return acknowledgments.find(a => a.logicalId === change.logicalId && a.action === change.action
    && (change.action !== 'Modify' || a.property === change.property));
}

export function inspectChangeSet(changes: readonly Change[], acknowledgments: readonly AcknowledgedChange[]): Inspection {
  const blocked: DestructiveChange[] = [];
  const acknowledged: AcknowledgedDestructiveChange[] = [];
  for (const destructive of changes.flatMap(destructiveChanges)) {
    const ack = acknowledgmentFor(destructive, acknowledgments);
    if (ack) acknowledged.push({ ...destructive, reason: ack.reason, reviewer: ack.reviewer });
    else blocked.push(destructive);
  }
  return { blocked, acknowledged, inspected: changes.length };
}

function describe(c: DestructiveChange): string {
  const what = c.action === 'Modify' ? `Modify ${c.logicalId}.${c.property}` : `${c.action}${c.certainty === 'conditional' ? ' (conditional)' : ''} ${c.logicalId}`;
  const values = c.action === 'Modify' ? ` [before: ${c.before ?? '(none)'}; after: ${c.after ?? '(none)'}]` : '';
  return `${what} (${c.resourceType}): ${c.why}${values}`;
}

/** The registry entry that would allow a blocked change, as YAML lines. */
export function acknowledgmentYaml(c: DestructiveChange): string {
  return `{ logicalId: ${c.logicalId}, action: ${c.action}${c.property ? `, property: ${c.property}` : ''}, reason: "<why, at least 20 characters>", reviewer: "<who reviewed it>" }`;
}

/** A report for the pipeline log: what was found and, when blocked, what would allow it. */
export function formatInspection(stackName: string, inspection: Inspection, acknowledgmentsPlace = 'the environment\'s acknowledgedChanges'): string {
  const lines = [`change set of ${stackName}: ${inspection.inspected} change(s) inspected`];
  for (const c of inspection.acknowledged) lines.push(`  acknowledged: ${describe(c)} — reason: ${c.reason}; reviewed by ${c.reviewer}`);
  for (const c of inspection.blocked) lines.push(`  BLOCKED: ${describe(c)}`, `    allowed by: ${acknowledgmentYaml(c)}`);
  if (inspection.blocked.length > 0) {
    lines.push(`stopping: a stateful prod resource would lose data. If this is intended, add the entries above to ${acknowledgmentsPlace}, have them reviewed, and run again.`);
  } else {
    lines.push('no stateful resource loses data without acknowledgment');
  }
  return lines.join('\n');
}
