/**
 * The portfolio commands over 200 generated teams against the local stand-ins (every answer
 * delayed by --latency ms, default 10; the stand-ins run in a child process so that they do not
 * compete with the reader for the event loop): wall time at concurrency 1 and 8, API calls per team
 * with the bound next to them, and Cost Explorer requests. It asserts nothing; it prints what it measured.
 *
 *   npx tsx bench/portfolio-bench.ts [--teams 200] [--latency 10] [--portfolio-only]
 *   npx tsx bench/portfolio-bench.ts --serve [--teams 200] [--latency 10]   # only the stand-ins
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as readline from 'node:readline';
import { ClientFactory } from '../lib/fleet/client-factory';
import { collectCost } from '../lib/fleet/cost/collect';
import { resolvePeriod } from '../lib/fleet/cost/period';
import { collectPortfolio } from '../lib/fleet/portfolio/collect';
import { collectScorecard } from '../lib/fleet/scorecard/collect';
import { collectVulns } from '../lib/fleet/vulns/collect';
import { portfolioSchema } from '../lib/registry/schema';
import { fastClient } from '../test/support/fleet/env';
import { startFakeAws } from '../test/support/fleet/fake-aws';
import { startFakeCodePipeline } from '../test/support/fleet/fake-codepipeline';
import { generatePortfolio } from '../test/support/fleet/portfolio-generator';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/**
 * Calls per team, at most. vulns: per environment 2 ECS + the ECR pages of its scan (1, or
 * ⌈F/1000⌉ for an enhanced scan with criticals, F its findings). scorecard: CodePipeline
 * 2 + ⌈E/100⌉ + ⌈A/100⌉ (as fleet metrics: E executions and A action executions in the window),
 * SSM 1, CloudWatch 1 page per environment and 1 for delivery, Budgets 1 per budget account,
 * ECS 2 and the ECR pages of prod. portfolio (both in one pass): vulns + scorecard without its
 * prod image (ECS 2 and the ECR pages of prod).
 */
type ScanShape = { readonly status: string; readonly counts?: Readonly<Record<string, number>>; readonly enhanced?: readonly unknown[] };
function scanPages(scan: ScanShape | undefined): number {
  return scan?.status === 'ACTIVE' && (scan.counts?.CRITICAL ?? 0) > 0 ? Math.max(1, Math.ceil((scan.enhanced?.length ?? 0) / 1000)) : 1;
}

async function serve(teams: number, latencyMs: number, now: Date): Promise<{ url: string; close: () => Promise<void> }> {
  const generated = generatePortfolio(teams, now);
  const pipelines = await startFakeCodePipeline(generated.pipelines, { latencyMs, cacheResponses: true });
  const aws = await startFakeAws(generated.state, { codePipelineUrl: pipelines.url, latencyMs, costPageSize: 1000, findingsPageSize: 1000 });
  return { url: aws.url, close: async () => { await aws.close(); await pipelines.close(); } };
}

/** Starts the stand-ins in a child process and resolves to their URL. */
function serveInChild(teams: number, latencyMs: number): Promise<{ url: string; stop: () => void }> {
  const args = [...process.execArgv, __filename, '--serve', '--teams', String(teams), '--latency', String(latencyMs)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve({ url: line.trim(), stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`the stand-ins exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const teams = arg('teams', 200);
  const latencyMs = arg('latency', 10);
  const now = new Date('2026-11-20T12:00:00Z');
  if (process.argv.includes('--serve')) {
    const { url } = await serve(teams, latencyMs, now);
    console.log(url);
    return;
  }
  const generated = generatePortfolio(teams, now);
  const { url, stop } = await serveInChild(teams, latencyMs);
  const thresholds = portfolioSchema.parse({});
  const window = { since: new Date(now.getTime() - 30 * 86_400_000), until: now };
  const inWindow = (d: Date): boolean => d >= window.since && d < window.until;
  const vulnsBound = new Map(generated.portfolio.teams.map((t) => [t.id, t.environments.reduce((n, e) => {
    const digest = /@(sha256:.*)$/.exec(generated.state.services[`springboard-${t.id}-${e.name}`])![1];
    return n + 2 + scanPages(generated.state.scans[digest]);
  }, 0)]));
  const scorecardBound = new Map(generated.portfolio.teams.map((t, i) => {
    const p = generated.pipelines[i];
    const executions = p.executions.filter((e) => inWindow(e.startTime)).length;
    const cp = 2 + Math.ceil(executions / 100) + Math.ceil(p.actionExecutions.filter((a) => inWindow(a.startTime)).length / 100);
    const prodDigest = /@(sha256:.*)$/.exec(generated.state.services[`springboard-${t.id}-prod`])![1];
    return [t.id, cp + 1 + (t.environments.length + 1) + 2 + 2 + scanPages(generated.state.scans[prodDigest])];
  }));
  const portfolioBound = new Map(generated.portfolio.teams.map((t) => {
    const prodDigest = /@(sha256:.*)$/.exec(generated.state.services[`springboard-${t.id}-prod`])![1];
    return [t.id, vulnsBound.get(t.id)! + scorecardBound.get(t.id)! - 2 - scanPages(generated.state.scans[prodDigest])];
  }));
  const portfolioOnly = process.argv.includes('--portfolio-only');
  console.log(`stand-ins at ${url} (child process): ${teams} teams x 3 environments, ${latencyMs} ms added to every answer; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  const wall: Record<string, number> = {};
  const mean = (xs: number[]): string => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
  for (const concurrency of [1, 8]) {
    const factory = new ClientFactory(fastClient(url, { region: undefined }));
    const t = Date.now();
    const combined = await collectPortfolio(generated.portfolio, factory, {
      now, window, thresholds, templatesVersion: '0.1.0', assembly: '/nonexistent', concurrency, period: resolvePeriod('2026-10', now),
    });
    const portfolioMs = Date.now() - t;
    wall[`portfolio ${concurrency}`] = portfolioMs;
    const c = Object.entries(combined.callsPerTeam);
    console.log(`concurrency ${concurrency}`);
    console.log(`  fleet portfolio  ${(portfolioMs / 1000).toFixed(2)} s; calls/team mean ${mean(c.map(([, n]) => n))}, max ${Math.max(...c.map(([, n]) => n))};`
      + ` bound per team mean ${mean([...portfolioBound.values()])}; teams over bound ${c.filter(([id, n]) => n > portfolioBound.get(id)!).length};`
      + ` Cost Explorer requests ${combined.cost.requests}`);
    if (portfolioOnly) {
      factory.destroy();
      continue;
    }
    let t2 = Date.now();
    const vulns = await collectVulns(generated.portfolio, factory, { now, criticalMaxAgeDays: 15, concurrency });
    const vulnsMs = Date.now() - t2;
    t2 = Date.now();
    const card = await collectScorecard(generated.portfolio, factory, { now, window, thresholds, templatesVersion: '0.1.0', assembly: '/nonexistent', concurrency });
    const cardMs = Date.now() - t2;
    t2 = Date.now();
    const cost = await collectCost(generated.portfolio, factory, resolvePeriod('2026-10', now));
    const costMs = Date.now() - t2;
    factory.destroy();
    wall[`vulns ${concurrency}`] = vulnsMs;
    wall[`scorecard ${concurrency}`] = cardMs;
    const v = Object.entries(vulns.callsPerTeam);
    const s = card.teams.map((r) => [r.team, r.apiCalls] as const);
    console.log(`  fleet vulns      ${(vulnsMs / 1000).toFixed(2)} s; calls/team mean ${mean(v.map(([, n]) => n))}, max ${Math.max(...v.map(([, n]) => n))};`
      + ` bound per team mean ${mean([...vulnsBound.values()])}; teams over bound ${v.filter(([id, n]) => n > vulnsBound.get(id)!).length}; errors ${vulns.rows.filter((r) => r.error).length}`);
    console.log(`  fleet scorecard  ${(cardMs / 1000).toFixed(2)} s; calls/team mean ${mean(s.map(([, n]) => n))}, max ${Math.max(...s.map(([, n]) => n))};`
      + ` bound per team mean ${mean([...scorecardBound.values()])}; teams over bound ${s.filter(([id, n]) => n > scorecardBound.get(id)!).length}`);
    console.log(`  fleet cost       ${(costMs / 1000).toFixed(2)} s; Cost Explorer requests ${cost.requests} for ${teams} teams (bound: 1 per period and Cost Explorer page)`);
  }
  console.log('ratios measured in this run');
  console.log(`  portfolio speedup, concurrency 8 vs 1: ${(wall['portfolio 1'] / wall['portfolio 8']).toFixed(2)}x`);
  if (portfolioOnly) {
    stop();
    return;
  }
  console.log(`  vulns speedup, concurrency 8 vs 1:     ${(wall['vulns 1'] / wall['vulns 8']).toFixed(2)}x`);
  console.log(`  scorecard speedup, concurrency 8 vs 1: ${(wall['scorecard 1'] / wall['scorecard 8']).toFixed(2)}x`);
  stop();
}

void main();
