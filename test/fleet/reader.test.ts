/**
 * The reader with aws-sdk-client-mock (which replaces `send`, so no retry or HTTP runs here; those
 * paths are in integration.test.ts), plus pacing, redaction and client configuration.
 */
import {
  type ActionExecutionDetail, type ActionExecutionStatus, CodePipelineClient, GetPipelineCommand, GetPipelineStateCommand,
  ListActionExecutionsCommand, ListPipelineExecutionsCommand, ListPipelinesCommand,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory, roleArn } from '../../lib/fleet/client-factory';
import { collectMetrics, collectStatus } from '../../lib/fleet/collect';
import { describeError, Redactor } from '../../lib/fleet/errors';
import { AdaptiveRateLimiter, classifyError, Pacer } from '../../lib/fleet/pacing';
import { progressReporter } from '../../lib/fleet/progress';
import { discoverTargets, targetsFromRegistry } from '../../lib/fleet/targets';
import { SECRETS, targets } from '../support/fleet/env';
import { registry, team, TOOLING_ACCOUNT } from '../support/registry-fixtures';

const cp = mockClient(CodePipelineClient);
let factory: ClientFactory;
beforeEach(() => {
  cp.reset();
  factory = new ClientFactory({ region: 'us-east-1', credentials: SECRETS, pacing: { baseDelayMs: 1 } });
});
afterEach(() => factory.destroy());

const window = { since: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-03-11T00:00:00Z') };
const at = (iso: string): Date => new Date(`2026-${iso}Z`);
const action = (_stage: string, category: string, name: string) => ({ name, actionTypeId: { category, owner: 'AWS', provider: 'x', version: '1' } });
const PIPELINE = {
  name: 'springboard-a',
  stages: [
    { name: 'Source', actions: [action('Source', 'Source', 'Checkout')] },
    { name: 'Build', actions: [action('Build', 'Build', 'Synth')] },
    { name: 'Dev', actions: [action('Dev', 'Deploy', 'Deploy')] },
    { name: 'Prod', actions: [action('Prod', 'Approval', 'Approve'), action('Prod', 'Deploy', 'Deploy'), action('Prod', 'Test', 'Verify')] },
  ],
};
const detail = (
  id: string, stageName: string, actionName: string, status: ActionExecutionStatus, start: string, end: string,
): ActionExecutionDetail =>
  ({ pipelineExecutionId: id, stageName, actionName, status, startTime: at(start), lastUpdateTime: at(end) });

describe('history paging', () => {
  test('stops after the first page whose oldest entry ended before the window', async () => {
    cp.on(GetPipelineCommand).resolves({ pipeline: PIPELINE as never });
    cp.on(ListActionExecutionsCommand, { pipelineName: 'springboard-a', maxResults: 100, nextToken: undefined }).resolves({
      actionExecutionDetails: [
        detail('x2', 'Prod', 'Verify', 'Succeeded', '03-05T10:10:00', '03-05T10:20:00'),
        detail('x2', 'Prod', 'Deploy', 'Succeeded', '03-05T10:00:00', '03-05T10:10:00'),
      ],
      nextToken: 'page2',
    }).on(ListActionExecutionsCommand, { nextToken: 'page2' }).resolves({
      actionExecutionDetails: [detail('x1', 'Build', 'Synth', 'Succeeded', '02-20T10:00:00', '02-20T10:05:00')],
      nextToken: 'page3',
    });
    cp.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'x2', startTime: at('03-05T09:00:00') }], nextToken: 'more' });
    const report = await collectMetrics(targets('a'), factory, window);
    expect(report.teams[0].figures).toMatchObject({ deployments: 1, failures: 0, leadTimeSecondsMedian: 4800 });
    expect(cp.commandCalls(ListActionExecutionsCommand)).toHaveLength(2);
    // The executions list is read only until every deployment's execution is found.
    expect(cp.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(1);
    expect(report.teams[0].apiCalls).toBe(4);
  });

  test('keeps paging while a verify step that ended in the window still lacks its deploy action', async () => {
    cp.on(GetPipelineCommand).resolves({ pipeline: PIPELINE as never });
    cp.on(ListActionExecutionsCommand, { nextToken: undefined }).resolves({
      actionExecutionDetails: [
        detail('x1', 'Prod', 'Verify', 'Succeeded', '02-28T23:50:00', '03-01T00:10:00'),
        detail('x0', 'Build', 'Synth', 'Succeeded', '02-20T10:00:00', '02-20T10:05:00'),
      ],
      nextToken: 'page2',
    }).on(ListActionExecutionsCommand, { nextToken: 'page2' }).resolves({
      actionExecutionDetails: [detail('x1', 'Prod', 'Deploy', 'Succeeded', '02-28T23:00:00', '02-28T23:50:00')],
    });
    cp.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'x1', startTime: at('02-28T22:00:00') }] });
    const report = await collectMetrics(targets('a'), factory, window);
    expect(cp.commandCalls(ListActionExecutionsCommand)).toHaveLength(2);
    expect(report.teams[0].figures).toMatchObject({ deployments: 1, leadTimeSecondsMedian: 2 * 3600 + 600 });
  });

  test('a pipeline without the contract\'s prod stage gets a row with error', async () => {
    cp.on(GetPipelineCommand).resolves({ pipeline: { ...PIPELINE, stages: PIPELINE.stages.slice(0, 3) } as never });
    const report = await collectMetrics(targets('a'), factory, window);
    expect(report.teams[0].error).toMatch(/has no stage named "Prod" \(stages: Source, Build, Dev\)/);
  });
});

describe('status model', () => {
  test('latest execution, stage states with last success, a waiting approval and the failing stage', async () => {
    cp.on(GetPipelineCommand).resolves({ pipeline: PIPELINE as never });
    cp.on(GetPipelineStateCommand).resolves({
      stageStates: [
        {
          stageName: 'Build',
          latestExecution: { pipelineExecutionId: 'x3', status: 'Failed' },
          actionStates: [
            { actionName: 'Synth', latestExecution: { status: 'Failed', lastStatusChange: at('03-10T09:06:00'), errorDetails: { code: 'JobFailed', message: 'npm test: 2 failing' } } },
          ],
        },
        {
          stageName: 'Dev',
          latestExecution: { pipelineExecutionId: 'x2', status: 'Succeeded' },
          actionStates: [
            { actionName: 'Deploy', latestExecution: { status: 'Succeeded', lastStatusChange: at('03-09T10:00:00') } },
          ],
        },
        {
          stageName: 'Prod',
          latestExecution: { pipelineExecutionId: 'x2', status: 'InProgress' },
          actionStates: [
            { actionName: 'Approve', latestExecution: { status: 'InProgress', lastStatusChange: at('03-09T12:00:00') } },
          ],
        },
      ],
    } as never);
    cp.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'x3', status: 'Failed', startTime: at('03-10T09:00:00') }] });
    cp.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [detail('x1', 'Prod', 'Verify', 'Succeeded', '03-01T10:00:00', '03-01T10:05:00')] });
    const t = [{ ...targets('a')[0], environments: ['dev', 'prod'] }];
    const report = await collectStatus(t, factory, { now: at('03-10T12:00:00') });
    const row = report.teams[0];
    expect(row.latestExecution).toMatchObject({ id: 'x3', status: 'Failed' });
    expect(row.stages).toEqual([
      { environment: 'dev', stage: 'Dev', status: 'Succeeded', lastSuccess: at('03-09T10:00:00') },
      { environment: 'prod', stage: 'Prod', status: 'InProgress', lastSuccess: at('03-01T10:05:00') },
    ]);
    expect(row.pendingApproval).toEqual({ stage: 'Prod', action: 'Approve', since: at('03-09T12:00:00'), waitingSeconds: 24 * 3600 });
    expect(row.failing).toEqual({ stage: 'Build', action: 'Synth', summary: 'npm test: 2 failing' });
  });

  test('an access-denied pipeline gets a row with error; the others are still read', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: codepipeline:GetPipeline'), {
      name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 },
    });
    cp.on(GetPipelineCommand, { name: 'springboard-b' }).rejects(denied);
    cp.on(GetPipelineCommand, { name: 'springboard-a' }).resolves({ pipeline: PIPELINE as never });
    cp.on(GetPipelineStateCommand).resolves({ stageStates: [] });
    cp.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    cp.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
    const report = await collectStatus(targets('a', 'b'), factory);
    expect(report.teams[0].error).toBeUndefined();
    expect(report.teams[1].error).toBe('access denied: User is not authorized to perform: codepipeline:GetPipeline');
  });
});

describe('targets', () => {
  test('from the registry: one pipeline per team, in the tooling account and region', () => {
    expect(targetsFromRegistry(registry([team('b'), team('a', { environments: ['dev', 'prod'] })]))).toEqual([
      { team: 'a', pipeline: 'springboard-a', location: { account: TOOLING_ACCOUNT, region: 'us-east-1' }, environments: ['dev', 'prod'] },
      { team: 'b', pipeline: 'springboard-b', location: { account: TOOLING_ACCOUNT, region: 'us-east-1' }, environments: ['dev', 'staging', 'prod'] },
    ]);
  });

  test('discovery pages through ListPipelines and keeps contract names only', async () => {
    cp.on(ListPipelinesCommand, { nextToken: undefined }).resolves({ pipelines: [{ name: 'springboard-zeta' }, { name: 'other' }], nextToken: 'n' })
      .on(ListPipelinesCommand, { nextToken: 'n' }).resolves({ pipelines: [{ name: 'springboard-alpha' }, { name: 'springboard--x' }] });
    const found = await discoverTargets(factory.forLocation({ region: 'us-east-1' }), { region: 'us-east-1' });
    expect(found.map((t) => t.team)).toEqual(['alpha', 'zeta']);
  });
});

describe('pacing', () => {
  test('classifies throttling, transient faults and final errors', () => {
    expect(classifyError({ name: 'ThrottlingException' })).toBe('throttling');
    expect(classifyError({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).toBe('throttling');
    expect(classifyError({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } })).toBe('transient');
    expect(classifyError({ name: 'TimeoutError' })).toBe('transient');
    expect(classifyError(new Error('AWS SDK error wrapper for Error: socket hang up'))).toBe('transient');
    expect(classifyError({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } })).toBe('fatal');
    expect(classifyError({ name: 'PipelineNotFoundException' })).toBe('fatal');
  });

  test('retries throttling up to its own budget with growing, jittered waits', async () => {
    const waits: number[] = [];
    const pacer = new Pacer({
      maxThrottleRetries: 3,
      baseDelayMs: 100,
      minRatePerSecond: 1e6,
      maxRatePerSecond: 1e7,
      random: () => 0.5,
      sleep: async (ms) => { waits.push(ms); },
    });
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    await expect(pacer.run(() => Promise.reject(throttle))).rejects.toThrow('still throttled after 4 attempts');
    // Rate-limiter waits are sub-millisecond here; the backoff waits are what remains.
    expect(waits.filter((w) => w >= 1)).toEqual([50, 100, 200]);
    expect(pacer.stats).toMatchObject({ calls: 1, attempts: 4, throttled: 4 });
  });

  test('does not retry a final error', async () => {
    const pacer = new Pacer({ sleep: async () => undefined });
    let attempts = 0;
    await expect(pacer.run(() => {
      attempts++;
      return Promise.reject(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    })).rejects.toThrow('no');
    expect(attempts).toBe(1);
  });

  test('the limiter is off until throttled, then slows to 70% of the observed rate and recovers while calls succeed', async () => {
    let clock = 0;
    const limiter = new AdaptiveRateLimiter(5, 500, 1000, () => clock, async (ms) => { clock += ms; });
    for (let i = 0; i < 100; i++) {
      await limiter.acquire();
      clock += 10;
    }
    expect(limiter.currentRate).toBeUndefined();
    limiter.onThrottle();
    expect(limiter.currentRate).toBeCloseTo(70, 0);
    limiter.onThrottle(); // within the cut interval: no second cut
    expect(limiter.currentRate).toBeCloseTo(70, 0);
    const before = clock;
    await limiter.acquire();
    await limiter.acquire();
    expect(clock - before).toBeGreaterThanOrEqual(Math.floor(1000 / 70));
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.currentRate!).toBeGreaterThan(71);
  });
});

describe('credentials never appear in error text', () => {
  test('known secrets, key ids and signature parts are redacted', () => {
    const redactor = new Redactor();
    redactor.remember(SECRETS);
    const text = `denied: Authorization: AWS4-HMAC-SHA256 Credential=${SECRETS.accessKeyId}/20260301/us-east-1, Signature=abc; `
      + `token ${SECRETS.sessionToken} secret ${SECRETS.secretAccessKey} other ASIAABCDEFGHIJKLMNOP`;
    const clean = describeError(Object.assign(new Error(text), { name: 'AccessDeniedException' }), redactor);
    for (const secret of Object.values(SECRETS)) expect(clean).not.toContain(secret);
    expect(clean).not.toContain('ASIAABCDEFGHIJKLMNOP');
    expect(clean).toMatch(/^access denied: denied: /);
  });
});

describe('client configuration', () => {
  test('one client per account and region; FIPS and GovCloud resolve to the FIPS endpoint', async () => {
    const f = new ClientFactory({ fips: true, credentials: SECRETS });
    try {
      const gov = { account: '123456789012', region: 'us-gov-west-1' };
      expect(f.forLocation(gov)).toBe(f.forLocation(gov));
      expect(f.forLocation({ account: '123456789012', region: 'us-gov-east-1' })).not.toBe(f.forLocation(gov));
      const client = f.clientFor(gov);
      expect(await client.config.region()).toBe('us-gov-west-1');
      expect(await client.config.useFipsEndpoint()).toBe(true);
      expect(await client.config.maxAttempts()).toBe(1);
      const endpoint = client.config.endpointProvider({ Region: 'us-gov-west-1', UseFIPS: true, UseDualStack: false });
      expect(endpoint.url.hostname).toBe('codepipeline-fips.us-gov-west-1.amazonaws.com');
    } finally {
      f.destroy();
    }
  });

  test('the role to assume is named in the partition of the region', () => {
    expect(roleArn('123456789012', 'us-gov-west-1', 'springboard-fleet-reader')).toBe('arn:aws-us-gov:iam::123456789012:role/springboard-fleet-reader');
    expect(roleArn('123456789012', undefined, 'springboard-fleet-reader')).toBe('arn:aws:iam::123456789012:role/springboard-fleet-reader');
    expect(() => new ClientFactory({ assumeRoleName: 'bad role' })).toThrow(/role name must be .* received "bad role"/);
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => {
    const lines: string[] = [];
    return { isTTY, lines, write: (text: string) => lines.push(text) };
  };
  test('on a terminal, a line rewritten in place, cleared at the end', () => {
    const s = sink(true);
    const p = progressReporter(s, 3, 'fleet metrics');
    [1, 2, 3].forEach((n) => p.update(n, 3));
    p.finish();
    expect(s.lines[2]).toBe('\rfleet metrics: 3/3 pipelines read');
    expect(s.lines[3]).toBe('\r\x1b[2K');
    const teams = sink(true);
    progressReporter(teams, 3, 'fleet portfolio', 'teams').update(1, 3);
    expect(teams.lines).toEqual(['\rfleet portfolio: 1/3 teams read']);
  });
  test('on a pipe, quiet for a small fleet and a line per quarter for a large one', () => {
    const small = sink(false);
    const p1 = progressReporter(small, 10, 'x');
    for (let i = 1; i <= 10; i++) p1.update(i, 10);
    expect(small.lines).toEqual([]);
    const large = sink(false);
    const p2 = progressReporter(large, 200, 'x');
    for (let i = 1; i <= 200; i++) p2.update(i, 200);
    expect(large.lines).toEqual(['x: 50/200 pipelines read\n', 'x: 100/200 pipelines read\n', 'x: 150/200 pipelines read\n', 'x: 200/200 pipelines read\n']);
  });
});
