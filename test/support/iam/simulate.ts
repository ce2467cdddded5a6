/**
 * Policy evaluation with @cloud-copilot/iam-simulate (AGPL-3.0: a development dependency only, used
 * by tests and never imported from lib/). A request is evaluated the way IAM does for a role
 * session: identity policies, the role's permissions boundary and the resource's policy, with the
 * principal's and resource's tags as context.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { awsManagedPolicy } from '../../../lib/escalation/assembly/aws-managed-policies';
import type { IamModel, NamedPolicy, PolicyDocument, RoleModel } from '../../../lib/escalation/assembly/iam-model';

/** NotApplicable: the ARN is not a resource the action takes (a grant on it is inert). */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'NotApplicable';

export interface SimResource {
  readonly arn: string;
  readonly account: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly policy?: PolicyDocument;
}

export interface SimRequest {
  readonly role: RoleModel;
  readonly action: string;
  readonly resource: SimResource;
  /** Extra request context (aws:RequestTag/..., aws:TagKeys, iam:PermissionsBoundary...). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** Replaces the role's identity policies, e.g. with the broadest grant a team could write. */
  readonly identityPolicies?: readonly PolicyDocument[];
  /** Replaces the boundary document (to prove a broken boundary is caught). */
  readonly boundary?: PolicyDocument;
}

/** Every identity policy of a role: inline, attached, customer- and AWS-managed. */
export function identityPoliciesOf(model: IamModel, role: RoleModel): NamedPolicy[] {
  const managed = role.managedPolicyArns.map(arn => {
    const policy = model.managedPolicies.get(arn) ?? awsManagedPolicy(arn);
    if (!policy) throw new Error(`${role.stackName}/${role.logicalId} attaches ${arn}, which neither the assembly nor lib/escalation/assembly/aws-managed-policies.ts defines`);
    return { name: arn, policy, raw: policy, stackName: role.stackName };
  });
  return [...role.identityPolicies, ...managed];
}

/** The boundary document of a role, from the baseline that creates it. */
export function boundaryOf(model: IamModel, role: RoleModel): PolicyDocument {
  const boundary = role.boundaryArn && model.managedPolicies.get(role.boundaryArn);
  if (!boundary) throw new Error(`${role.stackName}/${role.logicalId} has boundary ${role.boundaryArn ?? '(none)'}, which no baseline in the assembly creates`);
  return boundary;
}

function tagContext(prefix: string, tags: Readonly<Record<string, string>> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/** The session ARN IAM sees when the role acts. */
export function sessionArn(role: RoleModel): string {
  const partition = role.arn.split(':')[1];
  return `arn:${partition}:sts::${role.account}:assumed-role/${role.name}/session`;
}

const INERT = ['no.resource.types', 'must.use.wildcard'];

/** `kms:EncryptionContext:<key>`: a variable key iam-simulate does not match (it matches only `prefix/<key>` variables). */
const ENCRYPTION_CONTEXT_KEY = /^kms:EncryptionContext:/i;

/**
 * The policy with its `StringEquals` conditions on encryption-context keys evaluated here against the
 * request's context (iam-simulate would ignore the key and never match): a statement whose entry
 * matches keeps the rest of its condition; one whose entry does not match cannot apply and is left out.
 */
export function withEncryptionContextEvaluated(policy: PolicyDocument, context: Readonly<Record<string, string | string[]>> = {}): PolicyDocument {
  const statements = policy.Statement.flatMap(statement => {
    const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
    const equals = condition?.StringEquals;
    const keys = Object.keys(equals ?? {}).filter(k => ENCRYPTION_CONTEXT_KEY.test(k));
    if (!condition || !equals || keys.length === 0) return [statement];
    const given = (key: string) => [context[Object.keys(context).find(k => k.toLowerCase() === key.toLowerCase()) ?? '']].flat().filter(v => v !== undefined);
    const matches = keys.every(key => [equals[key]].flat().some(value => given(key).includes(String(value))));
    if (!matches) return [];
    const rest = Object.fromEntries(Object.entries(equals).filter(([k]) => !keys.includes(k)));
    const { StringEquals: _evaluated, ...others } = condition;
    const remaining = Object.keys(rest).length > 0 ? { ...others, StringEquals: rest } : others;
    return [{ ...statement, Condition: Object.keys(remaining).length > 0 ? remaining : undefined }];
  });
  return { ...policy, Statement: statements };
}

export async function simulate(model: IamModel, request: SimRequest): Promise<{ decision: Decision; explain: string }> {
  const { role } = request;
  const evaluated = (policy: PolicyDocument) => withEncryptionContextEvaluated(policy, request.context);
  const resource = { ...request.resource, policy: request.resource.policy && evaluated(request.resource.policy) };
  const identity = (request.identityPolicies
    ? request.identityPolicies.map((policy, i) => ({ name: `override-${i}`, policy }))
    : identityPoliciesOf(model, role).map(p => ({ name: p.name, policy: p.policy }))).map(p => ({ ...p, policy: evaluated(p.policy) }));
  const result = await runSimulation({
    request: {
      principal: sessionArn(role),
      action: request.action,
      resource: { resource: resource.arn, accountId: resource.account },
      contextVariables: {
        'aws:PrincipalArn': role.arn,
        'aws:PrincipalAccount': role.account,
        'aws:ResourceAccount': resource.account,
        ...tagContext('aws:PrincipalTag', role.tags),
        ...tagContext('aws:ResourceTag', resource.tags),
        ...request.context,
      },
    },
    identityPolicies: identity,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resource.policy,
    permissionBoundaryPolicies: [{ name: 'boundary', policy: evaluated(request.boundary ?? boundaryOf(model, role)) }],
  }, { simulationMode: 'Strict' });
  // A grant of an action on an ARN the action does not take (e.g. `s3:List*` on a bucket) is inert.
  if (result.resultType === 'error' && INERT.includes(result.errors.message)) return { decision: 'NotApplicable', explain: result.errors.message };
  if (result.resultType === 'error') {
    throw new Error(`cannot evaluate ${request.action} on ${resource.arn} for ${role.name}: ${result.errors.message} ${JSON.stringify(result.errors)}`);
  }
  // A grant on `*` of an action that takes resources (ecs:DescribeTasks) is evaluated per resource type it takes.
  if (result.resultType === 'wildcard' && resource.arn === '*') {
    return { decision: result.overallResult as Decision, explain: result.results.map(r => explainOf(r.analysis)).join('; ') };
  }
  if (result.resultType !== 'single') throw new Error(`expected one concrete resource, received a pattern: ${resource.arn}`);
  return { decision: result.overallResult as Decision, explain: explainOf(result.result.analysis) };
}

/** The statements that decided, for failure messages. */
function explainOf(analysis: unknown): string {
  const a = analysis as Record<string, any>;
  const pick = (part: string) => ['denyStatements', 'allowStatements']
    .flatMap(k => (a?.[part]?.[k] ?? []).map((s: any) => `${part}.${k}:${s.policyId ?? ''}#${s.statement?.sid?.() ?? s.statement?.index?.() ?? ''}`));
  return ['identityAnalysis', 'permissionBoundaryAnalysis', 'resourceAnalysis'].flatMap(pick).join(', ');
}
