/**
 * Production data survives mistakes: every stateful resource of a prod stack is kept on delete and
 * on replacement, databases (and load balancers) are deletion-protected, databases are selected by
 * the baseline's backup plan into a locked vault, and prod stacks are termination-protected. Each
 * check is also shown to fail on a copy of the assembly with one deliberate defect.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { isStateful } from '../../lib/contract/stateful-resources';
import type { DeployedStack } from '../../lib/escalation/assembly/deployed';
import { resolveIntrinsics } from '../../lib/escalation/assembly/intrinsics';
import {
  backupCoverageViolations, dataKeys, dataSafetyViolations, deletionProtectionViolations, describeViolations, keyDeletionViolations,
  logArchiveLockViolations, prodStacks, retentionViolations, terminationProtectionViolations,
} from '../support/iam/invariants';
import { firstOfType, withMutation } from '../support/iam/mutate';
import { synthesizePlatform } from '../support/iam/platform';
import { registry, team } from '../support/registry-fixtures';

const REG = registry([team('a', { withDatabase: true }), team('b', { withDatabase: true, environments: ['dev', 'prod'] })]);
const { stacks } = synthesizePlatform(REG);
const prod = prodStacks(stacks, REG);
const PROD_A = 'springboard-env-a-prod';
const stackNamed = (name: string) => stacks.find(s => s.stackName === name);
const BASELINE_PROD = 'springboard-baseline-333333333333-us-east-1';

describe('prod data safety of the synthesized platform', () => {
  test('the registry\'s prod stacks are the ones checked, and they hold every kind of stateful resource Springboard creates', () => {
    expect(prod.map(s => s.stackName)).toEqual([PROD_A, 'springboard-env-b-prod']);
    const types = new Set(prod.flatMap(s => Object.values(s.template.Resources ?? {}).map(r => r.Type)));
    expect([...types].filter(t => isStateful(t)).sort()).toEqual(['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::RDS::DBInstance', 'AWS::S3::Bucket']);
  });

  test('every stateful resource in prod is retained or snapshotted on delete and on replacement', () => {
    expect(describeViolations(retentionViolations(prod))).toEqual([]);
  });

  test('prod databases and load balancers are deletion-protected', () => {
    expect(describeViolations(deletionProtectionViolations(prod))).toEqual([]);
  });

  test('every database is selected by its account\'s backup plan (tags match the selection) and the vault is locked', () => {
    expect(describeViolations(backupCoverageViolations(stacks, REG))).toEqual([]);
  });

  test('prod stacks are termination-protected in manifest.json', () => {
    expect(describeViolations(terminationProtectionViolations(prod))).toEqual([]);
  });

  test('the image repository and its key outlive their delivery stack too', () => {
    const delivery = stacks.filter(s => s.stackName.startsWith('springboard-delivery-'));
    expect(describeViolations(retentionViolations(delivery))).toEqual([]);
  });
});

describe('each data-safety check fails on a deliberately broken copy', () => {
  test('a prod database without its retention policy is reported', () => {
    const db = firstOfType(stackNamed(PROD_A), 'AWS::RDS::DBInstance');
    const broken = withMutation(stacks, PROD_A, t => { t.Resources[db].DeletionPolicy = 'Delete'; delete t.Resources[db].UpdateReplacePolicy; });
    expect(describeViolations(dataSafetyViolations(broken, REG))).toEqual([
      `retain-DeletionPolicy: ${PROD_A}/${db} AWS::RDS::DBInstance has DeletionPolicy Delete, expected Snapshot or Retain`,
      `retain-UpdateReplacePolicy: ${PROD_A}/${db} AWS::RDS::DBInstance has UpdateReplacePolicy (none: Delete), expected Snapshot or Retain`,
    ]);
    // Without a DeletionPolicy, CloudFormation snapshots a stand-alone database on delete: that keeps the data.
    const defaulted = withMutation(stacks, PROD_A, t => { delete t.Resources[db].DeletionPolicy; t.Resources[db].UpdateReplacePolicy = 'Delete'; });
    expect(describeViolations(dataSafetyViolations(defaulted, REG))).toEqual([
      `retain-UpdateReplacePolicy: ${PROD_A}/${db} AWS::RDS::DBInstance has UpdateReplacePolicy Delete, expected Snapshot or Retain`,
    ]);
  });

  test('a prod log group that would be deleted is reported', () => {
    const group = firstOfType(stackNamed(PROD_A), 'AWS::Logs::LogGroup');
    const broken = withMutation(stacks, PROD_A, t => { t.Resources[group].DeletionPolicy = 'Delete'; });
    expect(describeViolations(retentionViolations(prodStacks(broken, REG)))).toEqual([
      `retain-DeletionPolicy: ${PROD_A}/${group} AWS::Logs::LogGroup has DeletionPolicy Delete, expected Retain`,
    ]);
  });

  test('a prod database without deletion protection is reported', () => {
    const db = firstOfType(stackNamed(PROD_A), 'AWS::RDS::DBInstance');
    const broken = withMutation(stacks, PROD_A, t => { t.Resources[db].Properties.DeletionProtection = false; });
    expect(describeViolations(deletionProtectionViolations(prodStacks(broken, REG)))).toEqual([
      `deletion-protection: ${PROD_A}/${db} AWS::RDS::DBInstance is not deletion-protected`,
    ]);
  });

  test('removing a database\'s tags does not take it out of its backups; a selection that depended on a tag would', () => {
    const db = firstOfType(stackNamed(PROD_A), 'AWS::RDS::DBInstance');
    const untag = (t: any) => { t.Resources[db].Properties.Tags = t.Resources[db].Properties.Tags.filter((tag: { Key: string }) => tag.Key !== 'ManagedBy'); };
    expect(describeViolations(backupCoverageViolations(withMutation(stacks, PROD_A, untag), REG))).toEqual([]);
    // Mutation: the selection of before, by the ManagedBy tag: the same untagging now takes the database out.
    const byTag = withMutation(withMutation(stacks, PROD_A, untag), BASELINE_PROD, t => {
      const selection = Object.values<any>(t.Resources).find(r => r.Type === 'AWS::Backup::BackupSelection');
      selection.Properties.BackupSelection.Conditions = { StringEquals: [{ ConditionKey: 'aws:ResourceTag/ManagedBy', ConditionValue: 'springboard' }] };
    });
    expect(describeViolations(backupCoverageViolations(byTag, REG))).toEqual([
      expect.stringMatching(new RegExp(`^backup-coverage: ${PROD_A}/${db} tags .* do not match the selection's \\{"ManagedBy":"springboard"\\}$`)),
    ]);
  });

  test('a vault without its lock is reported', () => {
    const db = firstOfType(stackNamed(PROD_A), 'AWS::RDS::DBInstance');
    const baseline = BASELINE_PROD;
    const unlocked = withMutation(stacks, baseline, t => {
      const vault = Object.values<any>(t.Resources).find(r => r.Type === 'AWS::Backup::BackupVault');
      delete vault.Properties.LockConfiguration;
    });
    expect(describeViolations(backupCoverageViolations(unlocked, REG))).toEqual([
      `backup-coverage: ${PROD_A}/${db} the backup plan's vault has no vault lock`,
      `backup-coverage: springboard-env-b-prod/${db} the backup plan's vault has no vault lock`,
    ]);
  });

  test('a prod stack without termination protection in the manifest is reported', () => {
    const broken = withMutation(stacks, PROD_A, (_t, flags) => { flags.terminationProtection = false; });
    expect(describeViolations(terminationProtectionViolations(prodStacks(broken, REG)))).toEqual([
      `termination-protection: ${PROD_A} is not termination-protected in manifest.json`,
    ]);
  });
});

/** IAM's decision for an administrator-like principal (Allow *:*) acting on a key under its key policy. */
async function keyDecision(stack: DeployedStack, keyId: string, principalRole: string, action: string): Promise<string> {
  const { partition, account, region } = stack.placement;
  const result = await runSimulation({
    request: {
      principal: `arn:${partition}:sts::${account}:assumed-role/${principalRole}/session`,
      action,
      resource: { resource: `arn:${partition}:kms:${region}:${account}:key/00000000-0000-0000-0000-000000000000`, accountId: account },
      contextVariables: { 'aws:PrincipalArn': `arn:${partition}:iam::${account}:role/${principalRole}`, 'aws:PrincipalAccount': account },
    },
    identityPolicies: [{ name: 'administrator', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resolveIntrinsics(stack.template.Resources![keyId].Properties!.KeyPolicy, stack.context) as any,
  }, { simulationMode: 'Strict' });
  if (result.resultType !== 'single') throw new Error(`unexpected simulation result ${result.resultType}`);
  return result.overallResult;
}

describe('keys of prod data, backups and the log archive, and the archive\'s lock', () => {
  const keys = dataKeys(stacks, REG);
  const prodKey = keys.find(k => k.stack.stackName === PROD_A)!;

  test('every such key denies disabling and scheduled deletion to all but the break-glass role', () => {
    expect(keys.map(k => k.stack.stackName).sort()).toEqual([
      // Each baseline's vault key and archive key; each prod stack's environment key.
      ...['111111111111', '222222222222', '333333333333'].flatMap(a => [`springboard-baseline-${a}-us-east-1`, `springboard-baseline-${a}-us-east-1`]),
      PROD_A, 'springboard-env-b-prod',
    ].sort());
    expect(describeViolations(keyDeletionViolations(stacks, REG))).toEqual([]);
  });

  test('evaluated as IAM does: an administrator of the prod account cannot disable or delete the prod key; the break-glass role can', async () => {
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:DisableKey']) {
      expect(await keyDecision(prodKey.stack, prodKey.logicalId, 'Administrator', action)).toBe('ExplicitlyDenied');
      expect(await keyDecision(prodKey.stack, prodKey.logicalId, 'springboard-break-glass', action)).toBe('Allowed');
    }
    expect(await keyDecision(prodKey.stack, prodKey.logicalId, 'Administrator', 'kms:Decrypt')).toBe('Allowed');
  });

  test('mutation: without the deny statement the administrator could delete the key, and the invariant reports it', async () => {
    const broken = withMutation(stacks, PROD_A, t => {
      const policy = t.Resources[prodKey.logicalId].Properties.KeyPolicy;
      policy.Statement = policy.Statement.filter((st: { Sid?: string }) => st.Sid !== 'DenyDisableAndDeletionExceptBreakGlass');
    });
    const brokenStack = broken.find(s => s.stackName === PROD_A)!;
    expect(await keyDecision(brokenStack, prodKey.logicalId, 'Administrator', 'kms:ScheduleKeyDeletion')).toBe('Allowed');
    expect(describeViolations(keyDeletionViolations(broken, REG))).toEqual([
      `key-deletion: ${PROD_A}/${prodKey.logicalId} key policy does not deny kms:DisableKey and kms:ScheduleKeyDeletion `
        + 'to everyone but arn:aws:iam::333333333333:role/springboard-break-glass',
    ]);
  });

  test('the log archive locks every object in COMPLIANCE mode for the total retention; GOVERNANCE is reported', () => {
    expect(describeViolations(logArchiveLockViolations(stacks, REG))).toEqual([]);
    const governance = withMutation(stacks, BASELINE_PROD, t => {
      const bucket = Object.values<any>(t.Resources).find(r => r.Type === 'AWS::S3::Bucket' && r.Properties.ObjectLockEnabled);
      bucket.Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode = 'GOVERNANCE';
    });
    expect(describeViolations(logArchiveLockViolations(governance, REG))).toEqual([
      expect.stringMatching(new RegExp(`^log-archive-lock: ${BASELINE_PROD}/\\w+ locks objects in GOVERNANCE mode for 913 days; expected COMPLIANCE for at least 913 days$`)),
    ]);
  });
});
