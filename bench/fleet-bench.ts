/**
 * Fleet view benchmark against the local fake CodePipeline (not a test: it prints, it asserts nothing).
 *
 *   npx tsx bench/fleet-bench.ts            200 pipelines x 100 executions, 20 ms latency,
 *                                           concurrency 1 vs 8, then 50 pipelines and 25% throttling
 *   npx tsx bench/fleet-bench.ts --serve    a demo endpoint for trying the CLI by hand (see docs/fleet.md)
 *
 * The server and each measured run are separate processes, so peak memory is the reader's own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { pipelineName } from '../lib/contract';
import { ClientFactory } from '../lib/fleet/client-factory';
import { collectMetrics } from '../lib/fleet/collect';
import { metricsJson } from '../lib/fleet/render/metrics';
import type { FleetTarget } from '../lib/fleet/targets';
import { type FakeOptions, type FakePipeline, startFakeCodePipeline } from '../test/support/fleet/fake-codepipeline';
import { generatePipeline } from '../test/support/fleet/history-generator';

const DAY = 86_400_000;
const UNTIL = new Date('2026-06-01T00:00:00Z');
const WINDOW = { since: new Date(UNTIL.getTime() - 30 * DAY), until: UNTIL };
const PIPELINES = 200;
const EXECUTIONS = 100;
const LATENCY_MS = 20;
const CREDENTIALS = { accessKeyId: 'AKIABENCHBENCHBENCH1', secretAccessKey: 'bench-secret-not-real' };

const teamId = (i: number): string => `team-${String(i).padStart(3, '0')}`;

function benchPipelines(count: number): FakePipeline[] {
  // One execution every 10 hours: 100 executions span 41 days, so the reader must stop at the window.
  return Array.from({ length: count }, (_, i) => generatePipeline({
    team: teamId(i), executions: EXECUTIONS, newest: new Date(UNTIL.getTime() - 3 * 3600_000), intervalMs: 10 * 3600_000,
  }));
}

/** Per pipeline: 2 + ⌈E/100⌉ + ⌈A/100⌉, E and A the executions and action executions started in the window. */
function bound(pipeline: FakePipeline): number {
  const inWindow = (d: Date): boolean => d >= WINDOW.since && d < WINDOW.until;
  const e = pipeline.executions.filter((x) => inWindow(x.startTime)).length;
  const a = pipeline.actionExecutions.filter((x) => inWindow(x.startTime)).length;
  return 2 + Math.ceil(e / 100) + Math.ceil(a / 100);
}

interface RunResult {
  readonly label: string;
  readonly wallMs: number;
  readonly serverRequests: number;
  readonly logicalCalls: number;
  readonly callsPerPipeline: readonly number[];
  readonly peakHeapMb: number;
  readonly maxRssMb: number;
  readonly throttled: number;
  readonly errors: number;
  readonly json: string;
}

async function serverChild(): Promise<void> {
  const pipelines = benchPipelines(PIPELINES);
  const bounds = Object.fromEntries(pipelines.map((p) => [p.name, bound(p)]));
  const fake = await startFakeCodePipeline(pipelines, { latencyMs: LATENCY_MS, cacheResponses: true });
  process.on('message', (message: { kind: string; options?: FakeOptions }) => {
    if (message.kind === 'options') {
      fake.setOptions({ latencyMs: LATENCY_MS, cacheResponses: true, ...message.options });
      fake.resetStats();
      process.send!({ kind: 'ok' });
    } else if (message.kind === 'stats') {
      process.send!({ kind: 'stats', stats: fake.stats });
    } else if (message.kind === 'stop') {
      void fake.close().then(() => process.exit(0));
    }
  });
  process.send!({ kind: 'ready', url: fake.url, bounds });
}

async function clientChild(): Promise<void> {
  const [url, count, concurrency, label, throttled] = process.argv.slice(3);
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 10);
  const targets: FleetTarget[] = Array.from({ length: Number(count) }, (_, i) => ({
    team: teamId(i), pipeline: pipelineName(teamId(i)), location: { region: 'us-east-1' }, environments: ['dev', 'staging', 'prod'],
  }));
  const pacing = throttled === 'yes' ? { baseDelayMs: 20, minRatePerSecond: 50, cutIntervalMs: 250 } : undefined;
  const factory = new ClientFactory({ endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, pacing });
  const started = performance.now();
  const report = await collectMetrics(targets, factory, WINDOW, { concurrency: Number(concurrency) });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const stats = factory.apis()[0].pacer.stats;
  factory.destroy();
  const result: Omit<RunResult, 'serverRequests'> = {
    label,
    wallMs,
    logicalCalls: stats.calls,
    callsPerPipeline: report.teams.map((t) => t.apiCalls),
    peakHeapMb: peakHeap / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    throttled: stats.throttled,
    errors: report.teams.filter((t) => t.error).length,
    json: JSON.stringify(metricsJson(report)),
  };
  process.send!({ kind: 'result', result });
}

function request<T>(child: ChildProcess, message: object, kind: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (m: { kind: string }): void => {
      if (m.kind === kind) {
        child.off('message', listener);
        resolve(m as T);
      }
    };
    child.on('message', listener);
    child.send(message);
  });
}

async function measure(server: ChildProcess, url: string, label: string, count: number, concurrency: number, throttle: number): Promise<RunResult> {
  await request(server, { kind: 'options', options: { throttleRate: throttle, seed: 7 } }, 'ok');
  const child = fork(__filename, ['--client-child', url, String(count), String(concurrency), label, throttle > 0 ? 'yes' : 'no'], { execArgv: process.execArgv });
  const { result } = await new Promise<{ result: Omit<RunResult, 'serverRequests'> }>((resolve) => child.once('message', resolve as never));
  const { stats } = await request<{ stats: { requests: number } }>(server, { kind: 'stats' }, 'stats');
  return { ...result, serverRequests: stats.requests };
}

function summary(r: RunResult, bounds: Record<string, number>, count: number): string {
  const perPipeline = r.callsPerPipeline;
  const over = perPipeline.filter((calls, i) => calls > bounds[pipelineName(teamId(i))]).length;
  const mean = perPipeline.reduce((a, b) => a + b, 0) / perPipeline.length;
  const meanBound = Array.from({ length: count }, (_, i) => bounds[pipelineName(teamId(i))]).reduce((a, b) => a + b, 0) / count;
  return [
    `${r.label}`,
    `  wall time        ${(r.wallMs / 1000).toFixed(2)} s`,
    `  API calls        ${r.logicalCalls} asked, ${r.serverRequests} HTTP requests served (throttled and retried: ${r.throttled})`,
    `  calls/pipeline   mean ${mean.toFixed(2)}, max ${Math.max(...perPipeline)}; bound 2+⌈E/100⌉+⌈A/100⌉ mean ${meanBound.toFixed(2)}; pipelines over bound: ${over}`,
    `  peak memory      heap ${r.peakHeapMb.toFixed(1)} MB, max RSS ${r.maxRssMb.toFixed(1)} MB`,
    `  unreadable       ${r.errors}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const server = fork(__filename, ['--server-child'], { execArgv: process.execArgv });
  const ready = await new Promise<{ url: string; bounds: Record<string, number> }>((resolve) => server.once('message', resolve as never));
  console.log(`fake CodePipeline at ${ready.url}: ${PIPELINES} pipelines x ${EXECUTIONS} executions, ${LATENCY_MS} ms latency; window ${WINDOW.since.toISOString()} to ${WINDOW.until.toISOString()}\n`);
  const one = await measure(server, ready.url, `concurrency 1, ${PIPELINES} pipelines`, PIPELINES, 1, 0);
  console.log(summary(one, ready.bounds, PIPELINES));
  const eight = await measure(server, ready.url, `concurrency 8, ${PIPELINES} pipelines`, PIPELINES, 8, 0);
  console.log(summary(eight, ready.bounds, PIPELINES));
  const small = await measure(server, ready.url, 'concurrency 8, 50 pipelines', 50, 8, 0);
  console.log(summary(small, ready.bounds, 50));
  const throttled = await measure(server, ready.url, `concurrency 8, ${PIPELINES} pipelines, 25% of requests throttled at random`, PIPELINES, 8, 0.25);
  console.log(summary(throttled, ready.bounds, PIPELINES));
  console.log('\nratios measured in this run');
  console.log(`  speedup, concurrency 8 vs 1:            ${(one.wallMs / eight.wallMs).toFixed(2)}x (goal: at least 5x)`);
  console.log(`  peak heap, 200 vs 50 pipelines:         ${(eight.peakHeapMb / small.peakHeapMb).toFixed(2)}x for 4x the pipelines`);
  console.log(`  throttled run report identical to clean: ${throttled.json === eight.json ? 'yes' : 'NO'} (${throttled.errors} unreadable)`);
  console.log(`  throttled run time vs clean:            ${(throttled.wallMs / eight.wallMs).toFixed(2)}x`);
  server.send({ kind: 'stop' });
}

async function serveDemo(): Promise<void> {
  const { demoFleet } = await import('../test/support/fleet/demo-fleet');
  const { pipelines, options } = demoFleet(new Date());
  const fake = await startFakeCodePipeline(pipelines, options);
  console.log(`fake CodePipeline listening at ${fake.url} (Ctrl-C to stop)`);
  console.log(`try: AWS_ENDPOINT_URL_CODEPIPELINE=${fake.url} AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example AWS_REGION=us-east-1 npx springboard fleet status --discover`);
}

const mode = process.argv[2];
if (mode === '--server-child') void serverChild();
else if (mode === '--client-child') void clientChild().then(() => process.exit(0));
else if (mode === '--serve') void serveDemo();
else void main().then(() => process.exit(0));
