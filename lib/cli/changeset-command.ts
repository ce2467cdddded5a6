/**
 * `springboard changeset inspect`: the prod data guard (lib/delivery/change-set-guard.ts) as a
 * command, the same code the platform pipeline's prod deploy step runs, without executing. Exit
 * 0 when the change set may be executed, 1 when the guard stops it, 2 when it cannot be inspected.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { Command } from 'commander';
import { guardChangeSet, type GuardResult } from '../delivery/change-set-guard';
import { loadRegistry } from '../registry';

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

export async function inspectChangeSetCommand(options: ChangesetInspectOptions): Promise<GuardResult> {
  return guardChangeSet({
    client: options.client,
    stackName: options.stack,
    changeSetName: options.changeSet,
    registry: loadRegistry(options.registry),
    waitSeconds: options.waitSeconds,
  });
}

export function changesetCommand(): Command {
  const inspect = new Command('inspect')
    .description('inspect a CloudFormation change set before it is executed; exits 1 when a stateful resource would lose data without acknowledgment, 2 when it cannot be inspected')
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
