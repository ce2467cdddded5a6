/**
 * The escalation graph of a synthesized assembly: principals from its IAM model plus CDK's bootstrap
 * roles of every account, runners from its CodeBuild projects and Lambda functions; each team's start
 * principals and what a team's closure must never hold. No evaluator here: callers inject one.
 */
import { awsManagedPolicy } from './assembly/aws-managed-policies';
import type { DeployedStack } from './assembly/deployed';
import type { IamModel, PolicyDocument, RoleModel } from './assembly/iam-model';
import { resolveIntrinsics } from './assembly/intrinsics';
import { bootstrapPrincipals } from './cdk-bootstrap';
import type { EscalationGraph } from './closure';
import type { Closure, Principal, Runner } from './types';
import { PLATFORM_OWNER, TAG_KEYS } from '../contract';

/** Every action on every resource: the broadest grant a team could hold; its boundary is then the only ceiling. */
export const EVERYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const isAdministrator = (policies: readonly PolicyDocument[]) => policies.some(p => p.Statement.some(s => s.Effect === 'Allow'
  && [s.Action].flat().includes('*') && [s.Resource].flat().includes('*') && !s.Condition));

/** A role of the assembly as a principal. An AWS-managed policy the tests do not hold is taken as administrator (the safe side). */
export function principalOf(model: IamModel, role: RoleModel): Principal {
  const managed = role.managedPolicyArns.map(arn => model.managedPolicies.get(arn) ?? awsManagedPolicy(arn));
  const identityPolicies = [...role.identityPolicies.map(p => p.policy), ...managed.filter((p): p is PolicyDocument => p !== undefined)];
  return {
    arn: role.arn,
    account: role.account,
    origin: `${role.stackName}/${role.logicalId}`,
    tags: role.tags,
    trust: role.trust,
    identityPolicies,
    boundary: role.boundaryArn ? model.managedPolicies.get(role.boundaryArn) : undefined,
    administrator: managed.some(p => p === undefined) || isAdministrator(identityPolicies),
  };
}

/** CodeBuild projects and Lambda functions, with the role each runs as. */
function runnersOf(stack: DeployedStack): Runner[] {
  const { partition, account, region } = stack.placement;
  return Object.entries(stack.template.Resources ?? {}).flatMap(([id, r]): Runner[] => {
    const p = r.Properties ?? {};
    const tags = Object.fromEntries(([p.Tags ?? []].flat() as Array<{ Key: string; Value: unknown }>).map(t => [t.Key, String(t.Value)]));
    const roleArn = (v: unknown) => String(resolveIntrinsics(v, stack.context));
    if (r.Type === 'AWS::CodeBuild::Project') {
      return [{ kind: 'codebuild-project', arn: stack.context.attributes[`${id}.Arn`], account, tags, roleArn: roleArn(p.ServiceRole) }];
    }
    if (r.Type === 'AWS::Lambda::Function') {
      const name = p.FunctionName ? String(resolveIntrinsics(p.FunctionName, stack.context)) : stack.context.refs[id];
      return [{ kind: 'lambda-function', arn: `arn:${partition}:lambda:${region}:${account}:function:${name}`, account, tags, roleArn: roleArn(p.Role) }];
    }
    return [];
  });
}

/**
 * The graph of an assembly: its roles, CDK's bootstrap roles in every account and region it uses
 * (trusting the tooling account, as `cdk bootstrap --trust` does for the platform pipeline), and its runners.
 */
export function escalationGraph(model: IamModel, toolingAccount: string): EscalationGraph {
  const places = new Map(model.stacks.map(s => [`${s.placement.account}/${s.placement.region}`, s.placement]));
  const bootstrap = [...places.values()].flatMap(p => bootstrapPrincipals({
    partition: p.partition, account: p.account, region: p.region, trustedAccounts: p.account === toolingAccount ? [] : [toolingAccount],
  }));
  return {
    principals: [...model.roles.map(r => principalOf(model, r)), ...bootstrap],
    runners: model.stacks.flatMap(runnersOf),
  };
}

/** A team's principal in each account and boundary it has, holding the broadest grant (`*` on `*`). */
export function teamStarts(graph: EscalationGraph, teamId: string): Principal[] {
  const byPlace = new Map<string, Principal>();
  for (const p of graph.principals.filter(x => x.tags[TAG_KEYS.team] === teamId && x.boundary)) {
    const key = `${p.account}/${JSON.stringify(p.boundary)}`;
    if (!byPlace.has(key)) byPlace.set(key, { ...p, identityPolicies: [EVERYTHING] });
  }
  return [...byPlace.values()];
}

/** What a closure holds that a team must never reach: another team's principal, a platform or CDK principal, an administrator. */
export function forbiddenInClosure(closure: Closure, teamId: string): string[] {
  return closure.reached.filter(p => p.arn !== closure.start).flatMap(p => {
    const owner = p.tags[TAG_KEYS.team];
    const why = p.administrator ? 'administrator'
      : owner === undefined ? `untagged (${p.origin})`
        : owner === PLATFORM_OWNER ? 'platform-owned'
          : owner !== teamId ? `team ${owner}` : undefined;
    return why ? [`${p.arn}: ${why}`] : [];
  });
}
