/**
 * CDK bootstrap: the bootstrap stack exists and is complete, its version parameter is at least what
 * the assembly's stacks require, and its deploy role trusts what the bootstrap generator has it
 * trust (bootstrap-design.ts); the remedy is the generator's command for the account.
 */
import { DescribeStacksCommand, type DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, type GetRoleCommandOutput } from '@aws-sdk/client-iam';
import { GetParameterCommand, type GetParameterCommandOutput } from '@aws-sdk/client-ssm';
import { BOOTSTRAP_STACK_NAME, bootstrapVersionParameter, trustProblems } from './bootstrap-design';
import { failureKind } from './errors';
import type { PlaceContext } from './place';
import { fail, type Finding, ok, warn } from './types';
import { bootstrapCommand, bootstrapKind, bootstrapRoleName, DEFAULT_BOOTSTRAP_QUALIFIER } from '../contract';

export interface BootstrapNeeds {
  readonly toolingAccount: string;
  /** The highest `requiresBootstrapStackVersion` of the assembly's stacks. */
  readonly requiredVersion: number;
  /** Where that figure came from, for the row. */
  readonly versionSource: string;
  /** @default DEFAULT_BOOTSTRAP_QUALIFIER */
  readonly qualifier?: string;
  /** The accounts bootstrapped with the prod template (`prodAccounts` of the registry). @default the tooling account only */
  readonly prodAccounts?: ReadonlySet<string>;
}

/** The generator's `cdk bootstrap` command for the account and region. */
export function bootstrapRemedy(account: string, region: string, needs: BootstrapNeeds): string {
  const kind = bootstrapKind(account, needs.prodAccounts ?? new Set([needs.toolingAccount]));
  return bootstrapCommand(account, region, kind, needs.toolingAccount, needs.qualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER);
}

const G = 'bootstrap';
/** Stack states a deployment can use (UPDATE_ROLLBACK_COMPLETE: the last update was undone, the stack works). */
const USABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE']);

export async function checkBootstrap(ctx: PlaceContext, needs: BootstrapNeeds): Promise<Finding[]> {
  const qualifier = needs.qualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
  const remedy = bootstrapRemedy(ctx.account, ctx.region, needs);
  let stacks: DescribeStacksCommandOutput;
  try {
    stacks = await ctx.send('cloudformation', new DescribeStacksCommand({ StackName: BOOTSTRAP_STACK_NAME }));
  } catch (error) {
    if (failureKind(error) === 'not-found' || /does not exist/i.test(String((error as Error).message))) {
      return [fail(G, BOOTSTRAP_STACK_NAME, `not bootstrapped: no ${BOOTSTRAP_STACK_NAME} stack`, remedy)];
    }
    throw error;
  }
  const stack = stacks.Stacks?.[0];
  const status = stack?.StackStatus ?? 'unknown';
  if (status.endsWith('_IN_PROGRESS')) {
    return [warn(G, BOOTSTRAP_STACK_NAME, `${BOOTSTRAP_STACK_NAME} is ${status}`, 'wait for the stack operation to finish, then run doctor again')];
  }
  if (!USABLE.has(status)) {
    return [fail(G, BOOTSTRAP_STACK_NAME, `${BOOTSTRAP_STACK_NAME} is ${status}`, `fix or delete the stack in the CloudFormation console, then ${remedy}`)];
  }
  return [await checkVersion(ctx, needs, qualifier, remedy), await checkTrust(ctx, needs, qualifier, remedy)];
}

async function checkVersion(ctx: PlaceContext, needs: BootstrapNeeds, qualifier: string, remedy: string): Promise<Finding> {
  const name = bootstrapVersionParameter(qualifier);
  let value: string | undefined;
  try {
    value = (await ctx.send<GetParameterCommandOutput>('ssm', new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (error) {
    if (failureKind(error) !== 'not-found') throw error;
  }
  const version = Number(value);
  if (value === undefined || !Number.isInteger(version)) {
    return fail(G, 'bootstrap version', `no version parameter ${name} (another qualifier, or a damaged bootstrap)`, remedy);
  }
  if (version < needs.requiredVersion) {
    return fail(G, 'bootstrap version', `version ${version}, the assembly needs at least ${needs.requiredVersion} (${needs.versionSource})`, `upgrade it: ${remedy}`);
  }
  return ok(G, 'bootstrap version', `version ${version} (the assembly needs ${needs.requiredVersion}, ${needs.versionSource})`);
}

async function checkTrust(ctx: PlaceContext, needs: BootstrapNeeds, qualifier: string, remedy: string): Promise<Finding> {
  const roleName = bootstrapRoleName('deploy', ctx.account, ctx.region, qualifier);
  let document: string | undefined;
  try {
    document = (await ctx.send<GetRoleCommandOutput>('iam', new GetRoleCommand({ RoleName: roleName }))).Role?.AssumeRolePolicyDocument;
  } catch (error) {
    if (failureKind(error) !== 'not-found') throw error;
    return fail(G, 'bootstrap trust', `no deploy role ${roleName}`, remedy);
  }
  const problems = trustProblems(document ?? '', ctx.account, needs.toolingAccount);
  if (problems.length > 0) return fail(G, 'bootstrap trust', `${roleName}: ${problems.join('; ')}`, remedy);
  return ok(G, 'bootstrap trust', `${roleName} trusts the tooling account ${needs.toolingAccount}`);
}
