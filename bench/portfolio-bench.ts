/**
 * The portfolio commands over 200 generated teams against the local stand-ins (every answer
 * delayed by --latency ms, default 10): wall time at concurrency 1 and 8, API calls per team with
 * the bound next to them, and Cost Explorer requests. It asserts nothing; it prints what it measured.
 *
 *   npx tsx bench/portfolio-bench.ts [--teams 200] [--latency 10]
 */
import { ClientFactory } from '../lib/fleet/client-factory';
import { collectCost } from '../lib/fleet/cost/collect';
import { resolvePeriod } from '../lib/fleet/cost/period';
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
 * Calls per team, at most: vulns 2 ECS per environment + 1 ECR page per environment (more only for
 * enhanced scans with criticals: one per 1000 findings); scorecard: CodePipeline (1 GetPipeline +
 * ⌈A/100⌉ action pages + 1 execution page) + 1 SSM + 1 CloudWatch page per environment and 1 for
 * delivery + 1 Budgets per budget account + 2 ECS + 1 ECR for prod.
 */
const VULNS_BOUND = (envs: number): number => 3 * envs;
const SCORECARD_BOUND = (envs: number, budgetAccounts: number, actionPages: number): number => 2 + actionPages + 1 + (envs + 1) + budgetAccounts + 3;

async function main(): Promise<void> {
  const teams = arg('teams', 200);
  const latencyMs = arg('latency', 10);
  const now = new Date('2026-11-20T12:00:00Z');
  const generated = generatePortfolio(teams, now);
  const pipelines = await startFakeCodePipeline(generated.pipelines, { latencyMs, cacheResponses: true });
  const aws = await startFakeAws(generated.state, { codePipelineUrl: pipelines.url, latencyMs, costPageSize: 1000 });
  const thresholds = portfolioSchema.parse({});
  const window = { since: new Date(now.getTime() - 30 * 86_400_000), until: now };
  console.log(`stand-ins: ${teams} teams x 3 environments, ${latencyMs} ms added to every answer`);
  const wall: Record<string, number> = {};
  for (const concurrency of [1, 8]) {
    const factory = new ClientFactory(fastClient(aws.url, { region: undefined }));
    let t = Date.now();
    const vulns = await collectVulns(generated.portfolio, factory, { now, criticalMaxAgeDays: 15, concurrency });
    const vulnsMs = Date.now() - t;
    t = Date.now();
    const card = await collectScorecard(generated.portfolio, factory, { now, window, thresholds, templatesVersion: '0.1.0', assembly: '/nonexistent', concurrency });
    const cardMs = Date.now() - t;
    t = Date.now();
    const cost = await collectCost(generated.portfolio, factory, resolvePeriod('2026-10', now));
    const costMs = Date.now() - t;
    factory.destroy();
    wall[`vulns ${concurrency}`] = vulnsMs;
    wall[`scorecard ${concurrency}`] = cardMs;
    const vCalls = Object.values(vulns.callsPerTeam);
    const sCalls = card.teams.map((r) => r.apiCalls);
    const mean = (xs: number[]): string => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
    const actionPages = Math.max(...generated.pipelines.map((p) => Math.ceil(p.actionExecutions.length / 100)));
    console.log(`concurrency ${concurrency}`);
    console.log(`  fleet vulns      ${(vulnsMs / 1000).toFixed(2)} s; calls/team mean ${mean(vCalls)}, max ${Math.max(...vCalls)}; bound ${VULNS_BOUND(3)} (3 per environment)`
      + `; errors ${vulns.rows.filter((r) => r.error).length}`);
    console.log(`  fleet scorecard  ${(cardMs / 1000).toFixed(2)} s; calls/team mean ${mean(sCalls)}, max ${Math.max(...sCalls)}; bound ${SCORECARD_BOUND(3, 2, actionPages)}`
      + ` (CodePipeline 3+${actionPages - 1}, SSM 1, CloudWatch 4, Budgets 2, ECS 2, ECR 1)`);
    console.log(`  fleet cost       ${(costMs / 1000).toFixed(2)} s; Cost Explorer requests ${cost.requests} for ${teams} teams (1 per period)`);
  }
  console.log('ratios measured in this run');
  console.log(`  vulns speedup, concurrency 8 vs 1:     ${(wall['vulns 1'] / wall['vulns 8']).toFixed(2)}x`);
  console.log(`  scorecard speedup, concurrency 8 vs 1: ${(wall['scorecard 1'] / wall['scorecard 8']).toFixed(2)}x`);
  await aws.close();
  await pipelines.close();
}

void main();
