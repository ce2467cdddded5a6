/**
 * The change since an approved assembly, with the CDK's own template diff: security-relevant
 * changes first (IAM broadening, new internet exposure, security groups), then every replacement
 * or deletion of a stateful resource, then the rest. Flagged changes make the audit fail, so a
 * pipeline stops until someone approves a new baseline.
 */
import { ResourceImpact, TemplateDiff, formatDifferences, fullDiff } from '@aws-cdk/cloudformation-diff';
import { AssemblyStack, CloudAssemblyModel } from './assembly';
import { checkBucketPolicyPrincipals, checkLoadBalancerExposure, checkOpenIngress } from './checks/reachability';
import { ResourceView, StackView } from './template';
import { isStateful } from '../contract/stateful-resources';

export type ChangeCategory = 'iam-broadening' | 'iam-change' | 'internet-exposure' | 'security-group' | 'stateful-replacement' | 'stateful-deletion' | 'stack-removed' | 'other';

export interface BaselineChange {
  readonly category: ChangeCategory;
  readonly flagged: boolean;
  readonly stack: string;
  readonly team?: string;
  readonly environment?: string;
  readonly strict: boolean;
  readonly logicalId?: string;
  readonly resourcePath?: string;
  readonly resourceType?: string;
  readonly impact?: string;
  readonly detail: string;
  /** Rows of the CDK's IAM or security-group change table (first row is the header). */
  readonly table?: readonly (readonly string[])[];
}

export interface StackDiffText {
  readonly stack: string;
  readonly text: string;
}

export interface BaselineDiff {
  readonly baselineDirectory: string;
  readonly changes: readonly BaselineChange[];
  readonly flaggedCount: number;
  readonly stacksAdded: readonly string[];
  readonly stacksRemoved: readonly string[];
  readonly stacksChanged: readonly string[];
  /** The CDK's own rendering of each changed stack's diff (colours removed). */
  readonly diffs: readonly StackDiffText[];
}

const CATEGORY_ORDER: readonly ChangeCategory[] = ['iam-broadening', 'internet-exposure', 'security-group', 'iam-change', 'stateful-replacement', 'stateful-deletion', 'stack-removed', 'other'];
const REPLACING = new Set<string>([ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE]);
const REMOVING = new Set<string>([ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN]);

/** Compares every stack of `current` with the same-named stack of `baseline`. */
export function diffAssemblies(baseline: CloudAssemblyModel, current: CloudAssemblyModel): BaselineDiff {
  const before = new Map(baseline.stacks.map(s => [s.stackName, s]));
  const after = new Map(current.stacks.map(s => [s.stackName, s]));
  const changes: BaselineChange[] = [];
  const diffs: StackDiffText[] = [];
  const changed: string[] = [];
  for (const stack of current.stacks) {
    const old = before.get(stack.stackName);
    const diff = fullDiff(old?.template ?? {}, stack.template);
    if (diff.isEmpty) continue;
    if (old) changed.push(stack.stackName);
    changes.push(...stackChanges(stack, old, diff));
    diffs.push({ stack: stack.stackName, text: renderDiff(diff, stack) });
  }
  const removed = baseline.stacks.filter(s => !after.has(s.stackName));
  removed.forEach(s => changes.push(...removedStackChanges(s)));
  const sorted = changes.sort((a, b) => Number(b.flagged) - Number(a.flagged)
    || CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category)
    || a.stack.localeCompare(b.stack) || (a.logicalId ?? '').localeCompare(b.logicalId ?? ''));
  return {
    baselineDirectory: baseline.directory,
    changes: sorted,
    flaggedCount: sorted.filter(c => c.flagged).length,
    stacksAdded: current.stacks.filter(s => !before.has(s.stackName)).map(s => s.stackName),
    stacksRemoved: removed.map(s => s.stackName),
    stacksChanged: changed,
    diffs,
  };
}

function place(stack: StackView): Pick<BaselineChange, 'stack' | 'team' | 'environment' | 'strict'> {
  return { stack: stack.stackName, team: stack.team, environment: stack.environment, strict: stack.strict };
}

function stackChanges(stack: AssemblyStack, old: AssemblyStack | undefined, diff: TemplateDiff): BaselineChange[] {
  return [
    ...iamChanges(stack, diff),
    ...securityGroupChanges(stack, diff),
    ...exposureChanges(stack, old),
    ...resourceChanges(stack, diff),
  ];
}

function iamChanges(stack: StackView, diff: TemplateDiff): BaselineChange[] {
  if (!diff.iamChanges.hasChanges) return [];
  const broadened = diff.permissionsBroadened;
  const table = [...diff.iamChanges.summarizeStatements(), ...diff.iamChanges.summarizeManagedPolicies().slice(1)].map(row => row.map(stripAnsi));
  return [{
    ...place(stack),
    category: broadened ? 'iam-broadening' : 'iam-change',
    flagged: broadened,
    detail: broadened ? 'IAM permissions broadened (new or wider statements, or new managed policies); review before approving' : 'IAM permissions changed without broadening',
    table,
  }];
}

function securityGroupChanges(stack: StackView, diff: TemplateDiff): BaselineChange[] {
  if (!diff.securityGroupChanges.hasChanges) return [];
  const added = diff.securityGroupChanges.rulesAdded;
  return [{
    ...place(stack),
    category: 'security-group',
    flagged: added,
    detail: added ? 'security-group rules added; review who can now reach what' : 'security-group rules removed or narrowed',
    table: diff.securityGroupChanges.summarize().map(row => row.map(stripAnsi)),
  }];
}

/** Whether a resource is reachable from the internet by Springboard's reachability checks. */
function exposure(resource: ResourceView, stack: StackView): string | undefined {
  const lb = checkLoadBalancerExposure(resource, stack);
  if (lb.status !== 'not-applicable' && lb.facts?.scheme === 'internet-facing') return `internet-facing load balancer (${lb.facts.listeners})`;
  const ingress = checkOpenIngress(resource);
  if (ingress.status !== 'not-applicable' && ingress.facts?.['open ports'] !== 'none') return `ingress from anywhere: ${ingress.facts?.['open ports']}`;
  if (checkBucketPolicyPrincipals(resource).status === 'non-compliant') return 'bucket policy open to everyone';
  return undefined;
}

function exposureChanges(stack: StackView, old: StackView | undefined): BaselineChange[] {
  const oldById = new Map((old?.resources ?? []).map(r => [r.logicalId, r]));
  return stack.resources.flatMap((r): BaselineChange[] => {
    const now = exposure(r, stack);
    if (!now) return [];
    const previous = oldById.get(r.logicalId);
    if (previous && old && exposure(previous, old) === now) return [];
    return [{
      ...place(stack),
      category: 'internet-exposure',
      flagged: true,
      logicalId: r.logicalId,
      resourcePath: r.constructPath,
      resourceType: r.type,
      detail: `new internet exposure: ${now}${previous ? ` (was: ${old ? exposure(previous, old) ?? 'not exposed' : 'not exposed'})` : ''}`,
    }];
  });
}

function resourceChanges(stack: StackView, diff: TemplateDiff): BaselineChange[] {
  const byId = new Map(stack.resources.map(r => [r.logicalId, r]));
  const out: BaselineChange[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const type = change.resourceType ?? 'unknown';
    const impact = change.changeImpact;
    const stateful = isStateful(type) || isStateful(change.oldResourceType);
    const path = byId.get(logicalId)?.constructPath ?? oldPath(change.oldValue) ?? `${stack.stackName}/${logicalId}`;
    const base = { ...place(stack), logicalId, resourcePath: path, resourceType: type, impact };
    if (stateful && REPLACING.has(impact)) {
      const updates = change.propertyUpdates;
      const props = Object.keys(updates).filter(k => REPLACING.has(updates[k].changeImpact ?? ''));
      out.push({ ...base, category: 'stateful-replacement', flagged: true, detail: `${type} ${impact === ResourceImpact.MAY_REPLACE ? 'may be' : 'will be'} replaced${props.length ? ` (changed ${props.join(', ')})` : ''}${stack.strict ? ' in production' : ''}: the existing data is ${change.newValue?.UpdateReplacePolicy === 'Retain' || change.newValue?.UpdateReplacePolicy === 'Snapshot' ? `kept by UpdateReplacePolicy ${change.newValue.UpdateReplacePolicy} but detached` : 'deleted'}` });
    } else if (stateful && REMOVING.has(impact)) {
      out.push({ ...base, category: 'stateful-deletion', flagged: true, detail: `${type} removed from the template${impact === ResourceImpact.WILL_ORPHAN ? ' (retained by its DeletionPolicy, no longer managed)' : ' and deleted with its data'}` });
    } else {
      out.push({ ...base, category: 'other', flagged: false, detail: `${type}: ${describeImpact(impact)}` });
    }
  });
  return out;
}

function removedStackChanges(stack: AssemblyStack): BaselineChange[] {
  const stateful = stack.resources.filter(r => isStateful(r.type));
  return [
    { ...place(stack), category: 'stack-removed', flagged: stateful.length > 0, detail: `stack no longer in the assembly (${stack.resources.length} resources, ${stateful.length} stateful)` },
    ...stateful.map((r): BaselineChange => ({
      ...place(stack),
      category: 'stateful-deletion',
      flagged: true,
      logicalId: r.logicalId,
      resourcePath: r.constructPath,
      resourceType: r.type,
      impact: r.deletionPolicy === 'Retain' ? ResourceImpact.WILL_ORPHAN : ResourceImpact.WILL_DESTROY,
      detail: `${r.type} goes with its stack${r.deletionPolicy === 'Retain' ? ' (retained by its DeletionPolicy)' : ' and is deleted with its data'}`,
    })),
  ];
}

function describeImpact(impact: string): string {
  return ({
    [ResourceImpact.WILL_CREATE]: 'added',
    [ResourceImpact.WILL_UPDATE]: 'updated in place',
    [ResourceImpact.WILL_REPLACE]: 'replaced',
    [ResourceImpact.MAY_REPLACE]: 'may be replaced',
    [ResourceImpact.WILL_DESTROY]: 'deleted',
    [ResourceImpact.WILL_ORPHAN]: 'removed, retained',
    [ResourceImpact.WILL_IMPORT]: 'imported',
    [ResourceImpact.NO_CHANGE]: 'metadata only',
  } as Record<string, string>)[impact] ?? impact.toLowerCase();
}

function oldPath(value: unknown): string | undefined {
  const p = (value as { Metadata?: Record<string, unknown> } | undefined)?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p : undefined;
}

function renderDiff(diff: TemplateDiff, stack: StackView): string {
  const chunks: string[] = [];
  // Formatter only calls write(); a plain collector keeps rendering synchronous.
  const sink = { write: (chunk: unknown) => { chunks.push(String(chunk)); return true; } };
  const paths = Object.fromEntries(stack.resources.map(r => [r.logicalId, r.constructPath]));
  formatDifferences(sink as unknown as NodeJS.WritableStream, diff, paths);
  return stripAnsi(chunks.join(''));
}

/** Removes terminal colour codes. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
