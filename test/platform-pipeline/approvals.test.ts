/**
 * Approvals of the platform pipelines, over the synthesized example: the approvers role named in
 * _platform.yaml is the only principal Springboard deploys that may approve (IAM evaluator,
 * iam-simulate), and no principal of the assembly or of the CDK bootstrap can come to act as it
 * (escalation engine: no edge leads into it); every approval announces itself on a topic routed to
 * the approvers' contact, and links its execution's broadening report. The SCP for people, read
 * from docs/platform-pipeline.md, is checked with the same evaluator. Each has a mutation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import {
  approvalTopicName, PLATFORM_PIPELINE_NAME, PLATFORM_PIPELINE_STACK_NAME, platformDeployRoleName, teamPlatformPipelineName,
} from '../../lib/contract';
import { edgesBetween, EscalationGraph, Principal } from '../../lib/escalation';
import { buildIamModel } from '../../lib/escalation/assembly/iam-model';
import { planPlatformPipelines } from '../../lib/platform-pipeline';
import { loadRegistry } from '../../lib/registry';
import { escalationGraph, evaluateWithSimulator } from '../support/iam/escalation';
import { withMutation } from '../support/iam/mutate';
import { synthesizePlatform } from '../support/iam/platform';
import { EXAMPLE_REGISTRY } from '../support/registry-files';

const REG = loadRegistry(EXAMPLE_REGISTRY);
const TOOLING = REG.platform.tooling;
const APPROVERS = `arn:aws:iam::${TOOLING.account}:role/${REG.platform.pipeline!.approvers!.roleName}`;
const { stacks, model } = synthesizePlatform(REG);
const plan = planPlatformPipelines(REG);

/** ARN of every approval action of every platform pipeline: `arn:…:codepipeline:<region>:<account>:<pipeline>/<stage>/<action>`. */
const approvalArns = plan.pipelines.flatMap(p => p.stages.flatMap(s => s.actions.filter(a => a.kind === 'approval')
  .map(a => `arn:aws:codepipeline:${TOOLING.region}:${TOOLING.account}:${p.name}/${s.name}/${a.name}`)));

/** Principals of the graph allowed to approve any approval action, with the approval they may give. */
async function approvers(graph: EscalationGraph): Promise<string[]> {
  const found: string[] = [];
  for (const principal of graph.principals.filter(p => p.origin !== 'cdk-bootstrap')) {
    for (const arn of approvalArns) {
      const decision = await evaluateWithSimulator({ principal, action: 'codepipeline:PutApprovalResult', resource: { arn, account: TOOLING.account } });
      if (decision === 'Allowed') found.push(`${principal.arn} may approve ${arn}`);
    }
  }
  return found;
}

describe('who may approve the platform pipelines (example, iam-simulate)', () => {
  const graph = escalationGraph(model, TOOLING.account);

  test('the example plans an approval in each pipeline: its ReviewProd and the team\'s Prod', () => {
    expect(approvalArns).toEqual([
      `arn:aws:codepipeline:us-east-1:111111111111:${PLATFORM_PIPELINE_NAME}/ReviewProd/Approve`,
      `arn:aws:codepipeline:us-east-1:111111111111:${teamPlatformPipelineName('benefits-screener')}/Prod/Approve`,
    ]);
  });

  test('the approvers role named in _platform.yaml is the only principal Springboard deploys that may approve', async () => {
    const allowed = await approvers(graph);
    expect(allowed).toEqual(approvalArns.map(arn => `${APPROVERS} may approve ${arn}`));
  }, 120_000);

  test('no principal of the assembly or the CDK bootstrap (administrators aside) has an edge into the approvers role', async () => {
    const target = graph.principals.find(p => p.arn === APPROVERS)!;
    const into: string[] = [];
    for (const from of graph.principals.filter((p: Principal) => p.arn !== APPROVERS && !p.administrator)) {
      const edges = await edgesBetween(evaluateWithSimulator, from, target, graph.runners, TOOLING.region);
      into.push(...edges.map(e => `${e.from} -[${e.kind}: ${e.via}]-> ${e.to}`));
    }
    expect(into).toEqual([]);
  }, 300_000);

  test('mutation: the pipeline\'s boundary and role given codepipeline:PutApprovalResult again, the pipeline role may approve and is named', async () => {
    const broken = withMutation(stacks, PLATFORM_PIPELINE_STACK_NAME, template => {
      const resources = Object.entries<any>(template.Resources);
      const [, boundary] = resources.find(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && id.startsWith('PipelineBoundary'))!;
      boundary.Properties.PolicyDocument.Statement[0].Action.push('codepipeline:PutApprovalResult');
      const [roleId] = resources.find(([id, r]) => r.Type === 'AWS::IAM::Role' && /^PipelineRole[0-9A-F]{8}$/.test(id))!;
      const policy = resources.find(([, r]) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))![1];
      policy.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 'codepipeline:PutApprovalResult', Resource: '*' });
    });
    const allowed = await approvers(escalationGraph(buildIamModel(broken), TOOLING.account));
    const others = allowed.filter(line => !line.startsWith(APPROVERS));
    expect(others.length).toBe(approvalArns.length);
    expect(others.join('\n')).toMatch(/role\/springboard-platform-pipeline-PipelineRole[^ ]* may approve .*springboard--platform\/ReviewProd\/Approve/);
  }, 120_000);
});

describe('approval notifications and the broadening report link', () => {
  const templateOf = (name: string) => stacks.find(s => s.stackName === name)!.template;
  const pipelineStacks = plan.pipelines.map(p => ({ plan: p, template: templateOf(p.stackName) }));

  test('every approval notifies its pipeline\'s approvals topic, which e-mails the approvers\' contact', () => {
    for (const { plan: p, template } of pipelineStacks) {
      const resources = Object.entries<any>(template.Resources!);
      const [topicId, topic] = resources.find(([, r]) => r.Type === 'AWS::SNS::Topic')!;
      expect(topic.Properties.TopicName).toBe(approvalTopicName(p.name));
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
      const subscriptions = resources.filter(([, r]) => r.Type === 'AWS::SNS::Subscription' && r.Properties.TopicArn.Ref === topicId);
      expect(subscriptions.map(([, r]) => [r.Properties.Protocol, r.Properties.Endpoint])).toEqual([['email', 'platform-approvals@example.gov']]);
      const pipeline = resources.find(([, r]) => r.Type === 'AWS::CodePipeline::Pipeline')![1].Properties;
      const approvals = pipeline.Stages.flatMap((s: any) => s.Actions).filter((a: any) => a.ActionTypeId.Category === 'Approval');
      expect(approvals.length).toBeGreaterThan(0);
      for (const a of approvals) expect(a.Configuration.NotificationArn).toEqual({ Ref: topicId });
    }
  });

  test('every approval\'s custom data and review link lead to this execution\'s broadening report', () => {
    for (const { plan: p, template } of pipelineStacks) {
      const pipeline = Object.values<any>(template.Resources!).find(r => r.Type === 'AWS::CodePipeline::Pipeline').Properties;
      const actions = pipeline.Stages.flatMap((s: any) => s.Actions);
      const key = `reports/${p.name}/#{codepipeline.PipelineExecutionId}/report.md`;
      for (const a of actions.filter((x: any) => x.ActionTypeId.Category === 'Approval')) {
        for (const field of [a.Configuration.CustomData, a.Configuration.ExternalEntityLink]) {
          const text = JSON.stringify(field);
          expect(text).toContain('https://console.aws.amazon.com/s3/object/');
          expect(text).toContain(`?region=us-east-1&prefix=${key}`);
        }
        expect(JSON.stringify(a.Configuration.CustomData).length).toBeLessThan(500 + 200);
      }
      // The check that writes the report knows the execution it belongs to.
      for (const check of actions.filter((x: any) => x.Name === 'BroadeningCheck')) {
        expect(JSON.parse(check.Configuration.EnvironmentVariables)).toEqual(expect.arrayContaining([
          { name: 'EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
        ]));
      }
    }
  });
});

/** The SCP as written in docs/platform-pipeline.md: the JSON block after the `scp: platform-pipelines` marker. */
export function scpFromDocs(): any {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'platform-pipeline.md'), 'utf8');
  const match = /<!-- scp: platform-pipelines -->\s*```json\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error('docs/platform-pipeline.md has no ```json block after <!-- scp: platform-pipelines -->');
  return JSON.parse(match[1]);
}

const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** A person or role of the tooling account holding AdministratorAccess, under the organisation's SCPs. */
async function decide(scp: any, principalArn: string, action: string, resource: string): Promise<string> {
  const result = await runSimulation({
    request: {
      principal: principalArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/').replace(/\/[^/]*$/, m => `${m}/person`),
      action,
      resource: { resource, accountId: TOOLING.account },
      contextVariables: { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': TOOLING.account, 'aws:ResourceAccount': TOOLING.account },
    },
    identityPolicies: [{ name: 'AdministratorAccess', policy: FULL_ACCESS }],
    serviceControlPolicies: [
      { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: FULL_ACCESS }] },
      { orgIdentifier: TOOLING.account, policies: [{ name: 'FullAWSAccess', policy: FULL_ACCESS }, { name: 'springboard-platform-pipelines', policy: scp }] },
    ],
    resourceControlPolicies: [],
  }, { simulationMode: 'Strict' });
  if (result.resultType !== 'single') throw new Error(`cannot evaluate ${action} on ${resource}: ${JSON.stringify(result)}`);
  return result.overallResult;
}

describe('the SCP for people, as written in docs/platform-pipeline.md (iam-simulate)', () => {
  const scp = scpFromDocs();
  const person = `arn:aws:iam::${TOOLING.account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
  const releaser = `arn:aws:iam::${TOOLING.account}:role/${platformDeployRoleName(PLATFORM_PIPELINE_NAME, 'prod')}`;
  const teamPipeline = `arn:aws:codepipeline:${TOOLING.region}:${TOOLING.account}:${teamPlatformPipelineName('benefits-screener')}`;

  test('an administrator of the tooling account may neither approve a platform deploy nor start a team platform pipeline', async () => {
    for (const arn of approvalArns) expect(await decide(scp, person, 'codepipeline:PutApprovalResult', arn)).toBe('ExplicitlyDenied');
    expect(await decide(scp, person, 'codepipeline:StartPipelineExecution', teamPipeline)).toBe('ExplicitlyDenied');
  });

  test('the approvers role may approve; the platform pipeline\'s prod deploy role may start team platform pipelines', async () => {
    for (const arn of approvalArns) expect(await decide(scp, APPROVERS, 'codepipeline:PutApprovalResult', arn)).toBe('Allowed');
    expect(await decide(scp, releaser, 'codepipeline:StartPipelineExecution', teamPipeline)).toBe('Allowed');
    // Neither may do the other's part.
    expect(await decide(scp, APPROVERS, 'codepipeline:StartPipelineExecution', teamPipeline)).toBe('ExplicitlyDenied');
    expect(await decide(scp, releaser, 'codepipeline:PutApprovalResult', approvalArns[0])).toBe('ExplicitlyDenied');
  });

  test('the SCP names the roles Springboard deploys: the approvers role of _platform.yaml and the platform pipeline\'s prod deploy role', () => {
    const text = JSON.stringify(scp);
    expect(text).toContain(APPROVERS);
    expect(text).toContain(releaser);
  });

  test('mutation: without its approval statement, an administrator may approve again (the check sees it)', async () => {
    const broken = JSON.parse(JSON.stringify(scp));
    broken.Statement = broken.Statement.filter((s: any) => s.Action !== 'codepipeline:PutApprovalResult');
    expect(await decide(broken, person, 'codepipeline:PutApprovalResult', approvalArns[0])).toBe('Allowed');
  });
});
