/**
 * The prod data guard, the one copy that runs: it reads a change set the CDK CLI prepared (every
 * page, with property values), finds the stack's team and environment by the naming contract's
 * exact reverse lookup, judges the change set with that environment's acknowledgments, and either
 * only reports (`springboard changeset inspect`) or executes it or stops (the platform pipeline's
 * prod deploy step, `lib/platform-pipeline/steps/cli.ts guarded-execute`).
 *
 * Exit codes, the same for both: 0 executed or may be executed (or nothing to change), 1 stopped by
 * the guard (nothing changed; the step deletes the change set), 2 failed (the change set or the
 * execution failed, or the guard could not read what it must judge).
 */
import {
  CloudFormationClient, DeleteChangeSetCommand, DescribeChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand,
  UpdateTerminationProtectionCommand, waitUntilChangeSetCreateComplete, waitUntilStackCreateComplete, waitUntilStackUpdateComplete,
  type Change, type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { formatInspection, inspectChangeSet, type Inspection } from './change-set-inspector';
import { parseEnvironmentStackName } from '../contract/naming';
import type { AcknowledgedChange, Registry } from '../registry/types';

export const GUARD_EXIT = { ok: 0, stopped: 1, failed: 2 } as const;
export type GuardExitCode = typeof GUARD_EXIT[keyof typeof GUARD_EXIT];

/** Whose acknowledgments apply to a stack: a registry file and environment, or nobody's. */
export interface StackAcknowledgments {
  /** The registry file and environment, when the stack is an environment stack of the registry. */
  readonly owner?: { readonly file: string; readonly environment: string };
  readonly acknowledged: readonly AcknowledgedChange[];
}

/** How a stack name is traced to the registry entry whose acknowledgments apply. */
export type AcknowledgmentLookup = (registry: Registry, stackName: string) => StackAcknowledgments;

/**
 * The registry's acknowledgments for an environment stack, by the naming contract's exact reverse
 * lookup (team id and environment, both exact); none for any other stack.
 */
export const acknowledgmentsFor: AcknowledgmentLookup = (registry, stackName) => {
  const parsed = parseEnvironmentStackName(stackName);
  const team = parsed && registry.teams.find(t => t.id === parsed.teamId);
  const env = team?.environments.find(e => e.name === parsed!.environment);
  return team && env ? { owner: { file: team.sourceFile, environment: env.name }, acknowledged: env.acknowledgedChanges } : { acknowledged: [] };
};

export interface GuardOptions {
  readonly client: CloudFormationClient;
  readonly stackName: string;
  readonly changeSetName: string;
  readonly registry: Registry;
  /** @default acknowledgmentsFor (the naming contract's exact reverse lookup) */
  readonly lookup?: AcknowledgmentLookup;
  /** Seconds to wait for a change set still being created. @default 600 */
  readonly waitSeconds?: number;
}

export interface GuardResult {
  readonly exitCode: GuardExitCode;
  readonly report: string;
  readonly inspection?: Inspection;
  /** True when there is nothing to execute (the change set holds no changes). */
  readonly empty?: boolean;
}

interface Described {
  readonly status?: string;
  readonly reason?: string;
  readonly changes: Change[];
  readonly pages: number;
}

/** Every page of a change set's description, with property values (before and after). */
async function describe(o: GuardOptions): Promise<Described> {
  const changes: Change[] = [];
  let first: DescribeChangeSetCommandOutput | undefined;
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await o.client.send(new DescribeChangeSetCommand({
      StackName: o.stackName, ChangeSetName: o.changeSetName, NextToken: token, IncludePropertyValues: true,
    }));
    first ??= page;
    pages++;
    changes.push(...(page.Changes ?? []));
    token = page.NextToken;
  } while (token);
  return { status: first?.Status, reason: first?.StatusReason, changes, pages };
}

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/** Judges the change set; never changes anything. */
export async function guardChangeSet(o: GuardOptions): Promise<GuardResult> {
  const name = `change set ${o.changeSetName} of ${o.stackName}`;
  let described = await describe(o);
  if (described.status === 'CREATE_PENDING' || described.status === 'CREATE_IN_PROGRESS') {
    const ids = { StackName: o.stackName, ChangeSetName: o.changeSetName };
    await waitUntilChangeSetCreateComplete({ client: o.client, maxWaitTime: o.waitSeconds ?? 600 }, ids)
      .catch(() => undefined);
    described = await describe(o);
  }
  if (described.status !== 'CREATE_COMPLETE') {
    const reason = described.reason ?? 'no reason given';
    if (described.status === 'FAILED' && NO_CHANGES.test(reason)) return { exitCode: GUARD_EXIT.ok, report: `${name}: no changes`, empty: true };
    return { exitCode: GUARD_EXIT.failed, report: `${name} is ${described.status ?? 'unknown'} (${reason}); expected CREATE_COMPLETE, nothing to inspect` };
  }
  const { owner, acknowledged } = (o.lookup ?? acknowledgmentsFor)(o.registry, o.stackName);
  const inspection = inspectChangeSet(described.changes, acknowledged);
  const place = owner ? `environments.${owner.environment}.acknowledgedChanges of ${owner.file}` : undefined;
  const source = owner ? `acknowledgments from ${owner.file} (${owner.environment})` : 'not an environment stack of the registry: no acknowledgments apply';
  return {
    exitCode: inspection.blocked.length > 0 ? GUARD_EXIT.stopped : GUARD_EXIT.ok,
    report: `${formatInspection(o.stackName, inspection, place)}\n(${source}; ${described.pages} page(s))`,
    inspection,
  };
}

export interface GuardedExecuteOptions extends GuardOptions {
  /** From the assembly's manifest: applied after the execution (the CLI applies it only when it executes itself). */
  readonly terminationProtection: boolean;
  readonly log: (line: string) => void;
  /** Seconds to wait for the stack. @default 3600 */
  readonly maxWaitSeconds?: number;
}

/**
 * The prod deploy step: judge, then execute and wait, or stop and delete the change set. Returns
 * the exit code; every outcome is logged.
 */
export async function guardedExecute(o: GuardedExecuteOptions): Promise<GuardExitCode> {
  const ids = { StackName: o.stackName, ChangeSetName: o.changeSetName };
  let verdict: GuardResult;
  try {
    verdict = await guardChangeSet(o);
  } catch (e) {
    o.log(`${o.stackName}: the guard could not read change set ${o.changeSetName}: ${(e as Error).message}; nothing was executed`);
    return GUARD_EXIT.failed;
  }
  o.log(verdict.report);
  if (verdict.exitCode === GUARD_EXIT.stopped) {
    await o.client.send(new DeleteChangeSetCommand(ids));
    o.log(`stopped: change set ${o.changeSetName} of ${o.stackName} was deleted; nothing was changed`);
    return GUARD_EXIT.stopped;
  }
  if (verdict.exitCode === GUARD_EXIT.failed) return GUARD_EXIT.failed;
  try {
    if (!verdict.empty) await execute(o, ids);
    if (o.terminationProtection) {
      await o.client.send(new UpdateTerminationProtectionCommand({ StackName: o.stackName, EnableTerminationProtection: true }));
      o.log(`${o.stackName}: termination protection on`);
    }
  } catch (e) {
    o.log(`${o.stackName}: execution of ${o.changeSetName} failed: ${(e as Error).message}`);
    return GUARD_EXIT.failed;
  }
  return GUARD_EXIT.ok;
}

async function execute(o: GuardedExecuteOptions, ids: { StackName: string; ChangeSetName: string }): Promise<void> {
  // A stack the change set creates waits in REVIEW_IN_PROGRESS until it is executed.
  const stacks = await o.client.send(new DescribeStacksCommand({ StackName: o.stackName }));
  const created = stacks.Stacks?.[0]?.StackStatus === 'REVIEW_IN_PROGRESS';
  await o.client.send(new ExecuteChangeSetCommand(ids));
  o.log(`executing ${o.changeSetName} on ${o.stackName}`);
  const wait = { client: o.client, maxWaitTime: o.maxWaitSeconds ?? 3600 };
  await (created ? waitUntilStackCreateComplete(wait, { StackName: o.stackName }) : waitUntilStackUpdateComplete(wait, { StackName: o.stackName }));
  o.log(`${o.stackName}: ${created ? 'created' : 'updated'}`);
}
