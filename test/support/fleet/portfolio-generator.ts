/**
 * A generated portfolio for the portfolio commands' tests and benchmark: each team's facts are
 * chosen by its index (scan kind, release age and template, alarms, spend), so a test can compute
 * the expected figures from the same facts with its own arithmetic.
 */
import type { FakeAwsState, FakeScan } from './fake-aws';
import type { FakePipeline } from './fake-codepipeline';
import { generatePipeline } from './history-generator';
import type { Portfolio, PortfolioTeam } from '../../../lib/fleet/portfolio/teams';

export const OFFICES = ['Office of Child Care', 'Office of Family Assistance', 'Office of Refugee Resettlement'] as const;
export const TOOLING = { account: '111111111111', region: 'us-east-1' };
export const NONPROD_ACCOUNT = '222222222222';
export const PROD_ACCOUNT = '333333333333';
export const OTHER_ACCOUNT = '999999999999';
const DAY = 86_400_000;

/** What each team's prod image scan looks like, by `index % 6`. */
export type ScanKind = 'clean' | 'basic-old-criticals' | 'enhanced-mixed' | 'failed' | 'missing' | 'enhanced-young';
export const SCAN_KINDS: readonly ScanKind[] = ['clean', 'basic-old-criticals', 'enhanced-mixed', 'failed', 'missing', 'enhanced-young'];

export interface TeamFacts {
  readonly id: string;
  readonly office: string;
  readonly budget: number;
  readonly scanKind: ScanKind;
  /** Days of each prod critical (first observed, or since the basic scan). */
  readonly criticalAges: readonly number[];
  readonly releaseAgeDays: number;
  readonly templateVersion: string | null;
  readonly alarms: number;
  /** Budgets' actual spend in the non-prod and prod accounts. */
  readonly spend: { readonly nonProd: number; readonly prod: number };
  /** Cost Explorer amounts per environment. */
  readonly cost: Readonly<Record<string, number>>;
}

export interface GeneratedPortfolio {
  readonly portfolio: Portfolio;
  readonly state: FakeAwsState;
  readonly pipelines: FakePipeline[];
  readonly facts: readonly TeamFacts[];
  /** Untagged cost in Springboard's accounts, and in an account it does not use. */
  readonly untagged: { readonly inside: number; readonly outside: number };
  readonly unregistered: Readonly<Record<string, number>>;
}

const digestOf = (team: string, env: string): string => `sha256:${Buffer.from(`${team}/${env}`).toString('hex').padEnd(64, '0').slice(0, 64)}`;

/** `ids` names the teams (default `team-000`, `team-001`, ...). */
export function generatePortfolio(teams: number, now: Date, ids: readonly string[] = []): GeneratedPortfolio {
  const facts: TeamFacts[] = [];
  const services: Record<string, string> = {};
  const scans: Record<string, FakeScan> = {};
  const parameters: Record<string, { version: number; lastModified: Date; description?: string }> = {};
  const alarmsInAlarm: string[] = [];
  const budgets: Record<string, { actualUsd: number; limitUsd: number }> = {};
  const costs: Array<{ account: string; team: string; environment: string; usd: number }> = [];
  const portfolioTeams: PortfolioTeam[] = [];
  const pipelines: FakePipeline[] = [];
  const ago = (days: number): Date => new Date(now.getTime() - days * DAY);

  for (let i = 0; i < teams; i++) {
    const id = ids[i] ?? `team-${String(i).padStart(3, '0')}`;
    const office = OFFICES[i % OFFICES.length];
    const budget = 1000 + 500 * (i % 5);
    const envs = [
      { name: 'dev', isProd: false, account: NONPROD_ACCOUNT, region: 'us-east-1' },
      { name: 'staging', isProd: false, account: NONPROD_ACCOUNT, region: 'us-east-1' },
      { name: 'prod', isProd: true, account: PROD_ACCOUNT, region: 'us-east-1' },
    ];
    portfolioTeams.push({ id, programOffice: office, budgetMonthlyUsd: budget, environments: envs });
    for (const env of envs) {
      const digest = digestOf(id, env.name);
      services[`springboard-${id}-${env.name}`] = `${TOOLING.account}.dkr.ecr.us-east-1.amazonaws.com/springboard/${id}@${digest}`;
      if (!env.isProd) scans[digest] = { status: 'COMPLETE', completedAt: ago(2), counts: { HIGH: 1, LOW: 4 } };
    }
    const scanKind = SCAN_KINDS[i % SCAN_KINDS.length];
    const prodDigest = digestOf(id, 'prod');
    let criticalAges: number[] = [];
    switch (scanKind) {
      case 'clean': scans[prodDigest] = { status: 'COMPLETE', completedAt: ago(1), counts: { MEDIUM: 2 } }; break;
      case 'basic-old-criticals':
        criticalAges = [20, 20];
        scans[prodDigest] = { status: 'COMPLETE', completedAt: ago(20), counts: { CRITICAL: 2, HIGH: 3 } };
        break;
      case 'enhanced-mixed': {
        criticalAges = [40, 3];
        const others = Array.from({ length: 118 }, (_, k) => ({ id: `CVE-2026-${1000 + k}`, severity: k % 2 ? 'HIGH' : 'LOW', firstObservedAt: ago(10) }));
        // The criticals sit on the second and third pages.
        others.splice(60, 0, { id: 'CVE-2025-0001', severity: 'CRITICAL', firstObservedAt: ago(40) });
        others.splice(110, 0, { id: 'CVE-2026-0002', severity: 'CRITICAL', firstObservedAt: ago(3) });
        scans[prodDigest] = { status: 'ACTIVE', completedAt: ago(1), counts: { CRITICAL: 2, HIGH: 59, LOW: 59 }, enhanced: others };
        break;
      }
      case 'failed': scans[prodDigest] = { status: 'FAILED' }; break;
      case 'missing': scans[prodDigest] = { status: 'missing' }; break;
      case 'enhanced-young':
        criticalAges = [5];
        scans[prodDigest] = { status: 'ACTIVE', completedAt: ago(1), counts: { CRITICAL: 1 }, enhanced: [{ id: 'CVE-2026-0005', severity: 'CRITICAL', firstObservedAt: ago(5) }] };
        break;
    }
    const releaseAgeDays = (i * 7) % 120 + 0.5;
    const templateVersion = [null, '0.1.0', '0.0.3'][i % 3];
    parameters[`/springboard/${id}/prod/release`] = {
      version: 5,
      lastModified: ago(releaseAgeDays),
      description: templateVersion ? JSON.stringify({ schemaVersion: 1, template: { name: 'springboard-service', version: templateVersion }, imageDigest: prodDigest }) : undefined,
    };
    const alarms = [0, 1, 3, 0][i % 4];
    for (let a = 0; a < alarms; a++) alarmsInAlarm.push(`springboard-${id}-prod-critical-alarm${a}`);
    const spend = { nonProd: Math.round(budget * 0.1 * (i % 4) * 100) / 100, prod: Math.round(budget * 0.25 * (i % 5) * 100) / 100 };
    budgets[`${NONPROD_ACCOUNT}|springboard-${id}`] = { actualUsd: spend.nonProd, limitUsd: budget };
    budgets[`${PROD_ACCOUNT}|springboard-${id}`] = { actualUsd: spend.prod, limitUsd: budget };
    const cost = { dev: 10.125 + i, staging: 20.5 + (i % 7), prod: 100.333 + 3 * i };
    for (const env of envs) costs.push({ account: env.account, team: id, environment: env.name, usd: cost[env.name as keyof typeof cost] });
    facts.push({ id, office, budget, scanKind, criticalAges, releaseAgeDays, templateVersion, alarms, spend, cost });
    pipelines.push(generatePipeline({ team: id, executions: 8, newest: ago(1), intervalMs: 30 * 3600_000, seed: i + 1 }));
  }
  const untagged = { inside: 55.55, outside: 1000 };
  costs.push({ account: NONPROD_ACCOUNT, team: '', environment: '', usd: untagged.inside - 5 }, { account: TOOLING.account, team: '', environment: '', usd: 5 });
  costs.push({ account: OTHER_ACCOUNT, team: '', environment: '', usd: untagged.outside });
  costs.push({ account: PROD_ACCOUNT, team: 'ghost', environment: 'prod', usd: 12.34 });
  return {
    portfolio: { tooling: TOOLING, teams: portfolioTeams },
    state: { services, scans, parameters, alarmsInAlarm, budgets, costs },
    pipelines,
    facts,
    untagged,
    unregistered: { ghost: 12.34 },
  };
}
