/**
 * Production data survives mistakes: every stateful resource of a prod stack is kept on delete and
 * on replacement, databases (and load balancers) are deletion-protected, databases are selected by
 * the baseline's backup plan into a locked vault, and prod stacks are termination-protected. Each
 * check is also shown to fail on a copy of the assembly with one deliberate defect.
 */
import { isStateful } from '../../lib/contract/stateful-resources';
import {
  backupCoverageViolations, dataSafetyViolations, deletionProtectionViolations, describeViolations,
  prodStacks, retentionViolations, terminationProtectionViolations,
} from '../support/iam/invariants';
import { firstOfType, withMutation } from '../support/iam/mutate';
import { synthesizePlatform } from '../support/iam/platform';
import { registry, team } from '../support/registry-fixtures';

const REG = registry([team('a', { withDatabase: true }), team('b', { withDatabase: true, environments: ['dev', 'prod'] })]);
const { stacks } = synthesizePlatform(REG);
const prod = prodStacks(stacks, REG);
const PROD_A = 'springboard-env-a-prod';
const stackNamed = (name: string) => stacks.find(s => s.stackName === name);

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

  test('a database whose tags miss the backup selection, or a vault without its lock, is reported', () => {
    const db = firstOfType(stackNamed(PROD_A), 'AWS::RDS::DBInstance');
    const untagged = withMutation(stacks, PROD_A, t => {
      t.Resources[db].Properties.Tags = t.Resources[db].Properties.Tags.filter((tag: { Key: string }) => tag.Key !== 'ManagedBy');
    });
    expect(describeViolations(backupCoverageViolations(untagged, REG))).toEqual([
      expect.stringMatching(new RegExp(`^backup-coverage: ${PROD_A}/${db} tags .* do not match the selection's \\{"ManagedBy":"springboard"\\}$`)),
    ]);
    const baseline = 'springboard-baseline-333333333333-us-east-1';
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
