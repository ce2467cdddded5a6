/**
 * The trust chain's proofs on a generated 40-team registry (bench/lib/generate-registry.ts: three
 * non-prod and two prod accounts, three regions), synthesized once: nothing used before an approval
 * reaches a role of a prod account or of the tooling account, and each Synth role reaches nothing
 * (escalation engine, iam-simulate, every pre-approval principal of all 41 pipelines at once); only
 * the approvers role may approve; every policy for a service carries the confused-deputy table's
 * keys; the deploy roles are named as the bootstrap templates trust. Synthesis takes about 2 to 3
 * minutes on this machine; the closure about 1 to 2 more (docs/platform-pipeline.md).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { Closure, Edge } from '../../lib/escalation';
import { bootstrapCommands, planPlatformPipelines, prodAccounts } from '../../lib/platform-pipeline';
import { loadRegistry } from '../../lib/registry';
import { candidateClosure, couldAllow, pathTo } from '../support/iam/candidate-closure';
import { confusedDeputyProblems } from '../support/iam/confused-deputy';
import { escalationGraph, evaluateWithSimulator } from '../support/iam/escalation';
import { synthesizePlatform } from '../support/iam/platform';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-forty-'));
writeGeneratedRegistry(dir, 40);
const REG = loadRegistry(dir);
const TOOLING = REG.platform.tooling;
const PROD = prodAccounts(REG);
const started = Date.now();
const { stacks, model } = synthesizePlatform(REG);
const synthSeconds = Math.round((Date.now() - started) / 1000);
const graph = escalationGraph(model, TOOLING.account);
const plan = planPlatformPipelines(REG);

const getAttRole = (v: any): string | undefined => v?.['Fn::GetAtt']?.[0];
const roleArn = (stackName: string, logicalId: string) => model.roles.find(r => r.stackName === stackName && r.logicalId === logicalId)!.arn;

/** Roles used by actions before a pipeline's first approval (action roles and their projects' roles), as in trust-chain.test.ts. */
function preApprovalRoles(stackName: string): string[] {
  const resources = stacks.find(s => s.stackName === stackName)!.template.Resources!;
  const pipeline = Object.values(resources).find(r => r.Type === 'AWS::CodePipeline::Pipeline')!.Properties!;
  const arns: string[] = [];
  for (const stage of pipeline.Stages) {
    const orders = [...new Set<number>(stage.Actions.map((a: any) => a.RunOrder ?? 1))].sort((x, y) => x - y);
    for (const order of orders) {
      const batch = stage.Actions.filter((a: any) => (a.RunOrder ?? 1) === order);
      if (batch.some((a: any) => a.ActionTypeId.Category === 'Approval')) return arns;
      for (const a of batch) {
        if (getAttRole(a.RoleArn)) arns.push(roleArn(stackName, getAttRole(a.RoleArn)!));
        const project = a.Configuration?.ProjectName?.Ref;
        if (project) arns.push(roleArn(stackName, getAttRole(resources[project].Properties!.ServiceRole)!));
      }
    }
  }
  throw new Error(`${stackName}: no approval`);
}

describe('the trust chain on 40 generated teams (synthesized once)', () => {
  const pipelineStacks = plan.pipelines.map(p => p.stackName);
  const preApproval = [...new Set(pipelineStacks.flatMap(preApprovalRoles))];
  let closure: Closure & { parents: ReadonlyMap<string, Edge> };
  let closureSeconds = 0;
  beforeAll(async () => {
    const t = Date.now();
    closure = await candidateClosure(graph, preApproval.map(arn => graph.principals.find(p => p.arn === arn)!), TOOLING.region);
    closureSeconds = Math.round((Date.now() - t) / 1000);
  }, 1_200_000);

  test('the registry and its assembly: 40 teams, 41 pipelines, every pre-approval principal of each', () => {
    expect(REG.teams).toHaveLength(40);
    expect(pipelineStacks).toHaveLength(41);
    expect(preApproval.length).toBeGreaterThanOrEqual(41 * 3);
    expect(graph.principals.length).toBeGreaterThan(1000);
    // Measured figures, printed for docs/platform-pipeline.md.
    process.stdout.write(`40 teams: ${stacks.length} stacks, ${graph.principals.length} principals, synth ${synthSeconds} s, closure ${closureSeconds} s\n`);
  });

  test('nothing used before an approval reaches a role of a prod account or of the tooling account (escalation engine)', () => {
    const allowed = new Set(preApproval);
    const violations = closure.reached.filter(p => PROD.has(p.account) && !allowed.has(p.arn))
      .map(p => `${p.arn} (${p.origin}) by: ${pathTo(closure.parents, p.arn).join(' ; ')}`);
    expect(violations).toEqual([]);
    // The engine does see the non-prod deploys reach the non-prod accounts' bootstrap roles.
    expect(closure.reached.some(p => /^arn:aws:iam::222222222222:role\/cdk-hnb659fds-deploy-role-/.test(p.arn))).toBe(true);
  });

  test('no Synth role has an edge to anything', () => {
    const synthRoles = preApproval.filter(arn => model.roles.find(r => r.arn === arn)!.logicalId.startsWith('PipelineSynthRole'));
    expect(synthRoles).toHaveLength(41);
    expect(closure.edges.filter(e => synthRoles.includes(e.from))).toEqual([]);
  });

  test('only the approvers role may approve any of the 41 pipelines\' approvals (iam-simulate)', async () => {
    const approvals = plan.pipelines.flatMap(p => p.stages.flatMap(s => s.actions.filter(a => a.kind === 'approval')
      .map(a => `arn:aws:codepipeline:${TOOLING.region}:${TOOLING.account}:${p.name}/${s.name}/${a.name}`)));
    expect(approvals).toHaveLength(41);
    const allowed: string[] = [];
    for (const principal of graph.principals.filter(p => p.origin !== 'cdk-bootstrap')) {
      // Only a statement that could grant the action can allow it: the others are skipped unevaluated.
      for (const arn of approvals.filter(a => couldAllow(principal, ['codepipeline:PutApprovalResult'], a))) {
        const decision = await evaluateWithSimulator({ principal, action: 'codepipeline:PutApprovalResult', resource: { arn, account: TOOLING.account } });
        if (decision === 'Allowed') allowed.push(principal.arn);
      }
    }
    expect([...new Set(allowed)]).toEqual([`arn:aws:iam::${TOOLING.account}:role/springboard-platform-approvers`]);
    expect(allowed).toHaveLength(41);
  }, 600_000);

  test('every trust and resource policy for a service carries the confused-deputy table\'s keys', () => {
    expect(confusedDeputyProblems(stacks)).toEqual([]);
  });

  test('every deploy role is named as its account\'s bootstrap template trusts', () => {
    const commands = bootstrapCommands(REG);
    const deployRoles = model.roles.filter(r => r.name.startsWith('springboard--platform') && /-(nonprod|prod)-deploy$/.test(r.name));
    expect(deployRoles).toHaveLength(82);
    for (const role of deployRoles) {
      const kind = role.name.endsWith('-nonprod-deploy') ? 'non-prod' : 'prod';
      const accounts = (JSON.stringify(role.identityPolicies.map(p => p.policy)).match(/iam::(\d{12}):role\/cdk-hnb659fds-\*/g) ?? []).map(m => m.slice(5, 17));
      for (const a of accounts) expect([role.name, a, commands.find(c => c.account === a)?.kind]).toEqual([role.name, a, kind]);
    }
  });
});
