/**
 * The prod data guard's acknowledgments, as the audit sees them: every acknowledged destructive
 * change of every environment stack, read from the template metadata the environment stack writes
 * (so the audit needs only the assembly), with team, environment, reason and reviewer; and the
 * acknowledgments that no longer match anything, which the audit flags because an acknowledgment
 * left behind would pre-approve a future resource that reuses the logical id.
 */
import type { AssemblyStack, CloudAssemblyModel } from './assembly';
import { ACKNOWLEDGED_CHANGES_METADATA_KEY } from '../contract/naming';
import { isStateful, POLICY_ATTRIBUTES, STATEFUL_RESOURCES } from '../contract/stateful-resources';
import type { AcknowledgedChange } from '../registry/types';

export interface AcknowledgedChangeEntry extends AcknowledgedChange {
  readonly stack: string;
  readonly team?: string;
  readonly environment?: string;
  /** Why the acknowledgment matches nothing; undefined when it still applies. */
  readonly stale?: string;
}

/** The acknowledgments an environment stack carries in its template metadata. */
export function acknowledgedChangesIn(stack: AssemblyStack): AcknowledgedChange[] {
  const metadata = (stack.template.Metadata ?? {}) as Record<string, unknown>;
  const entries = metadata[ACKNOWLEDGED_CHANGES_METADATA_KEY];
  return Array.isArray(entries) ? entries as AcknowledgedChange[] : [];
}

/** Why an acknowledgment matches nothing in the stack (and the approved baseline, for deletions); undefined when it applies. */
export function staleness(ack: AcknowledgedChange, stack: AssemblyStack, approved?: AssemblyStack): string | undefined {
  const resource = stack.resources.find(r => r.logicalId === ack.logicalId);
  if (ack.action === 'Delete') {
    if (resource) return `${ack.logicalId} is still in the template: nothing deletes it`;
    if (approved && !approved.resources.some(r => r.logicalId === ack.logicalId)) return `${ack.logicalId} is in neither the template nor the approved baseline: its deletion is done`;
    return undefined;
  }
  if (!resource) return `no resource ${ack.logicalId} in ${stack.stackName}`;
  if (!isStateful(resource.type)) return `${ack.logicalId} is a ${resource.type}, which holds no data: the guard never stops a change to it`;
  if (ack.action === 'Modify') {
    const properties = [...POLICY_ATTRIBUTES, ...STATEFUL_RESOURCES[resource.type].protectedProperties.map(p => p.path.split('/')[0])];
    if (!properties.includes(ack.property ?? '')) return `${ack.property} is not a property of ${resource.type} whose change the guard stops (${properties.join(', ')})`;
  }
  return undefined;
}

/** Every acknowledged change of the assembly, stale ones flagged. */
export function acknowledgedChanges(assembly: CloudAssemblyModel, baseline?: CloudAssemblyModel): AcknowledgedChangeEntry[] {
  return assembly.stacks.flatMap(stack => acknowledgedChangesIn(stack).map((ack): AcknowledgedChangeEntry => {
    const approved = baseline?.stacks.find(s => s.stackName === stack.stackName);
    const stale = staleness(ack, stack, approved);
    return { ...ack, stack: stack.stackName, team: stack.team, environment: stack.environment, ...(stale ? { stale } : {}) };
  }));
}
