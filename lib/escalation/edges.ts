/**
 * The edges of the escalation graph: each is a request IAM would allow that lets one principal act
 * as another. docs/isolation.md lists them with the test that exercises each.
 */
import type { Edge, Evaluate, EvaluationRequest, Principal, Runner } from './types';
import { TAG_KEYS } from '../contract/naming';

/** Services that act with a passed role, and the requests that make them do so (`{account}`, `{region}` filled in). */
export const ACTING_SERVICES: ReadonlyArray<{ readonly principal: string; readonly requests: ReadonlyArray<readonly [string, string]> }> = [
  { principal: 'cloudformation.amazonaws.com', requests: [['cloudformation:CreateStack', 'arn:{partition}:cloudformation:{region}:{account}:stack/escalation-probe/*']] },
  { principal: 'codebuild.amazonaws.com', requests: [['codebuild:CreateProject', 'arn:{partition}:codebuild:{region}:{account}:project/escalation-probe']] },
  { principal: 'lambda.amazonaws.com', requests: [['lambda:CreateFunction', 'arn:{partition}:lambda:{region}:{account}:function:escalation-probe']] },
  {
    principal: 'ecs-tasks.amazonaws.com',
    requests: [['ecs:RegisterTaskDefinition', '*'], ['ecs:RunTask', 'arn:{partition}:ecs:{region}:{account}:task-definition/escalation-probe:1']],
  },
];

/** IAM writes on a role that make it do what the writer wants: trust, inline and attached policies, tags. */
export const ROLE_WRITES: readonly string[] = ['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:TagRole'];

/** Requests on a runner that run other code with its role. */
export const RUNNER_REQUESTS: Readonly<Record<Runner['kind'], readonly string[]>> = {
  'codebuild-project': ['codebuild:StartBuild', 'codebuild:UpdateProject'],
  'lambda-function': ['lambda:UpdateFunctionCode'],
};

const partitionOf = (arn: string) => arn.split(':')[1];

/** What a create carries: the principal's own Team tag, as the boundary requires on creates. */
function ownTags(principal: Principal): Record<string, string | string[]> {
  const team = principal.tags[TAG_KEYS.team];
  return team === undefined ? {} : { [`aws:RequestTag/${TAG_KEYS.team}`]: team, 'aws:TagKeys': [TAG_KEYS.team] };
}

/** Service principals the role's trust names. */
export function trustedServices(role: Principal): string[] {
  return role.trust.Statement.filter(s => s.Effect === 'Allow')
    .flatMap(s => [s.Principal?.Service ?? []].flat() as string[]);
}

async function allowed(evaluate: Evaluate, request: EvaluationRequest): Promise<boolean> {
  return (await evaluate(request)) === 'Allowed';
}

/** Every edge from `from` to `to`, given the runners that act as `to`. */
export async function edgesBetween(evaluate: Evaluate, from: Principal, to: Principal, runners: readonly Runner[], region: string): Promise<Edge[]> {
  const edges: Edge[] = [];
  const target = { arn: to.arn, account: to.account, tags: to.tags };
  const edge = (kind: Edge['kind'], via: string) => edges.push({ from: from.arn, to: to.arn, kind, via });

  if (await allowed(evaluate, { principal: from, action: 'sts:AssumeRole', resource: { ...target, policy: to.trust } })) edge('assume-role', 'sts:AssumeRole');

  for (const service of ACTING_SERVICES.filter(s => trustedServices(to).includes(s.principal))) {
    const pass = await allowed(evaluate, { principal: from, action: 'iam:PassRole', resource: target, context: { 'iam:PassedToService': service.principal } });
    if (!pass) continue;
    const fill = (arn: string) => arn.replace('{partition}', partitionOf(to.arn)).replace('{region}', region).replace('{account}', to.account);
    let all = true;
    for (const [action, arn] of service.requests) {
      all = all && await allowed(evaluate, { principal: from, action, resource: { arn: fill(arn), account: to.account }, context: ownTags(from) });
    }
    if (all) edge('pass-role', `iam:PassRole to ${service.principal} + ${service.requests.map(([a]) => a).join(' + ')}`);
  }

  for (const action of ROLE_WRITES) {
    const context = action === 'iam:TagRole' ? { ...ownTags(from) } : {};
    if (await allowed(evaluate, { principal: from, action, resource: target, context })) edge('iam-write', action);
  }

  for (const runner of runners.filter(r => r.roleArn === to.arn)) {
    for (const action of RUNNER_REQUESTS[runner.kind]) {
      if (await allowed(evaluate, { principal: from, action, resource: { arn: runner.arn, account: runner.account, tags: runner.tags } })) {
        edge(runner.kind === 'codebuild-project' ? 'codebuild' : 'lambda-code', `${action} on ${runner.arn}`);
      }
    }
  }
  return edges;
}
