/**
 * Invariants a synthesized platform must hold, as pure checks over deployed stacks. Each returns
 * the violations it finds (empty when the invariant holds), so a test can assert both that the real
 * assembly is clean and that a deliberately broken one is reported.
 */
import { RELEASE_RECORDS_RESOURCE_TYPE } from '../../../lib/baseline/release-records';
import {
  MANAGED_BY_VALUE, PLATFORM_OWNER, PLATFORM_PREFIX, TAG_KEYS, alertTopicName, baselineStackName, deliveryStackName, deployRoleName,
  environmentStackName, imageRepositoryName, pipelineName, pipelineRoleName, releaseParameterName, serviceLogGroupName,
} from '../../../lib/contract';
import { effectivePolicy, isStateful, policyKeepsData, POLICY_ATTRIBUTES, STATEFUL_RESOURCES } from '../../../lib/contract/stateful-resources';
import { DeployedStack } from '../../../lib/escalation/assembly/deployed';
import { IamModel, ReleaseRecordListEntry, tagsOfResource } from '../../../lib/escalation/assembly/iam-model';
import { resolveIntrinsics } from '../../../lib/escalation/assembly/intrinsics';
import { CfnResource } from '../../../lib/escalation/assembly/physical';
import type { Registry, TeamSpec } from '../../../lib/registry/types';

export interface Violation {
  readonly rule: string;
  readonly stack: string;
  readonly logicalId?: string;
  readonly message: string;
}

/** Types the baseline's backup plan must select: team data stores that AWS Backup protects. */
export const BACKED_UP_TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::DBInstance': 'rds:*:*:db:*',
  'AWS::RDS::DBCluster': 'rds:*:*:cluster:*',
};

function resources(stack: DeployedStack): Array<[string, CfnResource]> {
  return Object.entries(stack.template.Resources ?? {});
}

/** The team stacks of a registry, by team. */
export function stacksOfTeam(stacks: readonly DeployedStack[], team: TeamSpec): DeployedStack[] {
  const names = new Set([deliveryStackName(team.id), ...team.environments.map(e => environmentStackName(team.id, e.name))]);
  return stacks.filter(s => names.has(s.stackName));
}

/** Every name the contract derives for a team: stacks, roles, pipeline, repository, topics, log groups, database ids. */
export function derivedNames(team: TeamSpec): string[] {
  const perEnv = team.environments.flatMap(e => [
    environmentStackName(team.id, e.name), deployRoleName(team.id, e.name), alertTopicName(team.id, e.name),
    serviceLogGroupName(team.id, e.name), releaseParameterName(team.id, e.name), `${PLATFORM_PREFIX}-${team.id}-${e.name}`,
  ]);
  return [deliveryStackName(team.id), pipelineName(team.id), pipelineRoleName(team.id), imageRepositoryName(team.id), `/${PLATFORM_PREFIX}/${team.id}/`, ...perEnv];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name as a whole word: not part of a longer team's name (`springboard-a` inside `springboard-a-b`). */
function nameMatcher(name: string): RegExp {
  const tail = name.endsWith('/') ? '' : '(?![A-Za-z0-9-])';
  return new RegExp(`(?<![A-Za-z0-9-])${escape(name)}${tail}`);
}

/** No template of one team names another team's stacks, roles, resources or tag value. */
export function crossTeamReferences(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  const violations: Violation[] = [];
  for (const team of registry.teams) {
    // A string both teams derive (pipeline `springboard-pay-dev` of team pay-dev, resources `springboard-pay-dev` of pay's dev)
    // is the team's own name here; such overlaps are the naming contract's to resolve, not a reference.
    const own = new Set(derivedNames(team));
    for (const stack of stacksOfTeam(stacks, team)) {
      for (const otherTeam of registry.teams.filter(t => t.id !== team.id)) {
        for (const name of derivedNames(otherTeam).filter(n => !own.has(n) && nameMatcher(n).test(stack.text))) {
          violations.push({ rule: 'cross-team-reference', stack: stack.stackName, message: `names ${otherTeam.id}'s "${name}"` });
        }
      }
      for (const [id, r] of resources(stack)) {
        const tag = tagsOfResource(r)[TAG_KEYS.team];
        if (tag !== undefined && tag !== team.id) {
          violations.push({ rule: 'cross-team-reference', stack: stack.stackName, logicalId: id, message: `is tagged ${TAG_KEYS.team}=${tag}` });
        }
      }
    }
  }
  return violations;
}

/** Every stateful resource of the given stacks (the contract's table) is kept on delete and on replacement. */
export function retentionViolations(stacks: readonly DeployedStack[]): Violation[] {
  return stacks.flatMap(stack => resources(stack).flatMap(([id, r]): Violation[] => {
    if (!isStateful(r.Type)) return [];
    const found: Violation[] = [];
    for (const key of POLICY_ATTRIBUTES) {
      const policy = effectivePolicy(r.Type, key, r[key], r.Properties);
      if (!policyKeepsData(r.Type, key, policy)) {
        found.push({ rule: `retain-${key}`, stack: stack.stackName, logicalId: id, message: `${r.Type} has ${key} ${r[key] ?? `(none: ${policy})`}, expected ${STATEFUL_RESOURCES[r.Type].keeps.join(' or ')}` });
      }
    }
    return found;
  }));
}

function loadBalancerDeletionProtected(r: CfnResource): boolean {
  const attributes = (r.Properties?.LoadBalancerAttributes ?? []) as Array<{ Key: string; Value: unknown }>;
  return attributes.some(a => a.Key === 'deletion_protection.enabled' && String(a.Value) === 'true');
}

/** Deletion protection where the service has it: databases (required) and load balancers. */
export function deletionProtectionViolations(stacks: readonly DeployedStack[]): Violation[] {
  return stacks.flatMap(stack => resources(stack).flatMap(([id, r]): Violation[] => {
    const bad = (r.Type === 'AWS::RDS::DBInstance' || r.Type === 'AWS::RDS::DBCluster') ? r.Properties?.DeletionProtection !== true
      : r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' ? !loadBalancerDeletionProtected(r) : false;
    return bad ? [{ rule: 'deletion-protection', stack: stack.stackName, logicalId: id, message: `${r.Type} is not deletion-protected` }] : [];
  }));
}

/** Stacks that must be termination-protected (in the manifest, where CloudFormation deploys read it). */
export function terminationProtectionViolations(stacks: readonly DeployedStack[]): Violation[] {
  return stacks.filter(s => !s.terminationProtection)
    .map(s => ({ rule: 'termination-protection', stack: s.stackName, message: 'is not termination-protected in manifest.json' }));
}

interface Selection { readonly patterns: RegExp[]; readonly tags: Record<string, string>; readonly vaultLocked: boolean }

/** The baseline's backup selection in one account and region, with whether its plan's vault is locked. */
function backupSelection(baseline: DeployedStack): Selection | undefined {
  const all = resources(baseline);
  const selection = all.find(([, r]) => r.Type === 'AWS::Backup::BackupSelection')?.[1];
  if (!selection) return undefined;
  const spec = selection.Properties?.BackupSelection ?? {};
  const planId = selection.Properties?.BackupPlanId?.['Fn::GetAtt']?.[0] ?? selection.Properties?.BackupPlanId?.Ref;
  const plan = all.find(([id]) => id === planId)?.[1];
  const vaultIds = ((plan?.Properties?.BackupPlan?.BackupPlanRule ?? []) as Array<{ TargetBackupVault?: unknown }>)
    .map(rule => JSON.stringify(rule.TargetBackupVault ?? ''));
  const lockedVaults = all.filter(([, r]) => r.Type === 'AWS::Backup::BackupVault' && r.Properties?.LockConfiguration?.MinRetentionDays >= 1);
  const vaultLocked = vaultIds.length > 0 && vaultIds.every(v => lockedVaults.some(([id]) => v.includes(`"${id}"`)));
  const patterns = (resolveIntrinsics(spec.Resources ?? [], baseline.context) as string[])
    .map(p => new RegExp(`^${escape(p).replace(/\\\*/g, '[^:]*')}$`));
  const tags = Object.fromEntries(((spec.Conditions?.StringEquals ?? []) as Array<{ ConditionKey: string; ConditionValue: string }>)
    .map(c => [c.ConditionKey.replace(/^aws:ResourceTag\//, ''), c.ConditionValue]));
  return { patterns, tags, vaultLocked };
}

/** Every team data store is selected by the backup plan of its account and region, whose vault is locked. */
export function backupCoverageViolations(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  const baselineOf = (s: DeployedStack) => stacks.find(b => b.stackName === `${PLATFORM_PREFIX}-baseline-${s.placement.account}-${s.placement.region}`);
  return registry.teams.flatMap(team => stacksOfTeam(stacks, team)).flatMap(stack => resources(stack).flatMap(([id, r]): Violation[] => {
    const pattern = BACKED_UP_TYPES[r.Type];
    if (!pattern) return [];
    const baseline = baselineOf(stack);
    const selection = baseline && backupSelection(baseline);
    const tags = tagsOfResource(r);
    const arn = `arn:${stack.placement.partition}:${pattern.replace(/^(\w+):\*:\*:(\w+):\*$/, `$1:${stack.placement.region}:${stack.placement.account}:$2:${id.toLowerCase()}`)}`;
    const problem = !selection ? `no backup selection in the baseline of ${stack.placement.account}/${stack.placement.region}`
      : !selection.patterns.some(p => p.test(arn)) ? `${r.Type} is not among the selection's resource types`
        : !Object.entries(selection.tags).every(([k, v]) => tags[k] === v) ? `tags ${JSON.stringify(tags)} do not match the selection's ${JSON.stringify(selection.tags)}`
          : !selection.vaultLocked ? 'the backup plan\'s vault has no vault lock' : undefined;
    return problem ? [{ rule: 'backup-coverage', stack: stack.stackName, logicalId: id, message: problem }] : [];
  }));
}

/** Every taggable resource of a team stack carries the team's Team tag and ManagedBy. */
export function untaggedViolations(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  return registry.teams.flatMap(team => stacksOfTeam(stacks, team).flatMap(stack => resources(stack).flatMap(([id, r]): Violation[] => {
    const p = r.Properties ?? {};
    const taggable = 'Tags' in p || 'BackupVaultTags' in p;
    const tags = tagsOfResource(r);
    if (!taggable) return [];
    return tags[TAG_KEYS.team] === team.id && tags[TAG_KEYS.managedBy] === MANAGED_BY_VALUE ? []
      : [{ rule: 'team-tags', stack: stack.stackName, logicalId: id, message: `${r.Type} lacks ${TAG_KEYS.team}=${team.id} or ${TAG_KEYS.managedBy}` }];
  })));
}

/** Stacks the platform owns: baselines and the fleet-wide `springboard-platform-*` stacks (portfolio, platform pipelines). */
export function platformStacks(stacks: readonly DeployedStack[]): DeployedStack[] {
  return stacks.filter(s => s.stackName.startsWith(`${PLATFORM_PREFIX}-baseline-`) || s.stackName.startsWith(`${PLATFORM_PREFIX}-platform-`));
}

/**
 * Everything has an owner: every taggable resource of a platform stack (a team's platform pipeline
 * included) carries the reserved owner and every contract key; every release record carries its own
 * team's tags, so the boundary refuses every other team on it.
 */
export function ownershipViolations(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  const platform = platformStacks(stacks).flatMap(stack => resources(stack).flatMap(([id, r]): Violation[] => {
    const p = r.Properties ?? {};
    if (!('Tags' in p || 'BackupVaultTags' in p || 'BackupPlanTags' in (p.BackupPlan ?? {}))) return [];
    const tags = tagsOfResource(r);
    const missing = Object.values(TAG_KEYS).filter(k => tags[k] === undefined);
    if (tags[TAG_KEYS.team] !== PLATFORM_OWNER) {
      return [{ rule: 'platform-owner', stack: stack.stackName, logicalId: id, message: `${r.Type} is tagged ${TAG_KEYS.team}=${tags[TAG_KEYS.team] ?? '(none)'}, expected the platform owner ${PLATFORM_OWNER}` }];
    }
    return missing.length > 0 ? [{ rule: 'platform-owner', stack: stack.stackName, logicalId: id, message: `${r.Type} lacks ${missing.join(', ')}` }] : [];
  }));
  const expected = new Map(registry.teams.flatMap(t => t.environments
    .map(e => [releaseParameterName(t.id, e.name), { team: t.id, env: e.name }] as const)));
  const lists = stacks.flatMap(stack => resources(stack)
    .filter(([, r]) => r.Type === RELEASE_RECORDS_RESOURCE_TYPE).map(([id, r]) => ({ stack, id, r })));
  const records = lists.flatMap(({ stack, id, r }): Violation[] => {
    const entries = (resolveIntrinsics(r.Properties?.Records, stack.context) ?? []) as ReleaseRecordListEntry[];
    return entries.flatMap((entry): Violation[] => {
      const tags = entry.Tags ?? {};
      const owner = expected.get(entry.Name);
      const ok = owner && tags[TAG_KEYS.team] === owner.team && tags[TAG_KEYS.environment] === owner.env
        && tags[TAG_KEYS.managedBy] === MANAGED_BY_VALUE;
      return ok ? [] : [{
        rule: 'release-record-owner',
        stack: stack.stackName,
        logicalId: id,
        message: `release record ${entry.Name} is tagged ${JSON.stringify(tags)}, expected ${TAG_KEYS.team}=${owner?.team ?? '(no such team environment)'}, ${TAG_KEYS.environment}=${owner?.env ?? '?'}`,
      }];
    });
  });
  return [...platform, ...records];
}

/** The prod environment stacks of a registry. */
export function prodStacks(stacks: readonly DeployedStack[], registry: Registry): DeployedStack[] {
  const names = new Set(registry.teams.flatMap(t => t.environments.filter(e => e.isProd).map(e => environmentStackName(t.id, e.name))));
  return stacks.filter(s => names.has(s.stackName));
}

/** The baseline stacks of an assembly (one per account and region). */
export function baselineStacks(stacks: readonly DeployedStack[]): DeployedStack[] {
  return stacks.filter(s => s.stackName === baselineStackName(s.placement.account, s.placement.region));
}

/** Logical ids of the keys a resource's properties reference. */
function keysReferencedBy(stack: DeployedStack, r: CfnResource): string[] {
  const text = JSON.stringify(r.Properties ?? {});
  return resources(stack).filter(([id, k]) => k.Type === 'AWS::KMS::Key' && text.includes(`"${id}"`)).map(([id]) => id);
}

/** Keys whose loss makes data unreadable: every key of a prod stack, and the baselines' backup-vault and log-archive keys. */
export function dataKeys(stacks: readonly DeployedStack[], registry: Registry): Array<{ stack: DeployedStack; logicalId: string }> {
  const prod = prodStacks(stacks, registry).flatMap(stack => resources(stack).filter(([, r]) => r.Type === 'AWS::KMS::Key').map(([logicalId]) => ({ stack, logicalId })));
  const baseline = baselineStacks(stacks).flatMap(stack => resources(stack)
    .filter(([, r]) => r.Type === 'AWS::Backup::BackupVault' || (r.Type === 'AWS::S3::Bucket' && r.Properties?.ObjectLockEnabled === true))
    .flatMap(([, r]) => keysReferencedBy(stack, r)).map(logicalId => ({ stack, logicalId })));
  return [...prod, ...baseline];
}

const KEY_LOSS_ACTIONS = ['kms:DisableKey', 'kms:ScheduleKeyDeletion'];

/**
 * Every data key's policy denies disabling it and scheduling its deletion to every principal but the
 * account's break-glass role: one unconditional-but-for-that deny on `*`.
 */
export function keyDeletionViolations(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  return dataKeys(stacks, registry).flatMap(({ stack, logicalId }): Violation[] => {
    const { partition, account } = stack.placement;
    const breakGlass = `arn:${partition}:iam::${account}:role/${registry.platform.breakGlassRoleName}`;
    const policy = resolveIntrinsics(stack.template.Resources![logicalId].Properties?.KeyPolicy ?? {}, stack.context) as { Statement?: any[] };
    const guards = (policy.Statement ?? []).some(st => {
      const actions = [st.Action ?? []].flat();
      const anyone = st.Principal === '*' || st.Principal?.AWS === '*';
      const onlyBreakGlass = JSON.stringify(st.Condition) === JSON.stringify({ ArnNotLike: { 'aws:PrincipalArn': breakGlass } });
      return st.Effect === 'Deny' && anyone && st.Resource === '*' && KEY_LOSS_ACTIONS.every(a => actions.includes(a)) && onlyBreakGlass;
    });
    return guards ? [] : [{ rule: 'key-deletion', stack: stack.stackName, logicalId, message: `key policy does not deny ${KEY_LOSS_ACTIONS.join(' and ')} to everyone but ${breakGlass}` }];
  });
}

/** Every log archive (a baseline bucket with Object Lock) locks its objects in COMPLIANCE mode for the registry's total log retention. */
export function logArchiveLockViolations(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  const total = registry.platform.logRetention.totalDays;
  return baselineStacks(stacks).flatMap(stack => {
    const archives = resources(stack).filter(([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties?.ObjectLockEnabled === true);
    if (archives.length === 0) return [{ rule: 'log-archive-lock', stack: stack.stackName, message: 'has no bucket with Object Lock (the log archive)' }];
    return archives.flatMap(([id, r]): Violation[] => {
      const retention = r.Properties?.ObjectLockConfiguration?.Rule?.DefaultRetention ?? {};
      const days = retention.Days ?? (retention.Years ?? 0) * 365;
      return retention.Mode === 'COMPLIANCE' && days >= total ? []
        : [{ rule: 'log-archive-lock', stack: stack.stackName, logicalId: id, message: `locks objects in ${retention.Mode ?? 'no'} mode for ${days} days; expected COMPLIANCE for at least ${total} days` }];
    });
  });
}

/** Every data-safety invariant over a registry's prod stacks. */
export function dataSafetyViolations(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  const prod = prodStacks(stacks, registry);
  return [
    ...retentionViolations(prod),
    ...deletionProtectionViolations(prod),
    ...terminationProtectionViolations(prod),
    ...backupCoverageViolations(stacks, registry),
    ...keyDeletionViolations(stacks, registry),
    ...logArchiveLockViolations(stacks, registry),
  ];
}

/**
 * Every role of a team stack carries a permissions boundary that keeps the team boundary's isolation: the
 * account's team boundary itself, or a boundary of the assembly (the delivery boundary of the tooling account's
 * pipeline roles) that holds every deny statement of the team boundary of its account unchanged, save the ARN
 * each names for itself.
 */
export function boundaryViolations(model: IamModel, registry: Registry): Violation[] {
  const teamStacks = new Set(registry.teams.flatMap(team => stacksOfTeam(model.stacks, team)).map(s => s.stackName));
  return model.roles.filter(role => teamStacks.has(role.stackName)).flatMap((role): Violation[] => {
    const found = (message: string): Violation[] => [{ rule: 'permissions-boundary', stack: role.stackName, logicalId: role.logicalId, message }];
    const teamArn = `arn:${role.arn.split(':')[1]}:iam::${role.account}:policy/${registry.platform.permissionsBoundaryName}`;
    if (role.boundaryArn === undefined) return found('has no permissions boundary');
    if (role.boundaryArn === teamArn) return [];
    const boundary = model.managedPolicies.get(role.boundaryArn);
    const team = model.managedPolicies.get(teamArn);
    if (!boundary) return found(`has boundary ${role.boundaryArn}, which no stack of the assembly creates`);
    if (!team) return found(`cannot be compared with ${teamArn}, which no baseline of the assembly creates`);
    const own = new Set(boundary.Statement.map(st => JSON.stringify(st).split(role.boundaryArn!).join(teamArn)));
    return team.Statement.filter(st => st.Effect === 'Deny' && !own.has(JSON.stringify(st)))
      .flatMap(st => found(`has boundary ${role.boundaryArn}, which lacks the team boundary's deny ${st.Sid ?? JSON.stringify(st)}`));
  });
}

/** Every invariant at once, for the property tests. */
export function allViolations(stacks: readonly DeployedStack[], registry: Registry): Violation[] {
  return [
    ...crossTeamReferences(stacks, registry), ...dataSafetyViolations(stacks, registry), ...untaggedViolations(stacks, registry),
    ...ownershipViolations(stacks, registry),
  ];
}

export function describeViolations(violations: readonly Violation[]): string[] {
  return violations.map(v => `${v.rule}: ${v.stack}${v.logicalId ? `/${v.logicalId}` : ''} ${v.message}`);
}
