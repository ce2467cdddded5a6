/**
 * The prod data guard: before a prod change set is executed, every change is inspected, and a
 * replacement or deletion of a stateful resource stops the deploy unless the team's registry entry
 * acknowledges that exact change with a reason. Pure: it reads DescribeChangeSet output.
 */
import type { Change } from '@aws-sdk/client-cloudformation';
import type { AcknowledgedChange } from '../registry/types';

/** Resource types that hold data (or keys to data) that a replacement or deletion would destroy. */
export const STATEFUL_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
  'AWS::DynamoDB::Table',
  'AWS::EFS::FileSystem',
  'AWS::ECR::Repository',
  'AWS::Backup::BackupVault',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::OpenSearchService::Domain',
]);

export type DestructiveAction = 'Replace' | 'Delete';

export interface DestructiveChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly action: DestructiveAction;
  /** Whether CloudFormation said the replacement is certain or depends on runtime values. */
  readonly certainty: 'certain' | 'conditional';
  /** What happens to the data per the resource's policy, when CloudFormation reports it. */
  readonly policyAction?: string;
}

export interface Inspection {
  /** Destructive changes nobody acknowledged: the deploy must stop. */
  readonly blocked: readonly DestructiveChange[];
  /** Destructive changes the registry acknowledges, with the reason. */
  readonly acknowledged: ReadonlyArray<DestructiveChange & { readonly reason: string }>;
  /** Changes inspected in all. */
  readonly inspected: number;
}

/** Classifies one change; undefined when it cannot destroy data. */
export function destructiveChange(change: Change): DestructiveChange | undefined {
  const rc = change.ResourceChange;
  if (change.Type !== 'Resource' || !rc?.LogicalResourceId || !rc.ResourceType) return undefined;
  if (!STATEFUL_RESOURCE_TYPES.has(rc.ResourceType)) return undefined;
  const base = { logicalId: rc.LogicalResourceId, resourceType: rc.ResourceType, policyAction: rc.PolicyAction };
  if (rc.Action === 'Remove') return { ...base, action: 'Delete', certainty: 'certain' };
  if (rc.Action === 'Modify' && rc.Replacement === 'True') return { ...base, action: 'Replace', certainty: 'certain' };
  // A conditional replacement may well happen: treat it as one, and say so.
  if (rc.Action === 'Modify' && rc.Replacement === 'Conditional') return { ...base, action: 'Replace', certainty: 'conditional' };
  return undefined;
}

export function inspectChangeSet(changes: readonly Change[], acknowledgments: readonly AcknowledgedChange[]): Inspection {
  const blocked: DestructiveChange[] = [];
  const acknowledged: Array<DestructiveChange & { reason: string }> = [];
  for (const change of changes) {
    const destructive = destructiveChange(change);
    if (!destructive) continue;
    const ack = acknowledgments.find((a) => a.logicalId === destructive.logicalId && a.action === destructive.action);
    if (ack) acknowledged.push({ ...destructive, reason: ack.reason });
    else blocked.push(destructive);
  }
  return { blocked, acknowledged, inspected: changes.length };
}

/** A report for the pipeline log: what was found and, when blocked, how to proceed. */
export function formatInspection(stackName: string, inspection: Inspection): string {
  const lines = [`change set of ${stackName}: ${inspection.inspected} change(s) inspected`];
  for (const c of inspection.acknowledged) {
    lines.push(`  acknowledged: ${c.action} ${c.logicalId} (${c.resourceType}): ${c.reason}`);
  }
  for (const c of inspection.blocked) {
    const policy = c.policyAction ? `, data policy ${c.policyAction}` : '';
    lines.push(`  BLOCKED: ${c.action}${c.certainty === 'conditional' ? ' (conditional)' : ''} ${c.logicalId} (${c.resourceType}${policy})`);
  }
  if (inspection.blocked.length > 0) {
    lines.push(
      'stopping: a stateful prod resource would be replaced or deleted. If this is intended, add to the team\'s registry entry under',
      'environments.prod.acknowledgedChanges: { logicalId, action, reason } for each change above, have it reviewed, and run again.',
    );
  } else {
    lines.push('no stateful resource is replaced or deleted without acknowledgment');
  }
  return lines.join('\n');
}
