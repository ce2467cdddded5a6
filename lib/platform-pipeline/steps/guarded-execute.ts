/**
 * The prod data guard of a platform pipeline's prod deploy: the change set the CDK CLI prepared is
 * inspected with the Delivery inspector and executed only when no stateful resource would be
 * replaced or deleted unacknowledged; then the stack gets the manifest's termination protection
 * (the CLI applies it only when it executes the change set itself).
 */
import {
  CloudFormationClient, DescribeChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand, UpdateTerminationProtectionCommand,
  waitUntilStackCreateComplete, waitUntilStackUpdateComplete, type Change,
} from '@aws-sdk/client-cloudformation';
import { formatInspection, inspectChangeSet } from '../../delivery/change-set-inspector';
import type { AcknowledgedChange } from '../../registry/types';

export interface GuardedExecuteOptions {
  readonly client: CloudFormationClient;
  readonly stackName: string;
  readonly changeSetName: string;
  readonly acknowledgments: readonly AcknowledgedChange[];
  /** From the assembly's manifest. */
  readonly terminationProtection: boolean;
  readonly log: (line: string) => void;
  /** @default 3600 */
  readonly maxWaitSeconds?: number;
}

/** Returns true when executed; false when the inspection blocked it (nothing changed then). */
export async function guardedExecute(o: GuardedExecuteOptions): Promise<boolean> {
  const changes: Change[] = [];
  let token: string | undefined;
  do {
    const page = await o.client.send(new DescribeChangeSetCommand({ StackName: o.stackName, ChangeSetName: o.changeSetName, NextToken: token }));
    changes.push(...(page.Changes ?? []));
    token = page.NextToken;
  } while (token);
  const inspection = inspectChangeSet(changes, o.acknowledgments);
  o.log(formatInspection(o.stackName, inspection));
  if (inspection.blocked.length > 0) return false;
  // A stack the change set creates waits in REVIEW_IN_PROGRESS until it is executed.
  const stacks = await o.client.send(new DescribeStacksCommand({ StackName: o.stackName }));
  const created = stacks.Stacks?.[0]?.StackStatus === 'REVIEW_IN_PROGRESS';
  await o.client.send(new ExecuteChangeSetCommand({ StackName: o.stackName, ChangeSetName: o.changeSetName }));
  const wait = { client: o.client, maxWaitTime: o.maxWaitSeconds ?? 3600 };
  await (created ? waitUntilStackCreateComplete(wait, { StackName: o.stackName }) : waitUntilStackUpdateComplete(wait, { StackName: o.stackName }));
  if (o.terminationProtection) {
    await o.client.send(new UpdateTerminationProtectionCommand({ StackName: o.stackName, EnableTerminationProtection: true }));
    o.log(`${o.stackName}: termination protection on`);
  }
  return true;
}
