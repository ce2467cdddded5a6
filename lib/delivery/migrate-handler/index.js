// @ts-check
/**
 * The pipeline's Migrate action (docs/migrations.md): before an environment's Deploy action, runs
 * the released image once as a one-off ECS task with the repository's `migrate` command, in the
 * service's own subnets and security groups, and fails the action (so the stage stops before its
 * Deploy action, and the failed execution is notified like a failed deploy) when the task exits
 * non-zero, cannot start, or outlives its timeout (the task is then stopped).
 *
 * Runs in Lambda (Node.js 22, whose runtime ships the AWS SDK v3) as a CodePipeline invoke action.
 * A migration may outlast one invocation: the first call starts the task and returns a
 * continuation token; CodePipeline calls again with it until the task has stopped. Plain
 * JavaScript so the asset needs no build step.
 */
const { CodePipelineClient, PutJobSuccessResultCommand, PutJobFailureResultCommand } = require('@aws-sdk/client-codepipeline');
const {
  ECSClient, DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, RunTaskCommand, DescribeTasksCommand, StopTaskCommand,
} = require('@aws-sdk/client-ecs');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');

/** ECS `startedBy` of migration tasks, so they are told apart from the service's own. */
const STARTED_BY = 'springboard-migrate';

/**
 * @typedef {{
 *   deployRoleArn: string, region: string, cluster: string, service: string, containerName: string,
 *   imageUri: string, migrateCommand: string, timeoutSeconds: number, migratorTaskRoleArn?: string, migratorUser?: string
 * }} Parameters
 * @typedef {{ taskArn: string, startedAt: number }} Token
 * @typedef {{ kind: 'running', token: Token } | { kind: 'succeeded', message: string } | { kind: 'failed', message: string }} Outcome
 * @typedef {{ send: (command: any) => Promise<any> }} Client
 */

/**
 * The action's parameters; `migrateCommand` is the repository's command as base64 of a JSON array
 * (a pipeline variable cannot carry quotes into a JSON document), empty when the repository has none.
 * @param {string} text
 * @returns {Parameters}
 */
function parseParameters(text) {
  const parameters = JSON.parse(text);
  for (const field of ['deployRoleArn', 'region', 'cluster', 'service', 'containerName', 'imageUri']) {
    if (typeof parameters[field] !== 'string' || parameters[field] === '') throw new Error(`the Migrate action's UserParameters lack ${field}`);
  }
  if (!Number.isInteger(parameters.timeoutSeconds) || parameters.timeoutSeconds <= 0) throw new Error('the Migrate action\'s UserParameters lack a timeoutSeconds');
  // The build exports the pushed image by digest; anything else (a tag, an unresolved variable) could run another image.
  if (!/^[^\s@]+@sha256:[0-9a-f]{64}$/.test(parameters.imageUri)) {
    throw new Error(`the Migrate action's imageUri must name the released image by digest (<repository>@sha256:<64 hex>), received "${parameters.imageUri}"`);
  }
  return parameters;
}

/**
 * The command to run: a JSON array of strings in base64, or undefined when the repository sets none.
 * @param {string} encoded
 * @returns {string[] | undefined}
 */
function decodeCommand(encoded) {
  if (!encoded) return undefined;
  const command = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  if (!Array.isArray(command) || command.length === 0 || !command.every(part => typeof part === 'string')) {
    throw new Error(`springboard.json's migrate must be a non-empty array of strings (exec form), like ["npm", "run", "migrate"]; received ${JSON.stringify(command)}`);
  }
  return command;
}

/**
 * Registers the released image as a revision of the service's task definition (same roles, secrets
 * and logs; the migrator's task role and database user where the environment has one) and starts it once.
 * @param {Client} ecs
 * @param {Parameters} p
 * @param {string[]} command
 * @param {number} now
 * @returns {Promise<Outcome>}
 */
async function startMigration(ecs, p, command, now) {
  const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: p.cluster, services: [p.service] }));
  const service = services[0];
  if (!service || !service.taskDefinition || !service.networkConfiguration) {
    return { kind: 'failed', message: `service ${p.service} of cluster ${p.cluster} was not found (or has no network configuration); deploy the environment first` };
  }
  const { taskDefinition: current, tags } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition, include: ['TAGS'] }));
  const containers = current.containerDefinitions ?? [];
  if (!containers.some(c => c.name === p.containerName)) {
    return { kind: 'failed', message: `task definition ${service.taskDefinition} has no container named ${p.containerName}` };
  }
  const migrator = p.migratorUser ? [{ name: 'DATABASE_USER', value: p.migratorUser }] : [];
  const { taskDefinition: registered } = await ecs.send(new RegisterTaskDefinitionCommand({
    family: current.family,
    taskRoleArn: p.migratorTaskRoleArn ?? current.taskRoleArn,
    executionRoleArn: current.executionRoleArn,
    networkMode: current.networkMode,
    requiresCompatibilities: current.requiresCompatibilities,
    cpu: current.cpu,
    memory: current.memory,
    runtimePlatform: current.runtimePlatform,
    volumes: current.volumes,
    containerDefinitions: containers.map(c => (c.name === p.containerName
      ? { ...c, image: p.imageUri, environment: [...(c.environment ?? []).filter(e => !migrator.some(m => m.name === e.name)), ...migrator] }
      : c)),
    tags,
  }));
  const run = await ecs.send(new RunTaskCommand({
    cluster: p.cluster,
    taskDefinition: registered.taskDefinitionArn,
    launchType: 'FARGATE',
    count: 1,
    // The service's own subnets and security groups: the database admits the service's group only.
    networkConfiguration: service.networkConfiguration,
    overrides: { containerOverrides: [{ name: p.containerName, command }] },
    startedBy: STARTED_BY,
    // The boundary refuses a RunTask without the team's own tag in the request: the family's tags, passed explicitly.
    tags,
  }));
  const task = run.tasks?.[0];
  if (!task?.taskArn) {
    const reasons = (run.failures ?? []).map(f => `${f.reason ?? 'unknown'}${f.detail ? ` (${f.detail})` : ''}`).join('; ');
    return { kind: 'failed', message: `the migration task did not start: ${reasons || 'ECS returned no task'}` };
  }
  return { kind: 'running', token: { taskArn: task.taskArn, startedAt: now } };
}

/**
 * Where the started task is: still running, stopped with exit code 0, stopped otherwise, or late (then stopped).
 * @param {Client} ecs
 * @param {Parameters} p
 * @param {Token} token
 * @param {number} now
 * @returns {Promise<Outcome>}
 */
async function checkMigration(ecs, p, token, now) {
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: p.cluster, tasks: [token.taskArn] }));
  const task = tasks[0];
  if (!task) return { kind: 'failed', message: `the migration task ${token.taskArn} is gone; ECS keeps stopped tasks for about an hour` };
  if (task.lastStatus === 'STOPPED') {
    const container = (task.containers ?? []).find(c => c.name === p.containerName);
    const exitCode = container?.exitCode;
    if (exitCode === 0) return { kind: 'succeeded', message: `migration ${token.taskArn} finished (exit code 0)` };
    const why = [task.stoppedReason, container?.reason].filter(Boolean).join('; ');
    return {
      kind: 'failed',
      message: `migration ${token.taskArn} failed: ${exitCode === undefined ? 'the container did not exit' : `exit code ${exitCode}`}${why ? ` (${why})` : ''}; `
        + 'the deploy did not run. Read the task\'s logs in the service log group (stream prefix app)',
    };
  }
  const elapsed = Math.floor((now - token.startedAt) / 1000);
  if (elapsed > p.timeoutSeconds) {
    await ecs.send(new StopTaskCommand({ cluster: p.cluster, task: token.taskArn, reason: `Springboard: migration exceeded ${p.timeoutSeconds} s` }));
    return { kind: 'failed', message: `migration ${token.taskArn} timed out after ${p.timeoutSeconds} s and was stopped; the deploy did not run` };
  }
  return { kind: 'running', token };
}

/**
 * ECS as the environment's deploy role, in the environment's region.
 * @param {Parameters} p
 * @param {string} jobId
 * @returns {Promise<Client>}
 */
async function ecsAsDeployRole(p, jobId) {
  const sts = new STSClient({ region: p.region });
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: p.deployRoleArn, RoleSessionName: `migrate-${jobId}`.slice(0, 64), DurationSeconds: 900 }));
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`assuming ${p.deployRoleArn} returned no credentials`);
  return new ECSClient({ region: p.region, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
}

/**
 * One invocation: start or check the migration, then report to CodePipeline. Never throws: any
 * error fails the action with its message.
 * @param {any} event
 * @param {{ now?: () => number, pipeline?: Client, ecsFor?: (p: Parameters, jobId: string) => Promise<Client> }} [deps]
 * @returns {Promise<Outcome>}
 */
async function handle(event, deps = {}) {
  const job = event['CodePipeline.job'];
  const pipeline = deps.pipeline ?? new CodePipelineClient({});
  const now = (deps.now ?? Date.now)();
  /** @type {Outcome} */
  let outcome;
  try {
    const p = parseParameters(job.data.actionConfiguration.configuration.UserParameters);
    const command = decodeCommand(p.migrateCommand);
    if (!command) {
      outcome = { kind: 'succeeded', message: 'springboard.json sets no migrate command: nothing to run' };
    } else {
      const ecs = await (deps.ecsFor ?? ecsAsDeployRole)(p, job.id);
      const token = job.data.continuationToken ? JSON.parse(job.data.continuationToken) : undefined;
      outcome = token ? await checkMigration(ecs, p, token, now) : await startMigration(ecs, p, command, now);
    }
  } catch (e) {
    outcome = { kind: 'failed', message: `the migration step failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (outcome.kind === 'failed') {
    await pipeline.send(new PutJobFailureResultCommand({ jobId: job.id, failureDetails: { type: 'JobFailed', message: outcome.message.slice(0, 5000) } }));
  } else if (outcome.kind === 'running') {
    await pipeline.send(new PutJobSuccessResultCommand({ jobId: job.id, continuationToken: JSON.stringify(outcome.token) }));
  } else {
    await pipeline.send(new PutJobSuccessResultCommand({ jobId: job.id, executionDetails: { summary: outcome.message.slice(0, 2048) } }));
  }
  return outcome;
}

exports.handler = (/** @type {any} */ event) => handle(event);
module.exports = { handler: exports.handler, handle, parseParameters, decodeCommand, startMigration, checkMigration, STARTED_BY };
