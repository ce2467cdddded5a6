/** `springboard changeset inspect` (the guard of lib/delivery/change-set-guard.ts without execution) against a mocked CloudFormation: pagination, acknowledgments from registry files, exit codes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeChangeSetCommand, DescribeChangeSetOutput } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { inspectChangeSetCommand } from '../../lib/cli/changeset-command';
import { exampleWith, registryWith } from '../support/registry-files';

const recorded = (name: string): DescribeChangeSetOutput => JSON.parse(readFileSync(join(__dirname, 'change-sets', `${name}.json`), 'utf8'));
const STACK = 'springboard-env-benefits-screener-prod';
const cfn = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'us-east-1' });
afterEach(() => cfn.reset());

/** Serves a recorded description one change per page, as CloudFormation pages long change sets. */
function serve(description: DescribeChangeSetOutput): void {
  const changes = description.Changes ?? [];
  changes.forEach((change, i) => {
    const token = i === 0 ? undefined : `page-${i}`;
    cfn.on(DescribeChangeSetCommand, { StackName: STACK, ChangeSetName: 'cs-1', NextToken: token })
      .resolves({ Status: 'CREATE_COMPLETE', ...description, Changes: [change], NextToken: i + 1 < changes.length ? `page-${i + 1}` : undefined });
  });
}

test('reads every page and stops on an unacknowledged stateful replacement (exit 1)', async () => {
  serve(recorded('database-replacement'));
  const result = await inspectChangeSetCommand({ stack: STACK, changeSet: 'cs-1', registry: 'teams', client });
  expect(result.exitCode).toBe(1);
  expect(result.report).toContain('BLOCKED: Replace DatabaseInstance5C8B7E41 (AWS::RDS::DBInstance)');
  expect(cfn.commandCalls(DescribeChangeSetCommand).every(c => c.args[0].input.IncludePropertyValues === true)).toBe(true);
  expect(result.report).toContain(`acknowledgments from teams/benefits-screener.yaml (prod); ${recorded('database-replacement').Changes!.length} page(s)`);
});

test('passes (exit 0) when the team\'s registry entry acknowledges the change with a reason', async () => {
  serve(recorded('database-replacement'));
  const reason = 'moving the database to the new subnets; snapshot restored by runbook DB-7';
  const registry = registryWith({
    'benefits-screener.yaml': exampleWith(/(\n {2}prod:\n {4}account: "333333333333"\n)/,
      `$1    acknowledgedChanges:\n      - logicalId: DatabaseInstance5C8B7E41\n        action: Replace\n        reason: ${reason}\n        reviewer: Dana Reviewer\n`),
  });
  const result = await inspectChangeSetCommand({ stack: STACK, changeSet: 'cs-1', registry, client });
  expect(result.exitCode).toBe(0);
  expect(result.report).toContain(`acknowledged: Replace DatabaseInstance5C8B7E41 (AWS::RDS::DBInstance): the database is replaced by a new, empty one — reason: ${reason}; reviewed by Dana Reviewer`);
});

test('harmless changes pass; an empty change set is no change; a failed one cannot be inspected (exit 2)', async () => {
  serve(recorded('harmless'));
  expect((await inspectChangeSetCommand({ stack: STACK, changeSet: 'cs-1', registry: 'teams', client })).exitCode).toBe(0);
  cfn.reset();
  cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'The submitted information didn\'t contain changes.' });
  expect(await inspectChangeSetCommand({ stack: STACK, changeSet: 'cs-1', registry: 'teams', client })).toEqual({ exitCode: 0, report: `change set cs-1 of ${STACK}: no changes`, empty: true });
  cfn.reset();
  cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'Template error' });
  const failed = await inspectChangeSetCommand({ stack: STACK, changeSet: 'cs-1', registry: 'teams', client });
  expect(failed).toEqual({ exitCode: 2, report: `change set cs-1 of ${STACK} is FAILED (Template error); expected CREATE_COMPLETE, nothing to inspect` });
});

test('a stack outside the registry gets no acknowledgments', async () => {
  cfn.on(DescribeChangeSetCommand).resolves({ ...recorded('bucket-deletion'), Status: 'CREATE_COMPLETE' });
  const result = await inspectChangeSetCommand({ stack: 'someone-else', changeSet: 'cs-1', registry: 'teams', client });
  expect(result.exitCode).toBe(1);
  expect(result.report).toContain('not an environment stack of the registry: no acknowledgments apply');
});
