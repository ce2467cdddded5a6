/** Backups, deletion protection and retention policies of stateful resources (the contract's stateful-resource table). */
import { effectivePolicy, isStateful, policyKeepsData, STATEFUL_RESOURCES } from '../../contract/stateful-resources';
import { ResourceView, StackView, referencedLogicalIds } from '../template';
import { CheckResult, NOT_APPLICABLE, ResourceCheck, compliant, nonCompliant } from './types';

/** In production, stateful resources survive deletion and replacement. */
export function checkStatefulRetention(resource: ResourceView, stack: StackView): CheckResult {
  if (!isStateful(resource.type)) return NOT_APPLICABLE;
  const onDelete = effectivePolicy(resource.type, 'DeletionPolicy', resource.deletionPolicy, resource.properties);
  const onReplace = effectivePolicy(resource.type, 'UpdateReplacePolicy', resource.updateReplacePolicy, resource.properties);
  const facts = { 'on delete': onDelete, 'on replace': onReplace };
  const deleteLoses = !policyKeepsData(resource.type, 'DeletionPolicy', onDelete);
  const replaceLoses = !policyKeepsData(resource.type, 'UpdateReplacePolicy', onReplace);
  if ((deleteLoses || replaceLoses) && stack.strict) {
    const keeps = STATEFUL_RESOURCES[resource.type].keeps.join(' or ');
    return nonCompliant(`stateful resource is deleted on ${[deleteLoses ? 'stack deletion' : '', replaceLoses ? 'replacement' : ''].filter(Boolean).join(' and ')} in production; expected DeletionPolicy and UpdateReplacePolicy ${keeps}`, facts);
  }
  return compliant(`kept on delete: ${onDelete}, on replace: ${onReplace}`, facts);
}

function inBackupPlan(resource: ResourceView, stack: StackView): boolean {
  return stack.resources.some(r => r.type === 'AWS::Backup::BackupSelection' && referencedLogicalIds(r.properties).has(resource.logicalId));
}

/** In production, databases have deletion protection, automated backups and (instances) Multi-AZ. */
export function checkDatabaseProtection(resource: ResourceView, stack: StackView): CheckResult {
  const p = resource.properties;
  if (resource.type === 'AWS::DynamoDB::Table') {
    const pitr = (p.PointInTimeRecoverySpecification as Record<string, unknown> | undefined)?.PointInTimeRecoveryEnabled === true;
    const facts = { 'point-in-time recovery': pitr ? 'on' : 'off', 'deletion protection': p.DeletionProtectionEnabled === true ? 'on' : 'off', 'backup plan': inBackupPlan(resource, stack) ? 'yes' : 'not in this stack' };
    if (stack.strict && !pitr) return nonCompliant('production table has no point-in-time recovery; expected it on', facts);
    return compliant('table recovery settings recorded', facts);
  }
  if (resource.type !== 'AWS::RDS::DBInstance' && resource.type !== 'AWS::RDS::DBCluster') return NOT_APPLICABLE;
  if (resource.type === 'AWS::RDS::DBInstance' && p.DBClusterIdentifier !== undefined) return NOT_APPLICABLE;
  const retention = p.BackupRetentionPeriod === undefined ? 1 : Number(p.BackupRetentionPeriod);
  const multiAz = resource.type === 'AWS::RDS::DBCluster' || p.MultiAZ === true;
  const facts = {
    'deletion protection': p.DeletionProtection === true ? 'on' : 'off',
    'automated backups': retention > 0 ? `${retention} days` : 'off',
    'multi-AZ': multiAz ? 'yes' : 'no',
    'backup plan': inBackupPlan(resource, stack) ? 'yes' : 'not in this stack',
  };
  if (!stack.strict) return compliant('non-production database; protections recorded', facts);
  const missing = [
    p.DeletionProtection !== true ? 'deletion protection' : '',
    retention <= 0 ? 'automated backups' : '',
    !multiAz ? 'Multi-AZ' : '',
  ].filter(Boolean);
  if (missing.length > 0) return nonCompliant(`production database lacks ${missing.join(', ')}`, facts);
  return compliant('production database protected', facts);
}

export const RESILIENCE_CHECKS: readonly ResourceCheck[] = [
  { id: 'Springboard-StatefulRetention', title: 'Production stateful resources survive delete and replace', section: 'resilience', controls: ['CP-9', 'CP-10', 'SI-12'], scope: 'resource', check: checkStatefulRetention },
  { id: 'Springboard-DatabaseProtection', title: 'Production databases: deletion protection, backups, Multi-AZ', section: 'resilience', controls: ['CP-9', 'CP-10', 'SC-5'], scope: 'resource', check: checkDatabaseProtection },
];
