/**
 * The pipeline's Migrate action, run against mocked CodePipeline, STS and ECS clients
 * (aws-sdk-client-mock): the one-off task in the service's subnets with the command override, then
 * success on exit code 0, failure on any other exit, on a task that cannot start, and on a timeout
 * (the task is stopped). A failure is reported to CodePipeline as a job failure, which fails the
 * stage before its Deploy action.
 */
import * as path from 'node:path';
import { CodePipelineClient, PutJobFailureResultCommand, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import {
  DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

interface Outcome {
  readonly kind: string;
  readonly message?: string;
  readonly token?: { taskArn: string; startedAt: number };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const migrate = require(path.join(__dirname, '..', '..', 'lib', 'delivery', 'migrate-handler')) as {
  handle: (event: unknown, deps?: { now?: () => number }) => Promise<Outcome>;
};

const pipeline = mockClient(CodePipelineClient);
// The STS client's release carries another copy of @smithy/types; its mock is typed loosely.
interface LooseMock {
  reset(): void;
  on(command: unknown): { resolves(value: unknown): void };
  commandCalls(command: unknown): Array<{ args: [{ input: { RoleArn?: string } }] }>;
  calls(): unknown[];
}
const sts = mockClient(STSClient as unknown as Parameters<typeof mockClient>[0]) as unknown as LooseMock;
const ecs = mockClient(ECSClient);

const TASK_ARN = 'arn:aws:ecs:us-east-1:222222222222:task/springboard-a-dev/0123456789abcdef';
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/springboard/a@sha256:' + 'a'.repeat(64);
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-private-1', 'subnet-private-2'], securityGroups: ['sg-service'], assignPublicIp: 'DISABLED' as const } };
const COMMAND = ['npm', 'run', 'migrate'];
const PARAMETERS = {
  deployRoleArn: 'arn:aws:iam::222222222222:role/springboard-a-dev-deploy',
  region: 'us-east-1',
  cluster: 'springboard-a-dev',
  service: 'springboard-a-dev',
  containerName: 'service',
  imageUri: IMAGE,
  migrateCommand: Buffer.from(JSON.stringify(COMMAND)).toString('base64'),
  timeoutSeconds: 600,
  migratorTaskRoleArn: 'arn:aws:iam::222222222222:role/springboard-a-dev-migrator',
  migratorUser: 'migrator',
};

function jobEvent(parameters: object = PARAMETERS, continuationToken?: object) {
  return {
    'CodePipeline.job': {
      id: 'job-1',
      data: {
        actionConfiguration: { configuration: { UserParameters: JSON.stringify(parameters) } },
        continuationToken: continuationToken && JSON.stringify(continuationToken),
      },
    },
  };
}

beforeEach(() => {
  pipeline.reset();
  sts.reset();
  ecs.reset();
  pipeline.onAnyCommand().resolves({});
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date() } });
  ecs.on(DescribeServicesCommand).resolves({ services: [{ taskDefinition: 'arn:aws:ecs:us-east-1:222222222222:task-definition/springboard-a-dev:7', networkConfiguration: NETWORK }] });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      family: 'springboard-a-dev',
      taskRoleArn: 'arn:aws:iam::222222222222:role/app-task-role',
      executionRoleArn: 'arn:aws:iam::222222222222:role/execution-role',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{
        name: 'service',
        image: 'old-image',
        environment: [{ name: 'DATABASE_USER', value: 'app' }, { name: 'PORT', value: '8080' }],
        secrets: [{ name: 'PARTNER_API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:222222222222:parameter/a/partner-api-key' }],
      }],
    },
    tags: [{ key: 'Team', value: 'a' }],
  });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:us-east-1:222222222222:task-definition/springboard-a-dev:8' } });
  ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN }] });
});

const stopped = (exitCode: number | undefined, stoppedReason = 'Essential container in task exited') =>
  ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'STOPPED', stoppedReason, containers: [{ name: 'service', exitCode }] }] });

describe('first invocation: the one-off task starts', () => {
  test('as the environment\'s deploy role, the released image with the command override, in the service\'s subnets and security groups', async () => {
    const outcome = await migrate.handle(jobEvent(), { now: () => 1_000_000 });
    expect(outcome).toEqual({ kind: 'running', token: { taskArn: TASK_ARN, startedAt: 1_000_000 } });
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(PARAMETERS.deployRoleArn);
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
    expect(registered.family).toBe('springboard-a-dev');
    expect(registered.containerDefinitions![0].image).toBe(IMAGE);
    // The migrator identity: its task role and database user; the execution role (and so the secrets) stay.
    expect(registered.taskRoleArn).toBe(PARAMETERS.migratorTaskRoleArn);
    expect(registered.executionRoleArn).toBe('arn:aws:iam::222222222222:role/execution-role');
    expect(registered.containerDefinitions![0].environment).toEqual([{ name: 'PORT', value: '8080' }, { name: 'DATABASE_USER', value: 'migrator' }]);
    expect(registered.containerDefinitions![0].secrets).toEqual([{ name: 'PARTNER_API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:222222222222:parameter/a/partner-api-key' }]);
    const run = ecs.commandCalls(RunTaskCommand)[0].args[0].input;
    expect(run).toMatchObject({
      cluster: 'springboard-a-dev',
      taskDefinition: 'arn:aws:ecs:us-east-1:222222222222:task-definition/springboard-a-dev:8',
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      overrides: { containerOverrides: [{ name: 'service', command: COMMAND }] },
      startedBy: 'springboard-migrate',
      // The boundary refuses ecs:RunTask without the team's tag in the request.
      tags: [{ key: 'Team', value: 'a' }],
    });
    // CodePipeline is asked to call again with the task to follow.
    expect(pipeline.commandCalls(PutJobSuccessResultCommand)[0].args[0].input).toEqual({ jobId: 'job-1', continuationToken: JSON.stringify(outcome.token) });
    expect(pipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(0);
  });

  test('a task ECS cannot start fails the action with ECS\'s reason', async () => {
    ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: 'RESOURCE:ENI', detail: 'no free addresses' }] });
    expect(await migrate.handle(jobEvent())).toEqual({ kind: 'failed', message: 'the migration task did not start: RESOURCE:ENI (no free addresses)' });
    expect(pipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails).toEqual({
      type: 'JobFailed', message: 'the migration task did not start: RESOURCE:ENI (no free addresses)',
    });
  });

  test('an ECS error (the deploy role refused, say) fails the action instead of throwing', async () => {
    ecs.on(RunTaskCommand).rejects(new Error('AccessDeniedException: not authorized to perform ecs:RunTask'));
    const outcome = await migrate.handle(jobEvent());
    expect(outcome.kind).toBe('failed');
    expect(pipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain('not authorized to perform ecs:RunTask');
  });

  test('no migrate command in springboard.json: nothing runs and the action succeeds', async () => {
    const outcome = await migrate.handle(jobEvent({ ...PARAMETERS, migrateCommand: '' }));
    expect(outcome.kind).toBe('succeeded');
    expect(ecs.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
  });

  test('an image not named by digest (a tag, an unresolved pipeline variable) fails the action before anything runs', async () => {
    for (const imageUri of [IMAGE.replace(/@sha256:.*$/, ':latest'), '#{BuildVariables.IMAGE_URI}']) {
      const outcome = await migrate.handle(jobEvent({ ...PARAMETERS, imageUri }));
      expect(outcome).toEqual({ kind: 'failed', message: expect.stringContaining(`imageUri must name the released image by digest (<repository>@sha256:<64 hex>), received "${imageUri}"`) });
    }
    expect(ecs.calls()).toHaveLength(0);
    expect(pipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(2);
  });

  test('a migrate command that is not an array of strings fails the action with what was expected', async () => {
    const outcome = await migrate.handle(jobEvent({ ...PARAMETERS, migrateCommand: Buffer.from('"npm run migrate"').toString('base64') }));
    expect(outcome).toEqual({ kind: 'failed', message: expect.stringContaining('migrate must be a non-empty array of strings (exec form), like ["npm", "run", "migrate"]') });
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
  });
});

describe('continuations: the task is followed until it stops', () => {
  const token = { taskArn: TASK_ARN, startedAt: 1_000_000 };

  test('still running within the timeout: asked to call again, same token', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'RUNNING', containers: [{ name: 'service' }] }] });
    const outcome = await migrate.handle(jobEvent(PARAMETERS, token), { now: () => 1_000_000 + 60_000 });
    expect(outcome).toEqual({ kind: 'running', token });
    expect(pipeline.commandCalls(PutJobSuccessResultCommand)[0].args[0].input.continuationToken).toBe(JSON.stringify(token));
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
  });

  test('exit code 0: the action succeeds, and the stage goes on to its Deploy action', async () => {
    stopped(0);
    const outcome = await migrate.handle(jobEvent(PARAMETERS, token), { now: () => 1_000_000 + 60_000 });
    expect(outcome.kind).toBe('succeeded');
    expect(pipeline.commandCalls(PutJobSuccessResultCommand)[0].args[0].input).toEqual({
      jobId: 'job-1', executionDetails: { summary: `migration ${TASK_ARN} finished (exit code 0)` },
    });
  });

  test('a non-zero exit fails the action (the Deploy action does not run)', async () => {
    stopped(3);
    const outcome = await migrate.handle(jobEvent(PARAMETERS, token), { now: () => 1_000_000 + 60_000 });
    expect(outcome).toEqual({
      kind: 'failed',
      message: `migration ${TASK_ARN} failed: exit code 3 (Essential container in task exited); the deploy did not run. Read the task's logs in the service log group (stream prefix app)`,
    });
    expect(pipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(1);
    expect(pipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
  });

  test('a container that never ran (image pull or secret refused) fails the action', async () => {
    stopped(undefined, 'ResourceInitializationError: unable to pull secrets');
    const outcome = await migrate.handle(jobEvent(PARAMETERS, token));
    expect(outcome.message).toContain('the container did not exit (ResourceInitializationError: unable to pull secrets)');
  });

  test('past the timeout: the task is stopped and the action fails', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'RUNNING', containers: [{ name: 'service' }] }] });
    ecs.on(StopTaskCommand).resolves({});
    const outcome = await migrate.handle(jobEvent(PARAMETERS, token), { now: () => 1_000_000 + 601_000 });
    expect(outcome).toEqual({ kind: 'failed', message: `migration ${TASK_ARN} timed out after 600 s and was stopped; the deploy did not run` });
    expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({ cluster: 'springboard-a-dev', task: TASK_ARN, reason: 'Springboard: migration exceeded 600 s' });
    expect(pipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(1);
  });

  test('a task ECS no longer knows fails the action', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [] });
    expect((await migrate.handle(jobEvent(PARAMETERS, token))).kind).toBe('failed');
  });
});
