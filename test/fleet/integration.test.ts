/**
 * The fleet reader against a local CodePipeline endpoint: the SDK's real HTTP, signing, timeout
 * and error paths run, and the fake pages, throttles, fails, stalls and denies on demand.
 */
import { CodePipelineClient, ListPipelineExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { ClientFactory } from '../../lib/fleet/client-factory';
import { collectMetrics, collectStatus } from '../../lib/fleet/collect';
import { deploymentsFrom, toActionRun } from '../../lib/fleet/deployments';
import { doraFigures } from '../../lib/fleet/dora';
import { metricsJson } from '../../lib/fleet/render/metrics';
import { discoverTargets } from '../../lib/fleet/targets';
import { fastClient, SECRETS, targets } from '../support/fleet/env';
import { type FakeCodePipeline, type FakePipeline, startFakeCodePipeline } from '../support/fleet/fake-codepipeline';
import { ALPHA, BETA, EXPECTED, GAMMA, WINDOW } from '../support/fleet/handmade';
import { generatePipeline } from '../support/fleet/history-generator';

let factories: ClientFactory[] = [];
let servers: FakeCodePipeline[] = [];

async function serve(pipelines: readonly FakePipeline[], options = {}): Promise<FakeCodePipeline> {
  const fake = await startFakeCodePipeline(pipelines, options);
  servers.push(fake);
  return fake;
}

function factory(endpoint: string, extra = {}): ClientFactory {
  const f = new ClientFactory(fastClient(endpoint, extra));
  factories.push(f);
  return f;
}

afterEach(async () => {
  factories.forEach((f) => f.destroy());
  await Promise.all(servers.map((s) => s.close()));
  factories = [];
  servers = [];
});

describe('figures computed by hand', () => {
  test('every team and the fleet match the hand computation in test/support/fleet/handmade.ts', async () => {
    const fake = await serve([ALPHA, BETA, GAMMA]);
    const report = await collectMetrics(targets('alpha', 'beta', 'gamma'), factory(fake.url), WINDOW);
    const json = metricsJson(report);
    expect(json.since).toBe('2026-03-01T00:00:00.000Z');
    expect(json.until).toBe('2026-03-11T00:00:00.000Z');
    expect(json.teams).toEqual([
      { team: 'alpha', pipeline: 'springboard-alpha', ...EXPECTED.alpha },
      { team: 'beta', pipeline: 'springboard-beta', ...EXPECTED.beta },
      { team: 'gamma', pipeline: 'springboard-gamma', ...EXPECTED.gamma },
    ]);
    expect(json.fleet).toEqual(EXPECTED.fleet);
    expect(fake.stats.unsigned).toBe(0);
  });

  test('the endpoint can come from AWS_ENDPOINT_URL_CODEPIPELINE alone', async () => {
    const fake = await serve([ALPHA]);
    const saved = process.env.AWS_ENDPOINT_URL_CODEPIPELINE;
    process.env.AWS_ENDPOINT_URL_CODEPIPELINE = fake.url;
    try {
      const report = await collectMetrics(targets('alpha'), factory('', { endpoint: undefined }), WINDOW);
      expect(report.teams[0].figures).toEqual(EXPECTED.alpha);
      expect(fake.stats.requests).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CODEPIPELINE;
      else process.env.AWS_ENDPOINT_URL_CODEPIPELINE = saved;
    }
  });
});

describe('pagination stops once history is older than the window', () => {
  // 100 executions, one every 10 hours: about 41 days of history, ten pages of action executions.
  const long = generatePipeline({ team: 'long', executions: 100, newest: new Date('2026-03-10T12:00:00Z'), intervalMs: 10 * 3600_000 });

  test('reads only the pages the window needs, and the figures equal those from the whole history', async () => {
    const fake = await serve([long]);
    const report = await collectMetrics(targets('long'), factory(fake.url), WINDOW);

    // The same definitions over every action execution, without any stop rule.
    const shape = { stageName: 'Prod', deployAction: 'Deploy', laterActions: ['Verify'] };
    const runs = long.actionExecutions.map((a) => toActionRun(a, shape)).filter((r) => r !== undefined);
    const starts = new Map(long.executions.map((e) => [e.id, e.startTime]));
    const all = deploymentsFrom(shape, runs).map((d) => ({ ...d, executionStart: starts.get(d.pipelineExecutionId) }));
    expect(report.teams[0].figures).toEqual(doraFigures([all], WINDOW));
    expect(report.teams[0].figures!.deployments).toBeGreaterThan(10);

    const totalPages = Math.ceil(long.actionExecutions.length / 100);
    const inWindow = (d: Date): boolean => d >= WINDOW.since && d < WINDOW.until;
    const e = long.executions.filter((x) => inWindow(x.startTime)).length;
    const a = long.actionExecutions.filter((x) => inWindow(x.startTime)).length;
    expect(fake.stats.byOperation.ListActionExecutions).toBeLessThan(totalPages);
    expect(report.teams[0].apiCalls).toBe(fake.stats.requests);
    expect(report.teams[0].apiCalls).toBeLessThanOrEqual(2 + Math.ceil(e / 100) + Math.ceil(a / 100));
  });
});

describe('throttling, 5xx and the SDK retry budget', () => {
  const fleet = Array.from({ length: 200 }, (_, i) => generatePipeline({
    team: `t${i}`, executions: 6, newest: new Date('2026-03-09T00:00:00Z'), intervalMs: 30 * 3600_000,
  }));
  const names = fleet.map((_, i) => `t${i}`);

  test('with a quarter of all calls throttled at random over 200 pipelines, the report is complete and exact', async () => {
    const clean = await serve(fleet);
    const expected = metricsJson(await collectMetrics(targets(...names), factory(clean.url), WINDOW, { concurrency: 8 }));

    const throttling = await serve(fleet, { throttleRate: 0.25, seed: 3 });
    const f = factory(throttling.url);
    const report = await collectMetrics(targets(...names), f, WINDOW, { concurrency: 8 });

    expect(throttling.stats.throttled).toBeGreaterThan(150);
    expect(report.teams.filter((t) => t.error)).toEqual([]);
    expect(metricsJson(report)).toEqual(expected);
    expect(f.apis()[0].pacer.stats.throttled).toBe(throttling.stats.throttled);
  });

  test('the SDK on its own (standard retries, shared retry quota) loses calls under the same throttling', async () => {
    const fake = await serve(fleet, { throttleRate: 0.25, seed: 3 });
    const client = new CodePipelineClient({ endpoint: fake.url, region: 'us-east-1', credentials: SECRETS });
    try {
      const results = await Promise.allSettled(names.flatMap((n) => [1, 2, 3].map(() =>
        client.send(new ListPipelineExecutionsCommand({ pipelineName: `springboard-${n}`, maxResults: 1 })))));
      const failed = results.filter((r) => r.status === 'rejected');
      expect(failed.length).toBeGreaterThan(0);
      expect((failed[0] as PromiseRejectedResult).reason.name).toBe('ThrottlingException');
    } finally {
      client.destroy();
    }
  });

  test('bursts of 5xx and dropped connections are retried; the report is still exact', async () => {
    const clean = await serve([ALPHA, BETA]);
    const expected = metricsJson(await collectMetrics(targets('alpha', 'beta'), factory(clean.url), WINDOW));
    // Two 503s and a dropped connection (three transient faults: the whole transient budget), then six throttles.
    const flaky = await serve([ALPHA, BETA], {
      fault: ({ index }: { index: number }) => (index <= 2 ? { kind: 'server-error', status: 503 } as const
        : index === 3 ? { kind: 'drop' } as const
          : index <= 9 ? { kind: 'throttle' } as const : undefined),
    });
    const report = await collectMetrics(targets('alpha', 'beta'), factory(flaky.url), WINDOW, { concurrency: 1 });
    expect(metricsJson(report)).toEqual(expected);
    expect(flaky.stats.serverErrors).toBe(2);
    expect(flaky.stats.throttled).toBe(6);
  });

  test('a pipeline that keeps answering 5xx gets an error row after a few attempts', async () => {
    const fake = await serve([ALPHA, BETA], { fault: ({ pipeline }: { pipeline?: string }) => (pipeline === 'springboard-beta' ? { kind: 'server-error', status: 500 } as const : undefined) });
    const report = await collectMetrics(targets('alpha', 'beta'), factory(fake.url), WINDOW);
    expect(report.teams[0].figures).toEqual(EXPECTED.alpha);
    expect(report.teams[1].error).toMatch(/still failing after 4 attempts/);
    expect(fake.stats.byPipeline['springboard-beta']).toBe(4);
  });
});

describe('unreadable pipelines', () => {
  test('a denied pipeline gets a row with error and every other team is reported', async () => {
    const fake = await serve([ALPHA, BETA, GAMMA], { deniedPipelines: ['springboard-beta'] });
    const report = await collectMetrics(targets('alpha', 'beta', 'gamma'), factory(fake.url), WINDOW);
    expect(report.teams.map((t) => t.error)).toEqual([undefined, expect.stringMatching(/^access denied: .*codepipeline:GetPipeline/), undefined]);
    expect(report.teams[1].figures).toBeNull();
    expect(report.teams[0].figures).toEqual(EXPECTED.alpha);
    // The fleet pools what could be read.
    expect(report.fleet.deployments).toBe(EXPECTED.alpha.deployments);
  });

  test('a pipeline that does not exist gets a row with error', async () => {
    const fake = await serve([ALPHA]);
    const report = await collectMetrics(targets('alpha', 'missing'), factory(fake.url), WINDOW);
    expect(report.teams[1].error).toMatch(/^pipeline not found: /);
  });

  test('a slow pipeline really times out, is retried a few times, and the run does not hang', async () => {
    const fake = await serve([ALPHA, BETA], { slowPipelines: { 'springboard-beta': 700 } });
    const started = Date.now();
    const report = await collectStatus(targets('alpha', 'beta'), factory(fake.url, { requestTimeoutMs: 150 }), { now: new Date('2026-03-11T00:00:00Z') });
    expect(report.teams[0].error).toBeUndefined();
    expect(report.teams[1].error).toMatch(/^timed out: .*150 ms requestTimeout.*still failing after 4 attempts/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('concurrency and discovery', () => {
  test('never more requests in flight than the concurrency, one client for the whole fleet', async () => {
    const fleet = Array.from({ length: 12 }, (_, i) => generatePipeline({ team: `c${i}`, executions: 3, newest: new Date('2026-03-05T00:00:00Z') }));
    const fake = await serve(fleet, { latencyMs: 15 });
    const f = factory(fake.url);
    await collectMetrics(targets(...fleet.map((_, i) => `c${i}`)), f, WINDOW, { concurrency: 3 });
    expect(fake.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(fake.stats.maxInFlight).toBeGreaterThan(1);
    expect(f.apis()).toHaveLength(1);
  });

  test('--discover keeps only names that follow the contract, across ListPipelines pages', async () => {
    const many = Array.from({ length: 1003 }, (_, i): FakePipeline => ({
      name: i % 2 === 0 ? `springboard-team-${i}` : `legacy-${i}`, stages: [], executions: [], actionExecutions: [],
    }));
    const fake = await serve([...many, { ...ALPHA, name: 'springboard-Bad_Name' }]);
    const found = await discoverTargets(factory(fake.url).forLocation({ region: 'us-east-1' }), { region: 'us-east-1' });
    expect(found).toHaveLength(502);
    expect(found.every((t) => t.pipeline === `springboard-${t.team}`)).toBe(true);
    expect(fake.stats.byOperation.ListPipelines).toBe(2);
  });
});
