/**
 * `springboard changeset inspect`: the prod data guard as a command. Reads every page of a change
 * set's description, judges it with the registry's acknowledged changes for that stack, prints the
 * report and exits 1 when a stateful resource would be replaced or deleted without acknowledgment.
 */
import {
  CloudFormationClient, DescribeChangeSetCommandOutput, paginateDescribeChangeSet, waitUntilChangeSetCreateComplete,
  type Change,
} from '@aws-sdk/client-cloudformation';
import { Command } from 'commander';
import { environmentStackName } from '../contract';
import { formatInspection, inspectChangeSet, type Inspection } from '../delivery/change-set-inspector';
import { loadRegistry } from '../registry';
import type { AcknowledgedChange, Registry } from '../registry/types';

export interface ChangesetInspectOptions {
  readonly stack: string;
  readonly changeSet: string;
  /** Registry folder, for the stack's acknowledged changes. */
  readonly registry: string;
  readonly client: CloudFormationClient;
  /**
   * Seconds to wait for a change set still being created.
   * @default 600
   */
  readonly waitSeconds?: number;
}

export interface ChangesetInspectResult {
  /** 0 when the change set may be executed, 1 when it must not be. */
  readonly exitCode: 0 | 1;
  readonly report: string;
  readonly inspection?: Inspection;
}

export interface StackAcknowledgments {
  /** Registry file and environment the acknowledgments come from, when the stack is an environment stack. */
  readonly owner?: string;
  readonly acknowledged: readonly AcknowledgedChange[];
}

/** The registry's acknowledged changes for an environment stack; none for any other stack. */
export function acknowledgmentsFor(registry: Registry, stackName: string): StackAcknowledgments {
  for (const team of registry.teams) {
    for (const env of team.environments) {
      if (environmentStackName(team.id, env.name) === stackName) return { owner: `${team.sourceFile} (${env.name})`, acknowledged: env.acknowledgedChanges };
    }
  }
  return { acknowledged: [] };
}

export async function inspectChangeSetCommand(options: ChangesetInspectOptions): Promise<ChangesetInspectResult> {
  const { stack, changeSet, client } = options;
  const ids = { StackName: stack, ChangeSetName: changeSet };
  const { owner, acknowledged } = acknowledgmentsFor(loadRegistry(options.registry), stack);
  const pages: DescribeChangeSetCommandOutput[] = [];
  for await (const page of paginateDescribeChangeSet({ client }, ids)) pages.push(page);
  if (pages[0]?.Status === 'CREATE_PENDING' || pages[0]?.Status === 'CREATE_IN_PROGRESS') {
    await waitUntilChangeSetCreateComplete({ client, maxWaitTime: options.waitSeconds ?? 600 }, ids);
    return inspectChangeSetCommand({ ...options, waitSeconds: 0 });
  }
  const status = pages[0]?.Status;
  if (status !== 'CREATE_COMPLETE') {
    const reason = pages[0]?.StatusReason ?? 'no reason given';
    if (/didn't contain changes|No updates are to be performed/i.test(reason)) return { exitCode: 0, report: `change set ${changeSet} of ${stack}: no changes` };
    return { exitCode: 1, report: `change set ${changeSet} of ${stack} is ${status ?? 'unknown'} (${reason}); expected CREATE_COMPLETE, nothing to inspect` };
  }
  const changes: Change[] = pages.flatMap(p => p.Changes ?? []);
  const inspection = inspectChangeSet(changes, acknowledged);
  const source = owner ? `acknowledgments from ${owner}` : 'not an environment stack of the registry: no acknowledgments apply';
  return { exitCode: inspection.blocked.length > 0 ? 1 : 0, report: `${formatInspection(stack, inspection)}\n(${source}; ${pages.length} page(s))`, inspection };
}

export function changesetCommand(): Command {
  const inspect = new Command('inspect')
    .description('inspect a CloudFormation change set before it is executed; exits 1 when a stateful resource would be replaced or deleted without acknowledgment')
    .requiredOption('--stack <name>', 'stack the change set belongs to')
    .requiredOption('--change-set <name>', 'change set name or ARN')
    .option('--registry <dir>', 'registry folder holding the acknowledged changes', 'teams')
    .option('--region <region>', 'region of the stack (default: from the environment)')
    .action(async (opts: { stack: string; changeSet: string; registry: string; region?: string }) => {
      const client = new CloudFormationClient({ region: opts.region, maxAttempts: 5 });
      const result = await inspectChangeSetCommand({ stack: opts.stack, changeSet: opts.changeSet, registry: opts.registry, client });
      (result.exitCode === 0 ? process.stdout : process.stderr).write(`${result.report}\n`);
      process.exitCode = result.exitCode;
    });
  return new Command('changeset').description('the prod data guard on CloudFormation change sets').addCommand(inspect);
}
