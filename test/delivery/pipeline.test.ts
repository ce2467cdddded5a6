/**
 * The team pipelines of a registry of three teams whose environments span two accounts and two
 * regions: shape per the naming contract, trigger, platform buildspec, artifact stores and keys,
 * deploy-role trust, release records, notifications, and nothing cross-team. Synthesized once.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodePipelineClient, PutJobFailureResultCommand, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import {
  DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template as AssertionTemplate } from 'aws-cdk-lib/assertions';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { buildPlatform } from '../../lib/app';
import { RELEASE_RECORDS_RESOURCE_TYPE, UNRELEASED_VALUE } from '../../lib/baseline/release-records';
import { createApp } from '../../lib/construct-kit/springboard-app';
import {
  APPROVAL_ACTION_NAME, DEPLOY_ACTION_NAME, MIGRATE_ACTION_NAME, PROD_STAGE_NAME, VERIFY_ACTION_NAME, prodDeployActionIndex,
} from '../../lib/contract';
import { BUILD_VARIABLES, MIGRATE_HANDLER_DIR, TeamPipeline } from '../../lib/delivery';
import { UNRELEASED } from '../../lib/environment/release';
import type { EnvironmentSpec, TeamSpec } from '../../lib/registry/types';
import { DEV_ACCOUNT, PROD_ACCOUNT, TOOLING_ACCOUNT, platformSettings, registry, team } from '../support/registry-fixtures';

const WEST = 'us-west-2';
const cert = (region: string) => `arn:aws:acm:${region}:${PROD_ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`;

function withEnvs(t: TeamSpec, patch: Record<string, Partial<EnvironmentSpec>>): TeamSpec {
  return { ...t, environments: t.environments.map(e => ({ ...e, ...patch[e.name] })) };
}

// alpha: GitHub, everything in us-east-1. beta: GitLab, staging (internal, no certificate) and prod in us-west-2.
// gamma: CodeCommit, dev and prod only, prod in us-west-2.
const alpha = team('alpha', { withDatabase: true });
const beta = withEnvs({ ...team('beta'), repository: { ...team('beta').repository, provider: 'gitlab', name: 'state/sub/beta', branch: 'release' } }, {
  staging: { region: WEST, certificateArn: undefined, loadBalancer: { internal: true } }, prod: { region: WEST, certificateArn: cert(WEST) },
});
const gamma = withEnvs({ ...team('gamma', { environments: ['dev', 'prod'] }), repository: { provider: 'codecommit', name: 'gamma-service', branch: 'main' } }, {
  prod: { region: WEST, certificateArn: cert(WEST) },
});
const teams = [alpha, beta, gamma];

type Template = { Resources: Record<string, any>; Outputs?: Record<string, any> };
interface Synth { byId: Record<string, Template>; manifest: any }
let synth: Synth;

beforeAll(() => {
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-delivery-')) });
  buildPlatform(app, registry(teams));
  const assembly = app.synth();
  const byId: Record<string, Template> = {};
  for (const s of assembly.stacks) byId[s.hierarchicalId] = JSON.parse(fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8'));
  synth = { byId, manifest: assembly.manifest };
});

const resources = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const one = (t: Template, type: string) => {
  const found = resources(t, type);
  expect(found).toHaveLength(1);
  return found[0][1];
};
const pipelineOf = (id: string) => one(synth.byId[`springboard-delivery-${id}`], 'AWS::CodePipeline::Pipeline').Properties;
const stringify = (v: unknown) => JSON.stringify(v);
/** An inline buildspec, parsed (CDK writes it as a string, or joins it with the tokens it contains). */
function parsedSpec(spec: any): any {
  const text = typeof spec === 'string' ? spec : spec['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}
/** The buildspec's commands and report settings as one text. */
const specText = (spec: unknown) => {
  const parsed = parsedSpec(spec);
  return [...Object.values<any>(parsed.phases).flatMap(p => p.commands), JSON.stringify(parsed.reports ?? {}), JSON.stringify(parsed.artifacts ?? {})].join('\n');
};

describe('the pipeline follows the naming contract', () => {
  test.each(teams.map(t => [t.id, t]))('%s: V2, named for the team, Source → Build → one stage per environment', (id, t) => {
    const p = pipelineOf(id);
    expect(p.Name).toBe(`springboard-${id}`);
    expect(p.PipelineType).toBe('V2');
    expect(p.Stages.map((s: any) => s.Name)).toEqual(['Source', 'Build', ...(t as TeamSpec).environments.map(e => e.name[0].toUpperCase() + e.name.slice(1))]);
  });

  const shape = (id: string, name: string) => pipelineOf(id).Stages.find((s: any) => s.Name === name).Actions
    .map((a: any) => [a.Name, a.ActionTypeId.Category, a.ActionTypeId.Provider, a.RunOrder]);

  test('environment stages: Deploy then Verify; prod: Approve, Deploy, Verify, and the prod deploy is its last Deploy-category action', () => {
    expect(shape('beta', 'Dev')).toEqual([[DEPLOY_ACTION_NAME, 'Deploy', 'ECS', 1], [VERIFY_ACTION_NAME, 'Test', 'CodeBuild', 2]]);
    expect(shape('beta', 'Staging')).toEqual(shape('beta', 'Dev'));
    expect(shape('beta', PROD_STAGE_NAME)).toEqual([
      [APPROVAL_ACTION_NAME, 'Approval', 'Manual', 1], [DEPLOY_ACTION_NAME, 'Deploy', 'ECS', 2], [VERIFY_ACTION_NAME, 'Test', 'CodeBuild', 3],
    ]);
    const prod = pipelineOf('beta').Stages.find((s: any) => s.Name === PROD_STAGE_NAME).Actions.map((a: any) => ({ category: a.ActionTypeId.Category }));
    expect(prodDeployActionIndex(prod)).toBe(1);
  });

  test('with a database: Migrate (a Lambda invoke) before Deploy; prod: after Approve, before Deploy; the prod deploy is still its last Deploy-category action', () => {
    const migrate = [MIGRATE_ACTION_NAME, 'Invoke', 'Lambda', 1];
    expect(shape('alpha', 'Dev')).toEqual([migrate, [DEPLOY_ACTION_NAME, 'Deploy', 'ECS', 2], [VERIFY_ACTION_NAME, 'Test', 'CodeBuild', 3]]);
    expect(shape('alpha', 'Staging')).toEqual(shape('alpha', 'Dev'));
    expect(shape('alpha', PROD_STAGE_NAME)).toEqual([
      [APPROVAL_ACTION_NAME, 'Approval', 'Manual', 1], [MIGRATE_ACTION_NAME, 'Invoke', 'Lambda', 2], [DEPLOY_ACTION_NAME, 'Deploy', 'ECS', 3],
      [VERIFY_ACTION_NAME, 'Test', 'CodeBuild', 4],
    ]);
    const prod = pipelineOf('alpha').Stages.find((s: any) => s.Name === PROD_STAGE_NAME).Actions.map((a: any) => ({ category: a.ActionTypeId.Category }));
    expect(prodDeployActionIndex(prod)).toBe(2);
  });

  test('deploy actions target the environment\'s service, in its account and region, as its deploy role', () => {
    const prod = pipelineOf('beta').Stages.find((s: any) => s.Name === 'Prod').Actions.find((a: any) => a.Name === 'Deploy');
    expect(prod.Configuration).toMatchObject({ ClusterName: 'springboard-beta-prod', ServiceName: 'springboard-beta-prod', DeploymentTimeout: 30 });
    expect(prod.Region).toBe(WEST);
    expect(prod.RoleArn).toBe(`arn:aws:iam::${PROD_ACCOUNT}:role/springboard-beta-prod-deploy`);
  });
});

/**
 * CodePipeline's order inside a stage: the actions of one runOrder run together, and the next
 * runOrder starts only when every one of them succeeded; a failed action fails the stage there.
 */
async function walkStage(actions: any[], run: (action: any) => Promise<'Succeeded' | 'Failed'>): Promise<{ ran: string[]; outcome: string }> {
  const ran: string[] = [];
  for (const order of [...new Set<number>(actions.map(a => a.RunOrder ?? 1))].sort((x, y) => x - y)) {
    const batch = actions.filter(a => (a.RunOrder ?? 1) === order);
    ran.push(...batch.map(a => a.Name));
    const results = await Promise.all(batch.map(run));
    if (results.includes('Failed')) return { ran, outcome: 'Failed' };
  }
  return { ran, outcome: 'Succeeded' };
}

describe('the Migrate action (docs/migrations.md)', () => {
  const stage = (id: string, name: string) => pipelineOf(id).Stages.find((s: any) => s.Name === name).Actions;
  const migrateOf = (id: string, name: string) => stage(id, name).find((a: any) => a.Name === MIGRATE_ACTION_NAME);
  const delivery = () => synth.byId['springboard-delivery-alpha'];
  const statementsOf = (t: Template, roleId: string) => resources(t, 'AWS::IAM::Policy')
    .filter(([, p]) => stringify(p.Properties.Roles).includes(roleId)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

  test('only environments with a database run it', () => {
    for (const id of ['beta', 'gamma']) {
      expect(pipelineOf(id).Stages.flatMap((s: any) => s.Actions).filter((a: any) => a.Name === MIGRATE_ACTION_NAME)).toEqual([]);
      expect(resources(synth.byId[`springboard-delivery-${id}`], 'AWS::Lambda::Function')).toEqual([]);
    }
  });

  test('its parameters: the environment\'s deploy role, cluster, service, container and migrator role; the image and command from the build\'s variables', () => {
    const prod = migrateOf('alpha', PROD_STAGE_NAME);
    expect(JSON.parse(prod.Configuration.UserParameters)).toEqual({
      deployRoleArn: `arn:aws:iam::${PROD_ACCOUNT}:role/springboard-alpha-prod-deploy`,
      region: 'us-east-1',
      cluster: 'springboard-alpha-prod',
      service: 'springboard-alpha-prod',
      containerName: 'service',
      imageUri: '#{BuildVariables.IMAGE_URI}',
      migrateCommand: '#{BuildVariables.MIGRATE_COMMAND}',
      timeoutSeconds: 1800,
      migratorTaskRoleArn: `arn:aws:iam::${PROD_ACCOUNT}:role/springboard-alpha-prod-migrator`,
      migratorUser: 'migrator',
    });
    const [functionId, fn] = one(delivery(), 'AWS::Lambda::Function') && resources(delivery(), 'AWS::Lambda::Function')[0];
    expect(prod.Configuration.FunctionName).toEqual({ Ref: functionId });
    expect(fn.Properties).toMatchObject({ FunctionName: 'springboard-alpha-migrate', Runtime: 'nodejs22.x', Handler: 'index.handler', Timeout: 60 });
    // Invoked by the pipeline role (no action role of its own), which may invoke only this function.
    expect(prod.RoleArn).toBeUndefined();
    const [pipelineRoleId] = resources(delivery(), 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'springboard-alpha-pipeline')!;
    const invoke = statementsOf(delivery(), pipelineRoleId).filter((st: any) => [st.Action].flat().includes('lambda:InvokeFunction'));
    const fnArn = { 'Fn::GetAtt': [functionId, 'Arn'] };
    expect(invoke.map((st: any) => st.Resource)).toEqual([[fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }]]);
  });

  test('the build exports the image by digest and the migrate command as pipeline variables, in the namespace the action reads', () => {
    const build = pipelineOf('alpha').Stages.find((s: any) => s.Name === 'Build').Actions[0];
    expect(build.Namespace).toBe('BuildVariables');
    const project = resources(delivery(), 'AWS::CodeBuild::Project').find(([, r]) => r.Properties.Name === 'springboard-alpha-build')![1];
    const spec = parsedSpec(project.Properties.Source.BuildSpec);
    expect(spec.env['exported-variables']).toEqual([BUILD_VARIABLES.imageUri, BUILD_VARIABLES.migrateCommand]);
    expect(spec.phases.build.commands.at(-1)).toMatch(/^export IMAGE_URI=.* MIGRATE_COMMAND=/);
  });

  test('the step\'s role: assumed by Lambda of the tooling account, it may assume exactly its team\'s deploy roles of environments with a database, under the delivery boundary', () => {
    const [roleId, role] = resources(delivery(), 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'springboard-alpha-migrate')!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': TOOLING_ACCOUNT } },
    }]);
    expect(role.Properties.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(/^BoundaryPolicy/) });
    const statements = statementsOf(delivery(), roleId);
    const assumed = statements.filter((st: any) => [st.Action].flat().includes('sts:AssumeRole')).flatMap((st: any) => [st.Resource].flat()).sort();
    expect(assumed).toEqual(['dev', 'prod', 'staging'].map(e => `arn:aws:iam::${e === 'prod' ? PROD_ACCOUNT : DEV_ACCOUNT}:role/springboard-alpha-${e}-deploy`).sort());
    const actions = statements.flatMap((st: any) => [st.Action].flat()).sort();
    expect(actions).toEqual(['codepipeline:PutJobFailureResult', 'codepipeline:PutJobSuccessResult', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sts:AssumeRole']);
  });

  test('the deploy role of an environment with a database may run, follow, stop and tag tasks of its own family on its own cluster, and pass the migrator role to ECS', () => {
    const t = synth.byId['springboard-env-alpha-dev'];
    const [roleId] = resources(t, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'springboard-alpha-dev-deploy')!;
    const bySid = Object.fromEntries(statementsOf(t, roleId).map((st: any) => [st.Sid, st]));
    const ecs = `arn:aws:ecs:us-east-1:${DEV_ACCOUNT}`;
    expect(bySid.RunMigrationTask).toEqual({
      Sid: 'RunMigrationTask',
      Effect: 'Allow',
      Action: 'ecs:RunTask',
      Resource: `${ecs}:task-definition/springboard-alpha-dev:*`,
      Condition: { ArnEquals: { 'ecs:cluster': `${ecs}:cluster/springboard-alpha-dev` } },
    });
    expect(bySid.StopMigrationTask).toMatchObject({ Action: 'ecs:StopTask', Resource: `${ecs}:task/springboard-alpha-dev/*` });
    expect(bySid.DescribeOwnTasks).toMatchObject({ Action: 'ecs:DescribeTasks', Resource: `${ecs}:task/springboard-alpha-dev/*` });
    expect(bySid.TagMigrationTask).toMatchObject({ Action: 'ecs:TagResource', Resource: `${ecs}:task/springboard-alpha-dev/*`, Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } } });
    expect(bySid.PassServiceRolesToEcs.Resource).toContain(`arn:aws:iam::${DEV_ACCOUNT}:role/springboard-alpha-dev-migrator`);
    expect(bySid.PassServiceRolesToEcs.Resource).toHaveLength(3);
    expect(bySid.PassServiceRolesToEcs.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    // Without a database, none of it.
    const betaProd = synth.byId['springboard-env-beta-prod'];
    const [betaRole] = resources(betaProd, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'springboard-beta-prod-deploy')!;
    const betaSids = statementsOf(betaProd, betaRole).map((st: any) => st.Sid);
    expect(betaSids.filter((sid: string) => /Migration/.test(sid))).toEqual([]);
    expect(stringify(statementsOf(betaProd, betaRole))).not.toContain('ecs:RunTask');
  });

  test('the migration timeout is the construct\'s to set, within CodePipeline\'s 24 hours for a Lambda invoke action', () => {
    const pipelineWith = (migrationTimeout: Duration) => {
      const stack = new Stack(createApp(), 'Delivery', { env: { account: TOOLING_ACCOUNT, region: 'us-east-1' } });
      const key = new Key(stack, 'Key');
      new TeamPipeline(stack, 'Pipeline', {
        team: alpha,
        platform: platformSettings(),
        repository: new Repository(stack, 'Images'),
        key,
        artifactStores: { 'us-east-1': new Bucket(stack, 'Artifacts', { encryptionKey: key }) },
        logRetention: RetentionDays.ONE_YEAR,
        migrationTimeout,
      });
      return AssertionTemplate.fromStack(stack);
    };
    const [pipeline] = Object.values<any>(pipelineWith(Duration.minutes(45)).findResources('AWS::CodePipeline::Pipeline'));
    const migrate = pipeline.Properties.Stages.find((st: any) => st.Name === 'Dev').Actions.find((a: any) => a.Name === MIGRATE_ACTION_NAME);
    expect(JSON.parse(migrate.Configuration.UserParameters).timeoutSeconds).toBe(2700);
    expect(() => pipelineWith(Duration.hours(24))).toThrow('migrationTimeout must be between 1 minute and 23 hours (CodePipeline ends a Lambda invoke action after 24 hours), received 1 day');
  });

  describe('the failure path, walked through the synthesized stage with the real step (mocked ECS and CodePipeline)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = require(MIGRATE_HANDLER_DIR) as { handle: (event: unknown, deps?: object) => Promise<unknown> };
    const pipelineApi = mockClient(CodePipelineClient);
    const ecs = mockClient(ECSClient);
    const TASK = `arn:aws:ecs:us-east-1:${DEV_ACCOUNT}:task/springboard-alpha-dev/0123`;
    const variables: Record<string, string> = {
      'BuildVariables.IMAGE_URI': `${TOOLING_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/springboard/alpha@sha256:${'b'.repeat(64)}`,
      'BuildVariables.MIGRATE_COMMAND': Buffer.from(JSON.stringify(['npm', 'run', 'migrate'])).toString('base64'),
    };

    /** The migration task exits with `exitCode` on the second look. */
    function ecsWhereTaskExits(exitCode: number): void {
      ecs.reset();
      ecs.on(DescribeServicesCommand).resolves({ services: [{ taskDefinition: 'td:1', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } }] });
      ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { family: 'springboard-alpha-dev', containerDefinitions: [{ name: 'service', image: 'old' }] }, tags: [{ key: 'Team', value: 'alpha' }] });
      ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: 'td:2' } });
      ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }] });
      ecs.on(DescribeTasksCommand)
        .resolvesOnce({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING', containers: [{ name: 'service' }] }] })
        .resolves({ tasks: [{ taskArn: TASK, lastStatus: 'STOPPED', containers: [{ name: 'service', exitCode }] }] });
    }

    /** CodePipeline's side of a Lambda invoke action: variables resolved, called again while the job returns a continuation token. */
    async function invoke(action: any, exported = variables): Promise<'Succeeded' | 'Failed'> {
      const parameters = String(action.Configuration.UserParameters).replace(/#\{(\w+\.\w+)\}/g, (_, name: string) => exported[name]);
      let continuationToken: string | undefined;
      for (let call = 0; call < 5; call++) {
        pipelineApi.reset();
        pipelineApi.onAnyCommand().resolves({});
        const job = { id: `job-${call}`, data: { actionConfiguration: { configuration: { UserParameters: parameters } }, continuationToken } };
        await handler.handle({ 'CodePipeline.job': job }, { ecsFor: async () => new ECSClient({ region: 'us-east-1' }) });
        if (pipelineApi.commandCalls(PutJobFailureResultCommand).length > 0) return 'Failed';
        continuationToken = pipelineApi.commandCalls(PutJobSuccessResultCommand)[0].args[0].input.continuationToken;
        if (!continuationToken) return 'Succeeded';
      }
      throw new Error('the step never finished');
    }
    const run = (action: any) => (action.ActionTypeId.Provider === 'Lambda' ? invoke(action) : Promise.resolve('Succeeded' as const));

    test('a migration that exits non-zero fails the stage at Migrate: the Deploy action is never reached, in dev and after the prod approval', async () => {
      for (const name of ['Dev', PROD_STAGE_NAME]) {
        ecsWhereTaskExits(1);
        const walked = await walkStage(stage('alpha', name), run);
        expect({ name, ...walked }).toEqual({ name, ran: name === 'Dev' ? [MIGRATE_ACTION_NAME] : [APPROVAL_ACTION_NAME, MIGRATE_ACTION_NAME], outcome: 'Failed' });
        expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(1);
      }
    });

    test('a migration that exits 0 lets the stage go on to Deploy, then Verify', async () => {
      ecsWhereTaskExits(0);
      expect(await walkStage(stage('alpha', 'Dev'), run)).toEqual({ ran: [MIGRATE_ACTION_NAME, DEPLOY_ACTION_NAME, VERIFY_ACTION_NAME], outcome: 'Succeeded' });
      expect(ecs.commandCalls(RunTaskCommand)[0].args[0].input.taskDefinition).toBe('td:2');
    });

    test('a repository without a migrate command: the step runs nothing and the stage goes on to Deploy', async () => {
      ecsWhereTaskExits(1);
      const none = { ...variables, 'BuildVariables.MIGRATE_COMMAND': '' };
      const walked = await walkStage(stage('alpha', 'Dev'), a => (a.ActionTypeId.Provider === 'Lambda' ? invoke(a, none) : Promise.resolve('Succeeded' as const)));
      expect(walked).toEqual({ ran: [MIGRATE_ACTION_NAME, DEPLOY_ACTION_NAME, VERIFY_ACTION_NAME], outcome: 'Succeeded' });
      expect(ecs.calls()).toHaveLength(0);
    });

    test('the failed execution notifies like a failed deploy: the pipelineFailed rule matches it and targets the delivery topic', () => {
      // An event pattern matches when each of its fields lists the event's value (EventBridge's exact-match form).
      const matches = (pattern: any, event: any): boolean => Object.entries(pattern).every(([key, want]) => (Array.isArray(want)
        ? want.includes(event?.[key]) : matches(want, event?.[key])));
      const failedAtMigrate = {
        'source': 'aws.codepipeline',
        'detail-type': 'CodePipeline Pipeline Execution State Change',
        'detail': { 'pipeline': 'springboard-alpha', 'state': 'FAILED', 'execution-id': 'e-1' },
      };
      const routed = resources(delivery(), 'AWS::Events::Rule').filter(([, r]) => matches(r.Properties.EventPattern, failedAtMigrate));
      expect(routed).toHaveLength(1);
      const [topicId] = resources(delivery(), 'AWS::SNS::Topic')[0];
      expect(routed[0][1].Properties.Targets.map((t: any) => t.Arn)).toContainEqual({ Ref: topicId });
    });

    test('mutation: Migrate at the Deploy action\'s runOrder (in parallel), the failing migration no longer keeps Deploy from running', async () => {
      ecsWhereTaskExits(1);
      const deployOrder = stage('alpha', 'Dev').find((a: any) => a.Name === DEPLOY_ACTION_NAME).RunOrder;
      const parallel = stage('alpha', 'Dev').map((a: any) => (a.Name === MIGRATE_ACTION_NAME ? { ...a, RunOrder: deployOrder } : a));
      const walked = await walkStage(parallel, run);
      expect(walked.outcome).toBe('Failed');
      expect(walked.ran).toContain(DEPLOY_ACTION_NAME);
    });
  });
});

describe('source: a push to the configured branch, never polling', () => {
  test('CodeConnections: a V2 push trigger on the branch; change detection off', () => {
    for (const [id, branch] of [['alpha', 'main'], ['beta', 'release']]) {
      const p = pipelineOf(id);
      const source = p.Stages[0].Actions[0];
      expect(source.ActionTypeId).toMatchObject({ Category: 'Source', Provider: 'CodeStarSourceConnection' });
      expect(source.Configuration).toMatchObject({ BranchName: branch, DetectChanges: false });
      expect(p.Triggers).toEqual([{ ProviderType: 'CodeStarSourceConnection', GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: [branch] } }] } }]);
    }
    expect(pipelineOf('beta').Stages[0].Actions[0].Configuration.FullRepositoryId).toBe('state/sub/beta');
  });

  test('CodeCommit: PollForSourceChanges false and an EventBridge rule on the branch', () => {
    const source = pipelineOf('gamma').Stages[0].Actions[0];
    expect(source.Configuration).toMatchObject({ RepositoryName: 'gamma-service', BranchName: 'main', PollForSourceChanges: false });
    const rules = resources(synth.byId['springboard-delivery-gamma'], 'AWS::Events::Rule').map(([, r]) => r.Properties.EventPattern);
    expect(rules).toContainEqual(expect.objectContaining({ 'source': ['aws.codecommit'], 'detail-type': ['CodeCommit Repository State Change'], 'detail': expect.objectContaining({ referenceName: ['main'] }) }));
  });

  test('no source action of any pipeline polls', () => {
    for (const t of teams) {
      const config = pipelineOf(t.id).Stages[0].Actions[0].Configuration;
      expect([config.PollForSourceChanges, config.DetectChanges].filter(v => v === true)).toEqual([]);
    }
  });
});

describe('build: the platform\'s buildspec', () => {
  const build = () => resources(synth.byId['springboard-delivery-alpha'], 'AWS::CodeBuild::Project').map(([, r]) => r.Properties).find(p => p.Name === 'springboard-alpha-build');

  test('is inline in the project (no buildspec file of the repository), with the security steps', () => {
    const p = build();
    expect(p.Source.Type).toBe('CODEPIPELINE');
    const spec = specText(p.Source.BuildSpec);
    expect(parsedSpec(p.Source.BuildSpec).version).toBe('0.2');
    for (const step of ['npm ci && npm test', 'test-reports/junit.xml', 'docker push "$image"', 'imageTag="$COMMIT_ID"', 'describe-image-scan-findings',
      'bin/syft" scan "registry:', 'cyclonedx-json=', 'imagedefinitions.json', 'release.json', 'sbom.cdx.json', 'JUNITXML']) {
      expect({ step, found: spec.includes(step) }).toEqual({ step, found: true });
    }
    // Order: tests, image, scan gate, then the deploy artifact.
    const at = (s: string) => spec.indexOf(s);
    expect(at('npm ci && npm test')).toBeLessThan(at('docker push'));
    expect(at('docker push')).toBeLessThan(at('describe-image-scan-findings'));
    expect(at('describe-image-scan-findings')).toBeLessThan(at('imagedefinitions.json'));
    const vars = Object.fromEntries(p.Environment.EnvironmentVariables.map((v: any) => [v.Name, v.Value]));
    expect(vars).toMatchObject({ TEAM_ID: 'alpha', BLOCKING_SEVERITIES: 'CRITICAL,HIGH' });
    expect(p.Environment.PrivilegedMode).toBe(true);
    expect(p.EncryptionKey).toBeDefined();
  });

  test('the build action passes the commit id; test reports go to a CodeBuild report group', () => {
    const action = pipelineOf('alpha').Stages[1].Actions[0];
    expect(JSON.parse(action.Configuration.EnvironmentVariables)).toEqual([{ name: 'COMMIT_ID', type: 'PLAINTEXT', value: '#{SourceVariables.CommitId}' }]);
    const groups = resources(synth.byId['springboard-delivery-alpha'], 'AWS::CodeBuild::ReportGroup').map(([, r]) => r.Properties);
    // The build's, and the pull-request checks' (docs/pull-requests.md).
    expect(groups.map(g => g.Name).sort()).toEqual(['springboard-alpha-build-tests', 'springboard-alpha-pull-requests-tests']);
    expect(groups.every(g => g.Type === 'TEST')).toBe(true);
  });

  test('build, verify and pull-request logs are encrypted and retained', () => {
    const groups = resources(synth.byId['springboard-delivery-alpha'], 'AWS::Logs::LogGroup').map(([, r]) => r.Properties);
    expect(groups.map(g => g.LogGroupName).sort()).toEqual(['build', 'migrate', 'pull-requests', 'verify'].map(p => `/springboard/alpha/delivery/${p}`));
    for (const g of groups) {
      expect(g.KmsKeyId).toBeDefined();
      expect(g.RetentionInDays).toBeGreaterThanOrEqual(365);
    }
  });

  test('the build role can push only to the team\'s repository and cannot assume any role', () => {
    const t = synth.byId['springboard-delivery-alpha'];
    const [buildRoleId] = resources(t, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'springboard-alpha-build')!;
    const statements = resources(t, 'AWS::IAM::Policy').filter(([, p]) => stringify(p.Properties.Roles).includes(buildRoleId)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap(s => [s.Action].flat())).not.toContain('sts:AssumeRole');
    const push = statements.find(s => [s.Action].flat().includes('ecr:PutImage'));
    expect(stringify(push.Resource)).toContain('ImagesRepository');
  });
});

describe('verify: a smoke check of the health path that fails the stage', () => {
  test('runs the platform\'s verify project with the environment\'s target', () => {
    const verify = pipelineOf('beta').Stages.find((s: any) => s.Name === 'Staging').Actions.find((a: any) => a.Name === 'Verify');
    const vars = Object.fromEntries(JSON.parse(verify.Configuration.EnvironmentVariables).map((v: any) => [v.name, v.value]));
    expect(vars).toEqual({
      ENVIRONMENT_NAME: 'staging',
      DEPLOY_ROLE_ARN: `arn:aws:iam::${DEV_ACCOUNT}:role/springboard-beta-staging-deploy`,
      TARGET_REGION: WEST,
      CLUSTER: 'springboard-beta-staging',
      SERVICE: 'springboard-beta-staging',
      RELEASE_PARAMETER: '/springboard/beta/staging/release',
      HEALTH_CHECK_PATH: '/health',
      DESIRED_COUNT: '1',
      HTTPS: 'false',
      LOAD_BALANCER_REACHABLE: 'false',
    });
    const devVerify = pipelineOf('beta').Stages.find((s: any) => s.Name === 'Dev').Actions.find((a: any) => a.Name === 'Verify');
    expect(JSON.parse(devVerify.Configuration.EnvironmentVariables)).toEqual(expect.arrayContaining([
      { name: 'HTTPS', type: 'PLAINTEXT', value: 'true' }, { name: 'LOAD_BALANCER_REACHABLE', type: 'PLAINTEXT', value: 'true' },
    ]));
    const project = resources(synth.byId['springboard-delivery-beta'], 'AWS::CodeBuild::Project').map(([, r]) => r.Properties).find(p => p.Name === 'springboard-beta-verify');
    const spec = specText(project.Source.BuildSpec);
    const at = (s: string) => spec.indexOf(s);
    for (const s of ['aws ecs wait services-stable', 'describe-target-health', 'curl', 'put-parameter']) expect(at(s)).toBeGreaterThan(0);
    // The release is recorded only after the health path answered (or, where CodeBuild cannot reach the load balancer, after every target is healthy).
    expect(at('smoke check: $url answered')).toBeLessThan(at('put-parameter'));
    expect(at('describe-target-health')).toBeLessThan(at('LOAD_BALANCER_REACHABLE'));
    expect(spec).toMatch(/the release is not healthy[^;]*; head -c 2000 \/tmp\/health.out \|\| true; exit 1/);
  });
});

describe('artifact stores and keys', () => {
  test('every region a team deploys to has a KMS-encrypted store; other regions live in the tooling account\'s regional stack', () => {
    const stores = pipelineOf('beta').ArtifactStores.map((s: any) => [s.Region, s.ArtifactStore.EncryptionKey.Type]);
    expect(stores.sort()).toEqual([['us-east-1', 'KMS'], [WEST, 'KMS']]);
    const west = pipelineOf('beta').ArtifactStores.find((s: any) => s.Region === WEST).ArtifactStore;
    expect(stringify(west.EncryptionKey.Id)).toContain(`:kms:${WEST}:${TOOLING_ACCOUNT}:alias/springboard-beta-delivery`);
    const regional = synth.byId[`springboard-delivery-beta--${WEST}`];
    expect(one(regional, 'AWS::KMS::Alias').Properties.AliasName).toBe('alias/springboard-beta-delivery');
    expect(one(regional, 'AWS::KMS::Key').Properties.EnableKeyRotation).toBe(true);
    const bucket = one(regional, 'AWS::S3::Bucket').Properties;
    expect(bucket.BucketName).toBe(west.Location);
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(synth.byId).not.toHaveProperty(`springboard-delivery-alpha--${WEST}`);
  });

  test('readers are the team\'s own deploy roles in that region, by account and principal ARN; reads only, and keys only through S3', () => {
    const policy = one(synth.byId[`springboard-delivery-beta--${WEST}`], 'AWS::S3::BucketPolicy').Properties.PolicyDocument.Statement;
    const reads = policy.filter((s: any) => s.Sid?.startsWith('ReadArtifacts'));
    expect(reads.map((s: any) => [s.Principal.AWS, s.Action, s.Condition.ArnEquals['aws:PrincipalArn']])).toEqual([
      [`arn:aws:iam::${DEV_ACCOUNT}:root`, ['s3:GetObject', 's3:GetObjectVersion'], [`arn:aws:iam::${DEV_ACCOUNT}:role/springboard-beta-staging-deploy`]],
      [`arn:aws:iam::${PROD_ACCOUNT}:root`, ['s3:GetObject', 's3:GetObjectVersion'], [`arn:aws:iam::${PROD_ACCOUNT}:role/springboard-beta-prod-deploy`]],
    ]);
    const key = one(synth.byId[`springboard-delivery-beta--${WEST}`], 'AWS::KMS::Key').Properties.KeyPolicy.Statement;
    const decrypt = key.filter((s: any) => s.Sid?.startsWith('DecryptArtifacts'));
    expect(decrypt).toHaveLength(2);
    for (const s of decrypt) expect(s.Condition.StringEquals['kms:ViaService']).toBe(`s3.${WEST}.amazonaws.com`);
    // The tooling-region store of beta has only the dev environment as reader.
    const east = one(synth.byId['springboard-delivery-beta'], 'AWS::S3::BucketPolicy').Properties.PolicyDocument.Statement.filter((s: any) => s.Sid?.startsWith('ReadArtifacts'));
    expect(east.map((s: any) => s.Condition.ArnEquals['aws:PrincipalArn'])).toEqual([[`arn:aws:iam::${DEV_ACCOUNT}:role/springboard-beta-dev-deploy`]]);
  });
});

describe('deploy roles in the environment accounts', () => {
  const deployRole = (id: string, env: string) => resources(synth.byId[`springboard-env-${id}-${env}`], 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === `springboard-${id}-${env}-deploy`)!;

  test.each([['alpha', 'dev'], ['beta', 'prod'], ['gamma', 'prod']])('%s %s: deterministic name, trusts only the tooling account\'s pipeline role by ARN (and, with a database, the Migrate step\'s), bounded', (id, env) => {
    const [, role] = deployRole(id, env);
    const pipelineRole = `arn:aws:iam::${TOOLING_ACCOUNT}:role/springboard-${id}-pipeline`;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${TOOLING_ACCOUNT}:root` },
      Condition: { ArnEquals: { 'aws:PrincipalArn': id === 'alpha' ? [pipelineRole, `arn:aws:iam::${TOOLING_ACCOUNT}:role/springboard-alpha-migrate`] : pipelineRole } },
    }]);
    expect(stringify(role.Properties.PermissionsBoundary)).toContain('springboard-team-boundary');
    expect(role.Properties.MaxSessionDuration).toBe(3600);
  });

  test('least privilege: its own service, task family and release record; no star on star', () => {
    const [roleId] = deployRole('beta', 'prod');
    const t = synth.byId['springboard-env-beta-prod'];
    const statements = resources(t, 'AWS::IAM::Policy').filter(([, p]) => stringify(p.Properties.Roles).includes(roleId)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.RollOutService.Resource).toBe(`arn:aws:ecs:${WEST}:${PROD_ACCOUNT}:service/springboard-beta-prod/springboard-beta-prod`);
    expect(bySid.WriteOwnReleaseRecord.Resource).toBe(`arn:aws:ssm:${WEST}:${PROD_ACCOUNT}:parameter/springboard/beta/prod/release`);
    expect(bySid.PassServiceRolesToEcs.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(bySid.ReadPipelineArtifacts.Condition).toEqual({ StringEquals: { 's3:ResourceAccount': TOOLING_ACCOUNT } });
    for (const s of statements) expect([s.Action].flat().includes('*') && [s.Resource].flat().includes('*')).toBe(false);
  });

  test('the environment\'s ECS service carries the name the pipeline deploys to', () => {
    expect(one(synth.byId['springboard-env-gamma-prod'], 'AWS::ECS::Service').Properties.ServiceName).toBe('springboard-gamma-prod');
  });
});

describe('the pipeline role', () => {
  test('is named by the contract and assumable by CodePipeline and, for the Verify project only, by CodeBuild', () => {
    const role = resources(synth.byId['springboard-delivery-alpha'], 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'springboard-alpha-pipeline')![1];
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.map((s: any) => s.Principal.Service).sort()).toEqual(['codebuild.amazonaws.com', 'codepipeline.amazonaws.com']);
    const codebuild = trust.find((s: any) => s.Principal.Service === 'codebuild.amazonaws.com');
    expect(stringify(codebuild.Condition.ArnEquals['aws:SourceArn'])).toContain(':project/springboard-alpha-verify');
    expect(role.Properties.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(/^BoundaryPolicy/) });
  });

  test('the pipeline\'s roles carry the team\'s delivery boundary: the team boundary\'s isolation plus running a pipeline', () => {
    const t = synth.byId['springboard-delivery-alpha'];
    const [boundaryId, boundary] = resources(t, 'AWS::IAM::ManagedPolicy').find(([, p]) => p.Properties.ManagedPolicyName === 'springboard-alpha-delivery-boundary')!;
    const sids = boundary.Properties.PolicyDocument.Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(['DenyOtherTeamsResources', 'DenyRolesOfOthers', 'DenyTeamTagChanges', 'DenyIamWrites', 'AllowTeamPipeline']));
    const allowed = boundary.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'AllowTeamPipeline').Action;
    expect(allowed).toEqual(expect.arrayContaining(['codebuild:StartBuild', 'sts:AssumeRole', 'codeconnections:UseConnection']));
    for (const [, role] of resources(t, 'AWS::IAM::Role')) expect(role.Properties.PermissionsBoundary).toEqual({ Ref: boundaryId });
  });

  test('may assume exactly its own team\'s deploy roles', () => {
    const t = synth.byId['springboard-delivery-beta'];
    const assumed = resources(t, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes('sts:AssumeRole')).flatMap((s: any) => [s.Resource].flat()).sort();
    expect(assumed).toEqual(['dev', 'prod', 'staging'].map(e => `arn:aws:iam::${e === 'prod' ? PROD_ACCOUNT : DEV_ACCOUNT}:role/springboard-beta-${e}-deploy`).sort());
  });
});

describe('approval and notifications', () => {
  test('the prod approval notifies the team\'s delivery topic and links the revision', () => {
    const approve = pipelineOf('alpha').Stages.find((s: any) => s.Name === 'Prod').Actions[0];
    expect(approve.Configuration.ExternalEntityLink).toBe('https://github.com/example-state/alpha/commit/#{SourceVariables.CommitId}');
    expect(approve.Configuration.CustomData).toContain('#{SourceVariables.CommitId}');
    const [topicId, topic] = resources(synth.byId['springboard-delivery-alpha'], 'AWS::SNS::Topic')[0];
    expect(approve.Configuration.NotificationArn).toEqual({ Ref: topicId });
    expect(topic.Properties.TopicName).toBe('springboard-alpha-delivery');
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(pipelineOf('beta').Stages.find((s: any) => s.Name === 'Prod').Actions[0].Configuration.ExternalEntityLink).toBe('https://gitlab.com/state/sub/beta/-/commit/#{SourceVariables.CommitId}');
  });

  test('failures and prod releases reach the topic; the owner and on-call are subscribed', () => {
    const t = synth.byId['springboard-delivery-alpha'];
    const patterns = resources(t, 'AWS::Events::Rule').map(([, r]) => r.Properties.EventPattern);
    const failures = patterns.filter((p: any) => p['detail-type']?.[0] === 'CodePipeline Pipeline Execution State Change');
    // Exactly one failure route (the observability layer's named rule), so a failure notifies once.
    expect(failures).toEqual([expect.objectContaining({ detail: { pipeline: ['springboard-alpha'], state: ['FAILED'] } })]);
    expect(patterns).toContainEqual(expect.objectContaining({ 'detail-type': ['CodePipeline Stage Execution State Change'], 'detail': { stage: ['Prod'], state: ['SUCCEEDED'] } }));
    expect(resources(t, 'AWS::SNS::Subscription').map(([, s]) => s.Properties.Endpoint).sort()).toEqual(['oncall+alpha@example.gov', 'owner+alpha@example.gov']);
  });
});

describe('first deploy into empty accounts', () => {
  test('each baseline creates the release records of the environments in its account and region, never overwriting', () => {
    const records = (account: string, region: string) => {
      const list = resources(synth.byId[`springboard-baseline-${account}-${region}`], RELEASE_RECORDS_RESOURCE_TYPE);
      expect(list).toHaveLength(1);
      return list[0][1].Properties.Records as { Name: string; Team: string }[];
    };
    const west = records(PROD_ACCOUNT, WEST);
    expect(west.map(c => c.Name)).toEqual(['/springboard/beta/prod/release', '/springboard/gamma/prod/release']);
    expect(west.map(c => c.Team)).toEqual(['beta', 'gamma']);
    expect(records(DEV_ACCOUNT, 'us-east-1').map(c => c.Name)).toEqual([
      '/springboard/alpha/dev/release', '/springboard/alpha/staging/release', '/springboard/beta/dev/release', '/springboard/gamma/dev/release',
    ]);
    expect(UNRELEASED_VALUE).toBe(UNRELEASED);
  });

  test('the records\' function roles carry the boundary; the records function may only put release records, never overwriting', () => {
    const t = synth.byId[`springboard-baseline-${PROD_ACCOUNT}-${WEST}`];
    const roles = resources(t, 'AWS::IAM::Role').filter(([, r]) => stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'));
    // The records function and the provider framework's function.
    expect(roles).toHaveLength(2);
    for (const [, role] of roles) expect(stringify(role.Properties.PermissionsBoundary)).toContain('springboard-platform-boundary');
    const statements = resources(t, 'AWS::IAM::Policy').filter(([, p]) => roles.some(([id]) => stringify(p.Properties.Roles).includes(id)))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('ssm:')));
    expect([...new Set(statements.flatMap(s => [s.Action].flat()))].sort()).toEqual(['ssm:AddTagsToResource', 'ssm:PutParameter']);
    expect(statements.flatMap(s => [s.Resource].flat()).map(stringify).every(r => r.includes('parameter/springboard/'))).toBe(true);
    expect(statements.every(s => s.Condition?.StringNotEquals?.['ssm:Overwrite'] === 'true')).toBe(true);
  });

  test('deploy order: environments and regional stores before the delivery stack; no CloudFormation exports anywhere', () => {
    const deps = (id: string) => synth.manifest.artifacts[id].dependencies as string[];
    expect(deps('springboard-delivery-beta')).toEqual(expect.arrayContaining([
      'springboard-baseline-111111111111-us-east-1', `springboard-delivery-beta--${WEST}`,
      'springboard-env-beta-dev', 'springboard-env-beta-staging', 'springboard-env-beta-prod',
    ]));
    expect(deps(`springboard-delivery-beta--${WEST}`)).toContain(`springboard-baseline-${TOOLING_ACCOUNT}-${WEST}`);
    for (const [id, t] of Object.entries(synth.byId)) {
      expect({ id, imports: stringify(t).includes('Fn::ImportValue'), exports: Object.values(t.Outputs ?? {}).some((o: any) => o.Export) }).toEqual({ id, imports: false, exports: false });
    }
  });

  test('delivery stacks are termination-protected and deploy to the tooling account', () => {
    for (const id of ['springboard-delivery-alpha', `springboard-delivery-beta--${WEST}`]) {
      const props = synth.manifest.artifacts[id].properties;
      expect(props.terminationProtection).toBe(true);
      expect(synth.manifest.artifacts[id].environment).toMatch(new RegExp(`^aws://${TOOLING_ACCOUNT}/`));
    }
    expect(synth.manifest.artifacts[`springboard-delivery-beta--${WEST}`].properties.stackName).toBe('springboard-delivery-beta');
  });
});

test('nothing cross-team: no team\'s templates name another team', () => {
  for (const [id, t] of Object.entries(synth.byId)) {
    const owner = teams.find(x => id.includes(`-${x.id}`));
    if (!owner) continue;
    const text = stringify(t);
    for (const other of teams.filter(x => x !== owner)) {
      expect({ id, other: other.id, named: new RegExp(`springboard[-/]${other.id}\\b|/${other.id}/`).test(text) }).toEqual({ id, other: other.id, named: false });
    }
  }
});
