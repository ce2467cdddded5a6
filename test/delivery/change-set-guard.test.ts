/**
 * The prod data guard as it runs in the platform pipeline's prod deploy step, against a mocked
 * CloudFormation: every page is described with property values, each destructive case of
 * `change-sets/*.json` stops (change set deleted, nothing executed, exit 1) without an
 * acknowledgment and is executed with one (exit 0), failures exit 2, and one team's
 * acknowledgment never applies to another team's stack.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient, DeleteChangeSetCommand, DescribeChangeSetCommand, DescribeChangeSetOutput, DescribeStacksCommand,
  ExecuteChangeSetCommand, UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { environmentStackName } from '../../lib/contract/naming';
import { acknowledgmentsFor, GUARD_EXIT, guardedExecute, type AcknowledgmentLookup } from '../../lib/delivery/change-set-guard';
import { stepsProgram } from '../../lib/platform-pipeline/steps/cli';
import type { AcknowledgedChange, Registry, TeamSpec } from '../../lib/registry/types';
import { registry, team } from '../support/registry-fixtures';

const recorded = (name: string): DescribeChangeSetOutput => JSON.parse(readFileSync(join(__dirname, 'change-sets', `${name}.json`), 'utf8'));
const cfn = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'us-east-1' });
const CHANGE_SET = 'springboard-42';
const REVIEWER = 'Dana Reviewer <dana.reviewer@example.gov>';
const REASON = 'reviewed in change request CR-1042; data exported and restore tested first';
afterEach(() => cfn.reset());

/** A team whose prod environment acknowledges the given changes. */
function withProdAcks(spec: TeamSpec, acks: readonly AcknowledgedChange[]): TeamSpec {
  return { ...spec, environments: spec.environments.map(e => (e.isProd ? { ...e, acknowledgedChanges: acks } : e)) };
}

const ack = (logicalId: string, action: AcknowledgedChange['action'], property?: string): AcknowledgedChange =>
  ({ logicalId, action, ...(property ? { property } : {}), reason: REASON, reviewer: REVIEWER });

/** Serves a description one change per page, as CloudFormation pages long change sets; the stack then updates cleanly. */
function serve(description: DescribeChangeSetOutput, finalStatus = 'UPDATE_COMPLETE'): void {
  const changes = description.Changes ?? [];
  changes.forEach((change, i) => {
    cfn.on(DescribeChangeSetCommand, { ChangeSetName: CHANGE_SET, NextToken: i === 0 ? undefined : `page-${i}` })
      .resolves({ Status: 'CREATE_COMPLETE', ...description, Changes: [change], NextToken: i + 1 < changes.length ? `page-${i + 1}` : undefined });
  });
  cfn.on(DescribeStacksCommand).resolvesOnce({ Stacks: [stackWith('UPDATE_COMPLETE')] }).resolves({ Stacks: [stackWith(finalStatus)] });
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DeleteChangeSetCommand).resolves({});
  cfn.on(UpdateTerminationProtectionCommand).resolves({});
}

function stackWith(status: string) {
  return { StackName: 'stack', StackStatus: status as never, CreationTime: new Date(0) };
}

async function runStep(stackName: string, reg: Registry, lookup?: AcknowledgmentLookup) {
  const log: string[] = [];
  const code = await guardedExecute({
    client, stackName, changeSetName: CHANGE_SET, registry: reg, lookup, terminationProtection: true, log: l => log.push(l), maxWaitSeconds: 60,
  });
  return {
    code,
    log: log.join('\n'),
    executed: cfn.commandCalls(ExecuteChangeSetCommand).length,
    deleted: cfn.commandCalls(DeleteChangeSetCommand).length,
    protectedAfter: cfn.commandCalls(UpdateTerminationProtectionCommand).length,
  };
}

const PROD = environmentStackName('benefits-screener', 'prod');
const DB = 'DatabaseInstance5C8B7E41';
const BUCKET = 'UploadsBucketA1B2C3D4';

/** Every destructive case, with what the report names and the acknowledgments that allow it. */
const CASES: ReadonlyArray<{ fixture: string; names: string; acks: AcknowledgedChange[] }> = [
  { fixture: 'database-replacement', names: `Replace ${DB} (AWS::RDS::DBInstance)`, acks: [ack(DB, 'Replace')] },
  { fixture: 'bucket-deletion', names: `Delete ${BUCKET} (AWS::S3::Bucket)`, acks: [ack(BUCKET, 'Delete'), ack('ServiceLogGroup0F1E2D3C', 'Replace')] },
  { fixture: 'secret-replacement', names: 'Replace DatabaseSecret3B817195 (AWS::SecretsManager::Secret)', acks: [ack('DatabaseSecret3B817195', 'Replace')] },
  { fixture: 'backup-retention-zero', names: `Modify ${DB}.BackupRetentionPeriod (AWS::RDS::DBInstance): days of automated backups kept lowered from 7 to 0 [before: 7; after: 0]`, acks: [ack(DB, 'Modify', 'BackupRetentionPeriod')] },
  { fixture: 'deletion-protection-off', names: `Modify ${DB}.DeletionProtection (AWS::RDS::DBInstance): deletion protection is turned off [before: true; after: false]`, acks: [ack(DB, 'Modify', 'DeletionProtection')] },
  { fixture: 'log-retention-shortened', names: 'Modify ServiceLogGroup0F1E2D3C.RetentionInDays (AWS::Logs::LogGroup): days log events are kept lowered from 365 to 30', acks: [ack('ServiceLogGroup0F1E2D3C', 'Modify', 'RetentionInDays')] },
  { fixture: 'bucket-lifecycle-shortened', names: `Modify ${BUCKET}.LifecycleConfiguration (AWS::S3::Bucket): how long objects are kept before they expire: shortest expiration 913 → 30 days`, acks: [ack(BUCKET, 'Modify', 'LifecycleConfiguration')] },
  { fixture: 'key-disabled', names: 'Modify EnvironmentKey1B2C3D4E.Enabled (AWS::KMS::Key): the key being usable (a disabled key makes its data unreadable) is turned off', acks: [ack('EnvironmentKey1B2C3D4E', 'Modify', 'Enabled')] },
  { fixture: 'deletion-policy-delete', names: `Modify ${BUCKET}.DeletionPolicy (AWS::S3::Bucket): DeletionPolicy Retain → Delete: the objects would no longer be kept`, acks: [ack(BUCKET, 'Modify', 'DeletionPolicy')] },
  { fixture: 'update-replace-policy-removed', names: `Modify ${DB}.UpdateReplacePolicy (AWS::RDS::DBInstance): UpdateReplacePolicy Snapshot → Delete`, acks: [ack(DB, 'Modify', 'UpdateReplacePolicy')] },
  { fixture: 'truncated-value', names: `Modify ${BUCKET}.LifecycleConfiguration (AWS::S3::Bucket): cannot be judged, so it is treated as destructive: the value is truncated or malformed`, acks: [ack(BUCKET, 'Modify', 'LifecycleConfiguration')] },
  { fixture: 'unresolved-value', names: `Modify ${DB}.BackupRetentionPeriod (AWS::RDS::DBInstance): cannot be judged, so it is treated as destructive: the value is resolved only when the change runs`, acks: [ack(DB, 'Modify', 'BackupRetentionPeriod')] },
];

describe.each(CASES)('$fixture', ({ fixture, names, acks }) => {
  test('without an acknowledgment: stopped, the change set deleted, nothing executed (exit 1)', async () => {
    serve(recorded(fixture));
    const run = await runStep(PROD, registry([team('benefits-screener')]));
    expect(run).toMatchObject({ code: GUARD_EXIT.stopped, executed: 0, deleted: 1, protectedAfter: 0 });
    expect(run.log).toContain(`BLOCKED: ${names}`);
    for (const a of acks) expect(run.log).toContain(`allowed by: { logicalId: ${a.logicalId}, action: ${a.action}${a.property ? `, property: ${a.property}` : ''},`);
    expect(run.log).toContain('environments.prod.acknowledgedChanges of teams/benefits-screener.yaml');
  });

  test('acknowledged for the team\'s prod: executed, then termination protection (exit 0)', async () => {
    serve(recorded(fixture));
    const run = await runStep(PROD, registry([withProdAcks(team('benefits-screener'), acks)]));
    expect(run).toMatchObject({ code: GUARD_EXIT.ok, executed: 1, deleted: 0, protectedAfter: 1 });
    expect(run.log).toContain(`acknowledged: ${names}`);
    expect(run.log).toContain(`reason: ${REASON}; reviewed by ${REVIEWER}`);
  });
});

test('every page is read, each with IncludePropertyValues', async () => {
  const description = recorded('bucket-deletion');
  serve(description);
  const run = await runStep(PROD, registry([team('benefits-screener')]));
  const calls = cfn.commandCalls(DescribeChangeSetCommand);
  expect(calls.map(c => c.args[0].input.NextToken)).toEqual([undefined, 'page-1']);
  expect(calls.every(c => c.args[0].input.IncludePropertyValues === true)).toBe(true);
  expect(run.log).toContain(`${description.Changes!.length} change(s) inspected`);
  expect(run.log).toContain('2 page(s)');
});

test('safe modifications of stateful resources (longer retention, Snapshot → Retain) and harmless changes are executed', async () => {
  for (const fixture of ['safe-modifications', 'harmless']) {
    cfn.reset();
    serve(recorded(fixture));
    const run = await runStep(PROD, registry([team('benefits-screener')]));
    expect(run).toMatchObject({ code: GUARD_EXIT.ok, executed: 1, deleted: 0 });
    expect(run.log).toContain('no stateful resource loses data without acknowledgment');
  }
});

test('an acknowledgment of another property, action or resource does not allow the change', async () => {
  serve(recorded('backup-retention-zero'));
  const wrong = [ack(DB, 'Modify', 'DeletionProtection'), ack(DB, 'Replace'), ack('OtherDatabase', 'Modify', 'BackupRetentionPeriod')];
  const run = await runStep(PROD, registry([withProdAcks(team('benefits-screener'), wrong)]));
  expect(run.code).toBe(GUARD_EXIT.stopped);
});

test('an acknowledgment in a non-prod environment of the same team does not allow the prod change', async () => {
  serve(recorded('database-replacement'));
  const spec = team('benefits-screener');
  const stagingOnly = { ...spec, environments: spec.environments.map(e => (e.name === 'staging' ? { ...e, acknowledgedChanges: [ack(DB, 'Replace')] } : e)) };
  expect((await runStep(PROD, registry([stagingOnly]))).code).toBe(GUARD_EXIT.stopped);
});

describe('apply and zeta-apply: a stack\'s team comes from the naming contract\'s exact reverse lookup', () => {
  // Logical ids are the same across teams: apply's reviewed acknowledgment names zeta-apply's database too.
  const REG = registry([withProdAcks(team('apply'), [ack(DB, 'Replace')]), team('zeta-apply')]);
  /** The old lookup: the first team (by id) whose `-<id>-prod` ends the stack name. */
  const suffixLookup: AcknowledgmentLookup = (reg, stackName) => {
    const t = reg.teams.find(x => stackName.endsWith(`-${x.id}-prod`));
    const env = t?.environments.find(e => e.isProd);
    return t && env ? { owner: { file: t.sourceFile, environment: env.name }, acknowledged: env.acknowledgedChanges } : { acknowledged: [] };
  };

  test('apply\'s acknowledgment never lets zeta-apply\'s prod database be replaced', async () => {
    serve(recorded('database-replacement'));
    const run = await runStep(environmentStackName('zeta-apply', 'prod'), REG);
    expect(run).toMatchObject({ code: GUARD_EXIT.stopped, executed: 0 });
    expect(run.log).toContain('acknowledgments from teams/zeta-apply.yaml (prod)');
    cfn.reset();
    serve(recorded('database-replacement'));
    expect((await runStep(environmentStackName('apply', 'prod'), REG)).code).toBe(GUARD_EXIT.ok);
  });

  test('mutation: with suffix matching instead, zeta-apply\'s replacement would pass (so the test above proves the lookup)', async () => {
    serve(recorded('database-replacement'));
    const run = await runStep(environmentStackName('zeta-apply', 'prod'), REG, suffixLookup);
    expect(run.code).toBe(GUARD_EXIT.ok);
    expect(run.log).toContain('acknowledgments from teams/apply.yaml (prod)');
  });

  test('the default lookup is exact: a team that is not in the registry gets nobody\'s acknowledgments', () => {
    expect(acknowledgmentsFor(REG, 'springboard-env-zeta-apply-prod').owner).toEqual({ file: 'teams/zeta-apply.yaml', environment: 'prod' });
    expect(acknowledgmentsFor(REG, 'springboard-env-apply-prod').owner).toEqual({ file: 'teams/apply.yaml', environment: 'prod' });
    expect(acknowledgmentsFor(REG, 'springboard-env-x-apply-prod')).toEqual({ acknowledged: [] });
    expect(acknowledgmentsFor(REG, 'springboard-delivery-apply')).toEqual({ acknowledged: [] });
  });
});

describe('failures exit 2 and execute nothing they should not', () => {
  test('a change set that failed to create', async () => {
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'Template error: unresolved resource dependency' });
    const run = await runStep(PROD, registry([team('benefits-screener')]));
    expect(run).toMatchObject({ code: GUARD_EXIT.failed, executed: 0, deleted: 0, protectedAfter: 0 });
    expect(run.log).toContain('is FAILED (Template error: unresolved resource dependency); expected CREATE_COMPLETE');
  });

  test('a describe that is refused', async () => {
    cfn.on(DescribeChangeSetCommand).rejects(new Error('User is not authorized to perform: cloudformation:DescribeChangeSet'));
    const run = await runStep(PROD, registry([team('benefits-screener')]));
    expect(run).toMatchObject({ code: GUARD_EXIT.failed, executed: 0 });
    expect(run.log).toContain('the guard could not read change set springboard-42: User is not authorized');
  });

  test('an execution that rolls back', async () => {
    serve(recorded('harmless'), 'UPDATE_ROLLBACK_COMPLETE');
    const run = await runStep(PROD, registry([team('benefits-screener')]));
    expect(run).toMatchObject({ code: GUARD_EXIT.failed, executed: 1, protectedAfter: 0 });
    expect(run.log).toContain('execution of springboard-42 failed');
  });

  test('an empty change set is nothing to execute: exit 0, termination protection still applied', async () => {
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'The submitted information didn\'t contain changes.' });
    cfn.on(UpdateTerminationProtectionCommand).resolves({});
    const run = await runStep(PROD, registry([team('benefits-screener')]));
    expect(run).toMatchObject({ code: GUARD_EXIT.ok, executed: 0, protectedAfter: 1 });
  });

  test('a stack the change set creates waits for creation', async () => {
    serve(recorded('harmless'));
    cfn.on(DescribeStacksCommand).resolvesOnce({ Stacks: [stackWith('REVIEW_IN_PROGRESS')] }).resolves({ Stacks: [stackWith('CREATE_COMPLETE')] });
    const run = await runStep(PROD, registry([team('benefits-screener')]));
    expect(run).toMatchObject({ code: GUARD_EXIT.ok, executed: 1 });
    expect(run.log).toContain(`${PROD}: created`);
  });
});

describe('the step command (steps/cli.ts guarded-execute), as the pipeline runs it', () => {
  let assembly: string;
  beforeAll(() => {
    assembly = mkdtempSync(join(tmpdir(), 'springboard-guard-'));
    writeFileSync(join(assembly, 'manifest.json'), JSON.stringify({
      version: '48.0.0',
      artifacts: {
        [PROD]: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://333333333333/us-east-1',
          properties: {
            templateFile: `${PROD}.template.json`,
            stackName: PROD,
            terminationProtection: true,
            assumeRoleArn: 'arn:${AWS::Partition}:iam::333333333333:role/cdk-hnb659fds-deploy-role-333333333333-us-east-1',
          },
        },
      },
    }));
  });
  afterAll(() => rmSync(assembly, { recursive: true, force: true }));
  afterEach(() => { process.exitCode = undefined; });

  async function step(): Promise<number | undefined> {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await stepsProgram().parseAsync(['node', 'cli', 'guarded-execute', '--assembly', assembly, '--stack', PROD, '--change-set', CHANGE_SET, '--registry', 'teams']);
      return process.exitCode as number | undefined;
    } finally {
      out.mockRestore();
    }
  }

  test('the example registry\'s prod stack: a database replacement stops with exit 1', async () => {
    serve(recorded('database-replacement'));
    expect(await step()).toBe(GUARD_EXIT.stopped);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  test('harmless changes are executed with exit 0', async () => {
    serve(recorded('harmless'));
    expect(await step()).toBe(GUARD_EXIT.ok);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });
});
