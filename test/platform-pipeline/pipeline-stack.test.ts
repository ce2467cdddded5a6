/**
 * The pipeline stacks realize the plan exactly: synthesized for the 200-team plan (the platform
 * pipeline and one team's, without any team's environment stacks), and in the example's full build.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { fleet } from './fleet';
import { buildPlatform } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { planPlatformPipelines, PlannedPipeline, PlatformPipelineStack } from '../../lib/platform-pipeline';
import { loadRegistry } from '../../lib/registry';
import { EXAMPLE_REGISTRY } from '../support/registry-files';

function pipelineResource(template: Template): any {
  return Object.values<any>(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
}

function expectMatchesPlan(pipeline: any, plan: PlannedPipeline): void {
  expect(pipeline.Name).toBe(plan.name);
  expect(pipeline.PipelineType).toBe('V2');
  expect(pipeline.Stages.map((s: any) => s.Name)).toEqual(plan.stages.map(s => s.name));
  pipeline.Stages.forEach((stage: any, i: number) => {
    expect(stage.Actions.map((a: any) => [a.Name, a.RunOrder ?? 1])).toEqual(plan.stages[i].actions.map(a => [a.name, a.runOrder]));
  });
  const source = pipeline.Stages[0].Actions[0];
  // Never polling: connection sources report pushes; team pipelines are started by the release step.
  expect(source.ActionTypeId.Provider).toBe('CodeStarSourceConnection');
  expect(source.Configuration.DetectChanges).toBe(plan.trigger === 'push');
  expect(JSON.stringify(pipeline)).not.toContain('PollForSourceChanges');
}

describe('pipeline stacks of the 200-team plan', () => {
  const reg = fleet(200);
  const plan = planPlatformPipelines(reg);
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pp-')) });
  const [platform, first] = [plan.pipelines[0], plan.pipelines[1]];
  const stacks = [platform, first].map(p => new PlatformPipelineStack(app, p.stackName, {
    pipeline: p, platform: reg.platform, targetAccounts: ['111111111111', '222222222222'], prodAccounts: new Set(['111111111111']),
  }));
  const [platformTemplate, teamTemplate] = stacks.map(s => Template.fromStack(s));

  test('the platform pipeline has every planned stage and action, in order', () => {
    const resource = pipelineResource(platformTemplate);
    expectMatchesPlan(resource, platform);
    expect(resource.Stages.length).toBeLessThanOrEqual(50);
    for (const stage of resource.Stages) expect(stage.Actions.length).toBeLessThanOrEqual(50);
    expect(resource.RestartExecutionOnUpdate).toBe(true);
  });

  test('the platform pipeline\'s template, as written unindented, stays under CloudFormation\'s 1 MB at 200 teams', () => {
    expect(JSON.stringify(platformTemplate.toJSON()).length).toBeLessThan(1_000_000);
  });

  test('a team\'s pipeline has its planned stages and never restarts itself', () => {
    const resource = pipelineResource(teamTemplate);
    expectMatchesPlan(resource, first);
    expect(resource.RestartExecutionOnUpdate).toBeFalsy();
  });

  test('deploy actions name the stack, and prod ones go through the change-set inspection', () => {
    const prod = pipelineResource(teamTemplate).Stages.find((s: any) => s.Name === 'Prod');
    const deploy = prod.Actions.find((a: any) => a.Name === 'springboard-env-team-000-prod');
    const vars = JSON.parse(deploy.Configuration.EnvironmentVariables);
    expect(vars).toEqual(expect.arrayContaining([
      { name: 'STEP', type: 'PLAINTEXT', value: 'deploy' },
      { name: 'STACK', type: 'PLAINTEXT', value: 'springboard-env-team-000-prod' },
      { name: 'GUARDED', type: 'PLAINTEXT', value: 'true' },
    ]));
    expect(prod.Actions.find((a: any) => a.Name === 'Approve').ActionTypeId.Category).toBe('Approval');
  });

  const statements = (t: Template) => Object.values<any>(t.findResources('AWS::IAM::Policy')).flatMap(p => p.Properties.PolicyDocument.Statement);
  /** The policy statements of the role a project runs with. */
  function projectStatements(t: Template, id: string): any[] {
    const [logicalId, project] = Object.entries<any>(t.findResources('AWS::CodeBuild::Project')).find(([k]) => k.startsWith(`Pipeline${id}`))!;
    const role = project.Properties.ServiceRole['Fn::GetAtt'][0];
    expect(logicalId).toBeDefined();
    return Object.values<any>(t.findResources('AWS::IAM::Policy'))
      .filter(p => p.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap(p => p.Properties.PolicyDocument.Statement);
  }
  const actionsOf = (st: any[]) => st.flatMap(x => [x.Action].flat());

  test('three projects, each with a role of its own', () => {
    for (const t of [platformTemplate, teamTemplate]) {
      const roles = Object.values<any>(t.findResources('AWS::CodeBuild::Project')).map(p => p.Properties.ServiceRole['Fn::GetAtt'][0]);
      expect(roles).toHaveLength(3);
      expect(new Set(roles).size).toBe(3);
    }
  });

  test('the Synth role reads its source and writes its artifact: no sts:AssumeRole, no pipeline start, no approved record', () => {
    for (const t of [platformTemplate, teamTemplate]) {
      const synth = actionsOf(projectStatements(t, 'Synth'));
      expect(synth).not.toContain('sts:AssumeRole');
      expect(synth.filter(a => /^(codepipeline|iam|cloudformation):/.test(a))).toEqual([]);
      expect(synth).toEqual(expect.arrayContaining(['codestar-connections:UseConnection', 's3:PutObject']));
    }
  });

  test('the non-prod role may assume only the non-prod accounts\' bootstrap roles; the prod role only the prod and tooling accounts\'', () => {
    const nonProd = projectStatements(teamTemplate, 'NonProdDeploy').find(x => x.Sid === 'AssumeNonProdCdkBootstrapRoles');
    expect(JSON.stringify(nonProd.Resource)).toMatch(/iam::222222222222:role\/cdk-hnb659fds-\*/);
    expect(JSON.stringify(nonProd.Resource)).not.toContain('111111111111');
    const prod = projectStatements(teamTemplate, 'ProdDeploy').find(x => x.Sid === 'AssumeProdCdkBootstrapRoles');
    expect(JSON.stringify(prod.Resource)).toMatch(/iam::111111111111:role\/cdk-hnb659fds-\*/);
    expect(JSON.stringify(prod.Resource)).not.toContain('222222222222');
    expect(projectStatements(teamTemplate, 'NonProdDeploy').filter(x => [x.Action].flat().includes('sts:AssumeRole'))).toHaveLength(1);
  });

  test('only the platform pipeline\'s prod project may start team pipelines', () => {
    expect(statements(teamTemplate).some(x => x.Sid === 'StartTeamPlatformPipelines')).toBe(false);
    const start = projectStatements(platformTemplate, 'ProdDeploy').find(x => x.Sid === 'StartTeamPlatformPipelines');
    expect(JSON.stringify(start.Resource)).toContain('springboard--platform--*');
    for (const id of ['Synth', 'NonProdDeploy']) expect(actionsOf(projectStatements(platformTemplate, id))).not.toContain('codepipeline:StartPipelineExecution');
  });

  test('each action runs in its stage\'s project: nothing before the approval runs in the prod project', () => {
    for (const t of [platformTemplate, teamTemplate]) {
      const projects = Object.fromEntries(Object.keys(t.findResources('AWS::CodeBuild::Project')).map(k => [k, k.replace(/^Pipeline/, '').replace(/[A-F0-9]{8}$/, '')]));
      let approved = false;
      for (const stage of pipelineResource(t).Stages) {
        for (const a of [...stage.Actions].sort((x: any, y: any) => (x.RunOrder ?? 1) - (y.RunOrder ?? 1))) {
          if (a.ActionTypeId.Category === 'Approval') { approved = true; continue; }
          if (a.ActionTypeId.Provider !== 'CodeBuild') continue;
          const project = projects[a.Configuration.ProjectName.Ref];
          if (!approved) expect([stage.Name, a.Name, project]).toEqual([stage.Name, a.Name, expect.stringMatching(/^(Synth|NonProdDeploy)$/)]);
        }
      }
      expect(approved).toBe(true);
    }
  });

  test('the source is a full clone, for the provenance check', () => {
    for (const t of [platformTemplate, teamTemplate]) expect(pipelineResource(t).Stages[0].Actions[0].Configuration.OutputArtifactFormat).toBe('CODEBUILD_CLONE_REF');
  });

  test('the pipeline\'s boundary does not allow approving: no codepipeline:PutApprovalResult outside the approvers role', () => {
    for (const t of [platformTemplate, teamTemplate]) {
      const boundaries = Object.entries<any>(t.findResources('AWS::IAM::ManagedPolicy'));
      const pipelineBoundary = boundaries.find(([id]) => id.startsWith('PipelineBoundary'))![1];
      expect(JSON.stringify(pipelineBoundary)).not.toContain('PutApprovalResult');
      const others = Object.entries<any>(t.toJSON().Resources).filter(([id]) => !id.startsWith('Approvers'));
      expect(JSON.stringify(others)).not.toContain('PutApprovalResult');
    }
    // Only the platform pipeline's stack holds the approvers role.
    expect(Object.keys(teamTemplate.findResources('AWS::IAM::Role')).some(id => id.startsWith('Approvers'))).toBe(false);
    platformTemplate.hasResourceProperties('AWS::IAM::Role', { RoleName: 'springboard-platform-approvers' });
  });

  test('every role of a pipeline stack carries the pipeline\'s boundary; the approvers role its own', () => {
    for (const t of [platformTemplate, teamTemplate]) {
      const roles = Object.entries<any>(t.findResources('AWS::IAM::Role'));
      expect(roles.length).toBeGreaterThan(0);
      for (const [id, role] of roles) {
        expect(role.Properties.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(id.startsWith('Approvers') ? /^ApproversBoundary/ : /^PipelineBoundary/) });
      }
    }
  });

  test('the deploy roles are named, for the bootstrap\'s trust: <pipeline>-nonprod-deploy and <pipeline>-prod-deploy', () => {
    for (const [t, p] of [[platformTemplate, platform], [teamTemplate, first]] as const) {
      for (const [id, kind] of [['NonProdDeploy', 'nonprod'], ['ProdDeploy', 'prod']]) {
        const [, project] = Object.entries<any>(t.findResources('AWS::CodeBuild::Project')).find(([k]) => k.startsWith(`Pipeline${id}`))!;
        const role = t.toJSON().Resources[project.Properties.ServiceRole['Fn::GetAtt'][0]];
        expect(role.Properties.RoleName).toBe(`${p.name}-${kind}-deploy`);
      }
    }
  });

  test('artifacts and logs are encrypted with the pipeline\'s rotating key, and kept', () => {
    platformTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    platformTemplate.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    platformTemplate.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() });
  });
});

describe('the example', () => {
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pp-')) });
  const reg = loadRegistry(EXAMPLE_REGISTRY);
  const built = buildPlatform(app, reg);
  const assembly = app.synth();

  test('synthesizes the platform pipeline and the pilot team\'s, as planned', () => {
    const plan = built.platformPipelines!.plan;
    expect(plan.pipelines.map(p => p.name)).toEqual(['springboard--platform', 'springboard--platform--benefits-screener']);
    for (const p of plan.pipelines) {
      const artifact = assembly.getStackByName(p.stackName);
      expect(artifact.environment).toMatchObject({ account: '111111111111', region: 'us-east-1' });
      expectMatchesPlan(pipelineResource(Template.fromJSON(artifact.template)), p);
    }
  });

  test('the platform pipeline\'s Synth step builds the platform scope; a team pipeline\'s builds its team', () => {
    const synthCommand = (stackName: string) => {
      const projects = Template.fromJSON(assembly.getStackByName(stackName).template).findResources('AWS::CodeBuild::Project');
      const spec = String(Object.values<any>(projects)[0].Properties.Source.BuildSpec);
      return /npx cdk synth --quiet[^\\"]*/.exec(spec)?.[0];
    };
    expect(synthCommand('springboard-platform-pipeline')).toBe('npx cdk synth --quiet -c scope=platform');
    expect(synthCommand('springboard-platform-deploy-benefits-screener')).toBe('npx cdk synth --quiet -c teams=benefits-screener');
  });

  test('the platform scope: the coverage check passes without team stacks, and still finds a planned platform stack that is missing', () => {
    const scoped = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pp-scope-')) });
    const built2 = buildPlatform(scoped, reg, { scope: 'platform' });
    expect(built2.environments).toEqual([]);
    expect(built2.deliveries).toEqual([]);
    expect(() => scoped.synth()).not.toThrow();
    const broken = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pp-scope-')) });
    buildPlatform(broken, reg, { scope: 'platform' });
    // Mutation: drop the portfolio stack the platform pipeline deploys.
    broken.node.tryRemoveChild('springboard-platform-portfolio');
    expect(() => broken.synth()).toThrow(/springboard-platform-portfolio is planned but not built/);
  });

  test('the scope is checked: an unknown scope, or the platform scope with a team filter, is refused', () => {
    expect(() => buildPlatform(createApp(), reg, { scope: 'teams' as never })).toThrow('scope must be one of full, platform; received "teams"');
    expect(() => buildPlatform(createApp(), reg, { scope: 'platform', teams: ['benefits-screener'] })).toThrow(/cannot be combined with a teams filter/);
  });

  test('a filtered build has no platform pipeline', () => {
    const filtered = buildPlatform(createApp(), reg, { teams: ['benefits-screener'] });
    expect(filtered.platformPipelines).toBeUndefined();
  });
});
