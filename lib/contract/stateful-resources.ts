/**
 * The one table of resource types that hold data (or the keys and evidence data depends on), and,
 * per type, what destroys it: deletion, replacement, the property changes that shorten or switch
 * off its protection, and a `DeletionPolicy`/`UpdateReplacePolicy` that stops keeping it. The prod
 * data guard, the audit (and its baseline diff), the data-safety invariants and retirement all read
 * this table; nothing else lists stateful types. Pure data and pure functions: no CDK here.
 */

/** CloudFormation's values for `DeletionPolicy` and `UpdateReplacePolicy`. */
export type RetentionPolicy = 'Retain' | 'Snapshot' | 'RetainExceptOnCreate' | 'Delete';

/** The resource attributes that decide what happens to the data on delete and on replace. */
export const POLICY_ATTRIBUTES = ['DeletionPolicy', 'UpdateReplacePolicy'] as const;
export type PolicyAttribute = typeof POLICY_ATTRIBUTES[number];

/**
 * How a property change destroys data:
 * - `turned-off`: a protection that was on is switched off (deletion protection, point-in-time recovery);
 * - `lowered`: a number of days or copies kept becomes smaller (backup retention, log retention);
 * - `expiry-shortened`: the shortest expiration among lifecycle rules becomes shorter, or appears;
 * - `changed`: any change at all (object lock, vault lock), because every change weakens or ends it.
 */
export type DestructiveKind = 'turned-off' | 'lowered' | 'expiry-shortened' | 'changed';

export interface ProtectedProperty {
  /** Path under the resource's `Properties`, as CloudFormation writes it (`/`-separated). */
  readonly path: string;
  readonly kind: DestructiveKind;
  /** What the property protects, in words, for the guard's report. */
  readonly protects: string;
  /** `turned-off`: the value that means on. */
  readonly on?: boolean | string;
  /** `turned-off`: whether leaving the property out means on (a KMS key is enabled by default). @default false */
  readonly absentIsOn?: boolean;
  /** `lowered`: the value that leaving the property out means (AWS's default); `Infinity` for "kept forever". */
  readonly absent?: number;
}

export interface StatefulResourceType {
  /** What is lost, in words ("database", "objects"). */
  readonly holds: string;
  /** Policy values that keep the data, for `DeletionPolicy` and `UpdateReplacePolicy` alike. */
  readonly keeps: readonly RetentionPolicy[];
  /** CloudFormation snapshots it on delete when the template sets no `DeletionPolicy` (stand-alone RDS). */
  readonly snapshotByDefault?: boolean;
  /** The property that holds its physical name, when the template may set one. */
  readonly nameProperty?: string;
  /** Property changes that destroy data without a replacement. */
  readonly protectedProperties: readonly ProtectedProperty[];
}

const DB_PROTECTION = (backupDefault: number, retentionProperty = 'BackupRetentionPeriod'): ProtectedProperty[] => [
  { path: retentionProperty, kind: 'lowered', absent: backupDefault, protects: 'days of automated backups kept' },
  { path: 'DeletionProtection', kind: 'turned-off', on: true, protects: 'deletion protection' },
];

/** Every stateful type. Adding a type here protects it everywhere at once. */
export const STATEFUL_RESOURCES: Readonly<Record<string, StatefulResourceType>> = {
  'AWS::RDS::DBInstance': { holds: 'database', keeps: ['Snapshot', 'Retain'], snapshotByDefault: true, nameProperty: 'DBInstanceIdentifier', protectedProperties: DB_PROTECTION(1) },
  'AWS::RDS::DBCluster': { holds: 'database cluster', keeps: ['Snapshot', 'Retain'], snapshotByDefault: true, nameProperty: 'DBClusterIdentifier', protectedProperties: DB_PROTECTION(1) },
  'AWS::DocDB::DBCluster': { holds: 'document database', keeps: ['Snapshot', 'Retain'], nameProperty: 'DBClusterIdentifier', protectedProperties: DB_PROTECTION(1) },
  'AWS::Neptune::DBCluster': { holds: 'graph database', keeps: ['Snapshot', 'Retain'], nameProperty: 'DBClusterIdentifier', protectedProperties: DB_PROTECTION(1) },
  'AWS::Redshift::Cluster': {
    holds: 'data warehouse',
    keeps: ['Snapshot', 'Retain'],
    nameProperty: 'ClusterIdentifier',
    protectedProperties: [{ path: 'AutomatedSnapshotRetentionPeriod', kind: 'lowered', absent: 1, protects: 'days of automated snapshots kept' }],
  },
  'AWS::DynamoDB::Table': {
    holds: 'table',
    keeps: ['Retain'],
    nameProperty: 'TableName',
    protectedProperties: [
      { path: 'DeletionProtectionEnabled', kind: 'turned-off', on: true, protects: 'deletion protection' },
      { path: 'PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled', kind: 'turned-off', on: true, protects: 'point-in-time recovery' },
    ],
  },
  'AWS::S3::Bucket': {
    holds: 'objects',
    keeps: ['Retain'],
    nameProperty: 'BucketName',
    protectedProperties: [
      { path: 'LifecycleConfiguration', kind: 'expiry-shortened', protects: 'how long objects are kept before they expire' },
      { path: 'ObjectLockConfiguration', kind: 'changed', protects: 'object lock (immutability)' },
      { path: 'VersioningConfiguration/Status', kind: 'turned-off', on: 'Enabled', protects: 'versioning (earlier versions of overwritten objects)' },
    ],
  },
  'AWS::EFS::FileSystem': {
    holds: 'file system',
    keeps: ['Retain'],
    protectedProperties: [{ path: 'BackupPolicy/Status', kind: 'turned-off', on: 'ENABLED', protects: 'automatic backups' }],
  },
  'AWS::EC2::Volume': { holds: 'volume', keeps: ['Snapshot', 'Retain'], protectedProperties: [] },
  'AWS::ElastiCache::ReplicationGroup': {
    holds: 'cache data',
    keeps: ['Snapshot', 'Retain'],
    protectedProperties: [{ path: 'SnapshotRetentionLimit', kind: 'lowered', absent: 0, protects: 'days of snapshots kept' }],
  },
  'AWS::OpenSearchService::Domain': { holds: 'search indexes', keeps: ['Retain'], nameProperty: 'DomainName', protectedProperties: [] },
  'AWS::Cognito::UserPool': {
    holds: 'user accounts',
    keeps: ['Retain'],
    nameProperty: 'UserPoolName',
    protectedProperties: [{ path: 'DeletionProtection', kind: 'turned-off', on: 'ACTIVE', protects: 'deletion protection' }],
  },
  'AWS::KMS::Key': {
    holds: 'key to encrypted data',
    keeps: ['Retain'],
    protectedProperties: [
      { path: 'Enabled', kind: 'turned-off', on: true, absentIsOn: true, protects: 'the key being usable (a disabled key makes its data unreadable)' },
      { path: 'PendingWindowInDays', kind: 'lowered', absent: 30, protects: 'days before a scheduled deletion is final' },
    ],
  },
  'AWS::SecretsManager::Secret': { holds: 'secret', keeps: ['Retain'], nameProperty: 'Name', protectedProperties: [] },
  'AWS::Logs::LogGroup': {
    holds: 'log events',
    keeps: ['Retain'],
    nameProperty: 'LogGroupName',
    protectedProperties: [{ path: 'RetentionInDays', kind: 'lowered', absent: Infinity, protects: 'days log events are kept' }],
  },
  'AWS::ECR::Repository': { holds: 'images', keeps: ['Retain'], nameProperty: 'RepositoryName', protectedProperties: [] },
  'AWS::Backup::BackupVault': {
    holds: 'recovery points',
    keeps: ['Retain'],
    nameProperty: 'BackupVaultName',
    protectedProperties: [{ path: 'LockConfiguration', kind: 'changed', protects: 'vault lock (minimum retention of recovery points)' }],
  },
};

/** The stateful types, as a set. */
export const STATEFUL_RESOURCE_TYPES: ReadonlySet<string> = new Set(Object.keys(STATEFUL_RESOURCES));

export function isStateful(type: string | undefined): boolean {
  return type !== undefined && STATEFUL_RESOURCE_TYPES.has(type);
}

/**
 * The policy in effect: the template's, or what CloudFormation does when it says nothing (Delete,
 * except a stand-alone RDS instance or cluster, which is snapshotted on delete).
 */
export function effectivePolicy(
  type: string, attribute: PolicyAttribute, policy: string | undefined, properties: Record<string, unknown> = {},
): string {
  if (policy !== undefined) return policy;
  const standAlone = properties.DBClusterIdentifier === undefined || type !== 'AWS::RDS::DBInstance';
  return attribute === 'DeletionPolicy' && STATEFUL_RESOURCES[type]?.snapshotByDefault && standAlone ? 'Snapshot' : 'Delete';
}

/** Whether a policy keeps the data of a stateful type (`RetainExceptOnCreate` keeps it on delete only). */
export function policyKeepsData(type: string, attribute: PolicyAttribute, policy: string): boolean {
  const entry = STATEFUL_RESOURCES[type];
  if (!entry) return true;
  if (attribute === 'DeletionPolicy' && policy === 'RetainExceptOnCreate') return true;
  return (entry.keeps as readonly string[]).includes(policy);
}

/** A value CloudFormation could not give: unresolved until the change runs, or cut short. */
export class UnknownValue {
  constructor(readonly why: string) {}
}

/** The judgement of one change: not destructive, destructive (and why), or undecidable (and why). */
export type Judgement =
  | { readonly verdict: 'safe' }
  | { readonly verdict: 'destructive'; readonly why: string }
  | { readonly verdict: 'unknown'; readonly why: string };

const SAFE: Judgement = { verdict: 'safe' };

/** Values of a detail path inside a property (`Status` under `VersioningConfiguration`). */
function at(value: unknown, segments: readonly string[]): unknown {
  let v = value;
  for (const s of segments) {
    if (v instanceof UnknownValue || v === undefined || v === null) return v ?? undefined;
    if (typeof v !== 'object') return new UnknownValue(`expected an object at "${s}", found ${JSON.stringify(v)}`);
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

const EXPIRY_KEYS = new Set(['ExpirationInDays', 'NoncurrentVersionExpirationInDays', 'NoncurrentDays']);

/** The shortest expiration (days) anywhere under a lifecycle configuration; Infinity when none. */
function shortestExpiry(value: unknown): number | UnknownValue {
  if (value === undefined || value === null) return Infinity;
  if (value instanceof UnknownValue) return value;
  if (typeof value !== 'object') return new UnknownValue(`expected a lifecycle configuration, found ${JSON.stringify(value)}`);
  let shortest = Infinity;
  const rules = (value as { Rules?: unknown }).Rules ?? [];
  if (!Array.isArray(rules)) return new UnknownValue('lifecycle Rules is not a list');
  for (const rule of rules as Array<Record<string, unknown>>) {
    if (rule?.Status === 'Disabled') continue;
    const found = expiryDays(rule);
    if (found instanceof UnknownValue) return found;
    shortest = Math.min(shortest, found);
  }
  return shortest;
}

function expiryDays(node: unknown): number | UnknownValue {
  if (node === null || typeof node !== 'object') return Infinity;
  let shortest = Infinity;
  for (const [key, v] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'ExpirationDate') return new UnknownValue('an expiration by date cannot be compared with one in days');
    if (EXPIRY_KEYS.has(key)) {
      const n = asNumber(v);
      if (n instanceof UnknownValue) return n;
      shortest = Math.min(shortest, n);
    } else if (typeof v === 'object' && key !== 'Transitions' && key !== 'NoncurrentVersionTransitions' && key !== 'TagFilters') {
      const inner = expiryDays(v);
      if (inner instanceof UnknownValue) return inner;
      shortest = Math.min(shortest, inner);
    }
  }
  return shortest;
}

function asNumber(value: unknown): number | UnknownValue {
  if (value instanceof UnknownValue) return value;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : new UnknownValue(`expected a number, found ${JSON.stringify(value)}`);
}

function isOn(rule: ProtectedProperty, value: unknown): boolean | UnknownValue {
  if (value instanceof UnknownValue) return value;
  if (value === undefined || value === null) return rule.absentIsOn === true;
  return String(value) === String(rule.on);
}

const days = (n: number) => (n === Infinity ? 'kept forever' : `${n}`);

/**
 * Judges one protected property from its whole values before and after (undefined when absent).
 * `sub` is a path below the property when the change set reports a nested value only.
 */
export function judgeProperty(rule: ProtectedProperty, before: unknown, after: unknown): Judgement {
  switch (rule.kind) {
    case 'changed':
      if (before instanceof UnknownValue || after instanceof UnknownValue) return { verdict: 'unknown', why: (before instanceof UnknownValue ? before : after as UnknownValue).why };
      return JSON.stringify(before) === JSON.stringify(after) ? SAFE : { verdict: 'destructive', why: `${rule.protects} is changed or removed` };
    case 'turned-off': {
      const was = isOn(rule, before);
      const now = isOn(rule, after);
      if (was instanceof UnknownValue) return { verdict: 'unknown', why: was.why };
      if (now instanceof UnknownValue) return { verdict: 'unknown', why: now.why };
      return was && !now ? { verdict: 'destructive', why: `${rule.protects} is turned off` } : SAFE;
    }
    case 'lowered': {
      const was = before === undefined ? rule.absent ?? Infinity : asNumber(before);
      const now = after === undefined ? rule.absent ?? Infinity : asNumber(after);
      if (was instanceof UnknownValue) return { verdict: 'unknown', why: was.why };
      if (now instanceof UnknownValue) return { verdict: 'unknown', why: now.why };
      return now < was ? { verdict: 'destructive', why: `${rule.protects} lowered from ${days(was)} to ${days(now)}` } : SAFE;
    }
    case 'expiry-shortened': {
      const was = shortestExpiry(before);
      const now = shortestExpiry(after);
      if (was instanceof UnknownValue) return { verdict: 'unknown', why: was.why };
      if (now instanceof UnknownValue) return { verdict: 'unknown', why: now.why };
      return now < was ? { verdict: 'destructive', why: `${rule.protects}: shortest expiration ${days(was)} → ${days(now)} days` } : SAFE;
    }
  }
}

/** A policy attribute moved away from keeping the data (Retain/Snapshot → Delete, or to nothing). */
export function judgePolicy(type: string, attribute: PolicyAttribute, before: unknown, after: unknown): Judgement {
  if (after instanceof UnknownValue) return { verdict: 'unknown', why: after.why };
  const now = effectivePolicy(type, attribute, after === undefined ? undefined : String(after));
  if (policyKeepsData(type, attribute, now)) return SAFE;
  const was = before instanceof UnknownValue || before === undefined ? 'unknown' : String(before);
  return { verdict: 'destructive', why: `${attribute} ${was} → ${now}: the ${STATEFUL_RESOURCES[type]?.holds ?? 'data'} would no longer be kept` };
}

/** The protected property a change-set detail path (`/Properties/A/B`) touches, and the rest of the path either way. */
export function protectedPropertyAt(type: string, propertyPath: string): { rule: ProtectedProperty; below: string[]; above: string[] } | undefined {
  const segments = propertyPath.replace(/^\/?Properties\//, '').split('/').filter(Boolean);
  for (const rule of STATEFUL_RESOURCES[type]?.protectedProperties ?? []) {
    const ruleSegments = rule.path.split('/');
    const common = Math.min(ruleSegments.length, segments.length);
    if (ruleSegments.slice(0, common).join('/') !== segments.slice(0, common).join('/')) continue;
    // The change is at the rule (or above it: the values hold the rule's property), or below it.
    return { rule, below: ruleSegments.slice(segments.length), above: segments.slice(ruleSegments.length) };
  }
  return undefined;
}

/** Judges a change reported at `propertyPath` with its values there (undefined when absent). */
export function judgePropertyChange(
  type: string, propertyPath: string, before: unknown, after: unknown,
): { rule: ProtectedProperty; judgement: Judgement } | undefined {
  const match = protectedPropertyAt(type, propertyPath);
  if (!match) return undefined;
  const { rule, below, above } = match;
  if (above.length > 0) return { rule, judgement: judgeBelow(rule, above, before, after) };
  return { rule, judgement: judgeProperty(rule, at(before, below), at(after, below)) };
}

/** A change reported deeper than the rule's property (one lifecycle rule's days): judge what can be judged there. */
function judgeBelow(rule: ProtectedProperty, above: readonly string[], before: unknown, after: unknown): Judgement {
  const leaf = above[above.length - 1];
  if (rule.kind === 'expiry-shortened') {
    if (EXPIRY_KEYS.has(leaf) || leaf === 'Days') return judgeProperty({ ...rule, kind: 'lowered', absent: Infinity }, before, after);
    if (['Transitions', 'NoncurrentVersionTransitions', 'StorageClass', 'TransitionInDays', 'Id', 'Prefix'].some(k => above.includes(k))) return SAFE;
    return { verdict: 'unknown', why: `cannot tell whether changing ${[rule.path, ...above].join('/')} shortens ${rule.protects}` };
  }
  return judgeProperty({ ...rule, kind: 'changed' }, before, after);
}
