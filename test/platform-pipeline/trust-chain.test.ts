/**
 * The platform pipelines' trust chain, proven with the escalation engine (lib/escalation) over the
 * synthesized example: no principal used by an action that runs before a prod or tooling approval
 * can come to act as a role of a prod account or a role that deploys into the tooling account; the
 * Synth role reaches nothing. A permanent mutation gives the Synth role its former policy (assume
 * every target account's bootstrap roles) and the proof then fails, naming the path.
 */
import { Closure, EscalationGraph, closureOf, describeClosure } from '../../lib/escalation';
import type { DeployedStack } from '../../lib/escalation/assembly/deployed';
import { buildIamModel } from '../../lib/escalation/assembly/iam-model';
import { prodAccounts } from '../../lib/platform-pipeline';
import { loadRegistry } from '../../lib/registry';
import { escalationGraph, evaluateWithSimulator } from '../support/iam/escalation';
import { withMutation } from '../support/iam/mutate';
import { synthesizePlatform } from '../support/iam/platform';
import { EXAMPLE_REGISTRY } from '../support/registry-files';

const REG = loadRegistry(EXAMPLE_REGISTRY);
const TOOLING = REG.platform.tooling;
const PROD = prodAccounts(REG);
const { stacks, model } = synthesizePlatform(REG);
const pipelineStacks = stacks.filter(s => s.template.Resources && Object.values(s.template.Resources).some(r => r.Type === 'AWS::CodePipeline::Pipeline')
  && s.stackName.startsWith('springboard-platform-'));

const getAttRole = (v: any): string | undefined => v?.['Fn::GetAtt']?.[0];

/** Logical ids of the roles used by actions that run before the pipeline's first approval: action roles and their projects' roles. */
function preApprovalRoleIds(stack: DeployedStack): string[] {
  const resources = stack.template.Resources!;
  const pipeline = Object.values(resources).find(r => r.Type === 'AWS::CodePipeline::Pipeline')!.Properties!;
  const ids: string[] = [];
  for (const stage of pipeline.Stages) {
    const orders = [...new Set<number>(stage.Actions.map((a: any) => a.RunOrder ?? 1))].sort((x, y) => x - y);
    for (const order of orders) {
      const batch = stage.Actions.filter((a: any) => (a.RunOrder ?? 1) === order);
      if (batch.some((a: any) => a.ActionTypeId.Category === 'Approval')) return ids;
      for (const a of batch) {
        const actionRole = getAttRole(a.RoleArn);
        if (actionRole) ids.push(actionRole);
        const project = a.Configuration?.ProjectName?.Ref;
        if (project) ids.push(getAttRole(resources[project].Properties!.ServiceRole)!);
      }
    }
  }
  throw new Error(`${stack.stackName}: no approval in the pipeline`);
}

const roleArn = (stackName: string, logicalId: string) => model.roles.find(r => r.stackName === stackName && r.logicalId === logicalId)!.arn;
const preApproval = pipelineStacks.flatMap(s => preApprovalRoleIds(s).map(id => roleArn(s.stackName, id)));
const synthRoles = pipelineStacks.map(s => roleArn(s.stackName, getAttRole(Object.entries(s.template.Resources!)
  .find(([id, r]) => r.Type === 'AWS::CodeBuild::Project' && id.startsWith('PipelineSynth'))![1].Properties!.ServiceRole)!));

/**
 * What a pre-approval principal must never reach: any role of a prod account, and any role of the
 * tooling account (which counts as production) other than the pre-approval principals themselves.
 * Each violation names the path that reaches it.
 */
function violations(closure: Closure): string[] {
  const allowed = new Set(preApproval);
  return closure.reached.filter(p => PROD.has(p.account) && !allowed.has(p.arn))
    .map(p => `${closure.start} reaches ${p.arn} (${p.origin}${p.administrator ? ', administrator' : ''}) by: ${describeClosure(closure).join(' ; ')}`);
}

async function closures(graph: EscalationGraph, starts: readonly string[]): Promise<Closure[]> {
  const result: Closure[] = [];
  for (const arn of starts) {
    result.push(await closureOf(graph, graph.principals.find(p => p.arn === arn)!, evaluateWithSimulator, { region: TOOLING.region }));
  }
  return result;
}

describe('the trust chain of the example\'s platform pipelines (escalation engine, iam-simulate)', () => {
  const graph = escalationGraph(model, TOOLING.account);
  let found: Closure[] = [];
  beforeAll(async () => { found = await closures(graph, preApproval); }, 300_000);

  test('the pre-approval principals are every pipeline\'s source and synth action roles, its non-prod deploys\' and its broadening check\'s', () => {
    expect(pipelineStacks.map(s => s.stackName).sort()).toEqual(['springboard-platform-deploy-benefits-screener', 'springboard-platform-pipeline']);
    expect(preApproval.length).toBeGreaterThanOrEqual(pipelineStacks.length * 3);
    expect(synthRoles.every(r => preApproval.includes(r))).toBe(true);
    expect(preApproval.some(a => /ProdDeploy/.test(a) && !/NonProdDeploy/.test(a))).toBe(false);
  });

  test('no principal used before an approval reaches a role of a prod account or one that deploys into the tooling account', () => {
    expect(found.flatMap(violations)).toEqual([]);
  });

  test('the non-prod deploy roles do reach the non-prod accounts\' bootstrap roles (the engine sees the edges)', () => {
    const reached = found.flatMap(c => c.reached.map(p => p.arn));
    expect(reached).toEqual(expect.arrayContaining([expect.stringMatching(/^arn:aws:iam::222222222222:role\/cdk-hnb659fds-deploy-role-/)]));
  });

  test('the Synth role reaches nothing', () => {
    for (const arn of synthRoles) {
      const closure = found.find(c => c.start === arn)!;
      expect(closure.reached.map(p => p.arn)).toEqual([arn]);
      expect(closure.edges).toEqual([]);
    }
  });

  test('mutation: the Synth role with its former policy (assume every target account\'s bootstrap roles) fails, naming the path', async () => {
    const platformStack = 'springboard-platform-deploy-benefits-screener';
    const synthRole = synthRoles.find(r => r.includes(':role/') && model.roles.find(m => m.arn === r)!.stackName === platformStack)!;
    const logicalId = model.roles.find(m => m.arn === synthRole)!.logicalId;
    const accounts = [...new Set([TOOLING.account, ...REG.teams.flatMap(t => t.environments.map(e => e.account))])];
    const broken = withMutation(stacks, platformStack, template => {
      const policy = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === logicalId));
      policy.Properties.PolicyDocument.Statement.push({
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: accounts.map(a => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${a}:role/cdk-hnb659fds-*`]] })),
      });
    });
    const brokenGraph = escalationGraph(buildIamModel(broken), TOOLING.account);
    const [closure] = await closures(brokenGraph, [synthRole]);
    const paths = violations(closure);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.join('\n')).toMatch(new RegExp(`${synthRole.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -\\[assume-role: sts:AssumeRole\\]-> arn:aws:iam::333333333333:role/cdk-hnb659fds-deploy-role-333333333333-`));
  }, 300_000);
});
