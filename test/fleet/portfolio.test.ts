/**
 * The portfolio commands against local endpoints that speak ECS, ECR, SSM, CloudWatch, Budgets,
 * Cost Explorer and CodePipeline: figures from generated data, checked against expectations this
 * file computes from the generator's facts; identical output under 25% throttling; a denied team;
 * the `--json` contracts.
 */
import { collectCost } from '../../lib/fleet/cost/collect';
import { resolvePeriod } from '../../lib/fleet/cost/period';
import { costJson } from '../../lib/fleet/cost/render';
import { costJsonSchema, scorecardJsonSchema, vulnsJsonSchema } from '../../lib/fleet/portfolio/contracts';
import { collectScorecard, scorecardExitCode } from '../../lib/fleet/scorecard/collect';
import { scorecardJson } from '../../lib/fleet/scorecard/render';
import { collectVulns, vulnExitCode } from '../../lib/fleet/vulns/collect';
import { vulnsJson } from '../../lib/fleet/vulns/render';
import { portfolioSchema } from '../../lib/registry/schema';
import { useLocalPortfolioEndpoints } from '../support/fleet/portfolio-endpoints';
import { generatePortfolio, OFFICES, type TeamFacts } from '../support/fleet/portfolio-generator';

const NOW = new Date('2026-11-20T12:00:00Z');
const WINDOW = { since: new Date(NOW.getTime() - 30 * 86_400_000), until: NOW };
const THRESHOLDS = portfolioSchema.parse({});
const generated = generatePortfolio(24, NOW);

const endpoint = useLocalPortfolioEndpoints(generated);


const vulnOptions = { now: NOW, criticalMaxAgeDays: THRESHOLDS.criticalMaxAgeDays, concurrency: 4 };
const scorecardOptions = { now: NOW, window: WINDOW, thresholds: THRESHOLDS, templatesVersion: '0.1.0', assembly: '/nonexistent', concurrency: 4 };
const cents = (n: number): number => Math.round(n * 100) / 100;

describe('fleet vulns', () => {
  test('prod digests, counts, critical ages and overdue flags match the generated facts; no scan is never clean', async () => {
    const { factory } = await endpoint();
    const report = await collectVulns(generated.portfolio, factory, vulnOptions);
    const json = vulnsJson(report);
    expect(json.environments).toHaveLength(24 * 3);
    for (const f of generated.facts) {
      const prod = json.environments.find((r) => r.team === f.id && r.environment === 'prod')!;
      expect(prod.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const expectedState = f.scanKind === 'failed' ? 'failed' : f.scanKind === 'missing' ? 'missing' : 'complete';
      expect(prod.scan?.state).toBe(expectedState);
      if (expectedState !== 'complete') {
        expect(prod.counts).toBeNull();
        continue;
      }
      expect(prod.counts!.CRITICAL).toBe(f.criticalAges.length);
      expect(prod.criticalAgesDays.map(Math.round)).toEqual([...f.criticalAges].sort((a, b) => b - a));
      expect(prod.overdue).toBe(f.criticalAges.some((a) => a > 15));
      const staging = json.environments.find((r) => r.team === f.id && r.environment === 'staging')!;
      expect(staging.counts).toMatchObject({ CRITICAL: 0, HIGH: 1, LOW: 4 });
    }
    expect(vulnExitCode(report)).toBe(1);
    expect(() => vulnsJsonSchema.parse(json)).not.toThrow();
  });
});

describe('fleet cost', () => {
  test('per team, per office, untagged and unregistered cost match sums computed here; one request per period', async () => {
    const { factory, aws } = await endpoint();
    const report = await collectCost(generated.portfolio, factory, resolvePeriod('2026-10', NOW));
    const json = costJson(report);
    for (const f of generated.facts) {
      const row = json.teams.find((t) => t.team === f.id)!;
      const total = cents(f.cost.dev + f.cost.staging + f.cost.prod);
      expect(row.byEnvironment).toEqual({ dev: cents(f.cost.dev), staging: cents(f.cost.staging), prod: cents(f.cost.prod) });
      expect(row.totalUsd).toBe(total);
      expect(row.budgetUsePercent).toBe(cents((total / f.budget) * 100));
    }
    for (const office of OFFICES) {
      const teams = generated.facts.filter((f) => f.office === office);
      const o = json.offices.find((x) => x.programOffice === office)!;
      expect(o.teams).toBe(teams.length);
      expect(o.totalUsd).toBeCloseTo(teams.reduce((a, f) => a + cents(f.cost.dev + f.cost.staging + f.cost.prod), 0), 2);
      expect(o.budgetUsd).toBe(teams.reduce((a, f) => a + f.budget, 0));
    }
    expect(json.untaggedUsd).toBe(generated.untagged.inside);
    expect(json.unregistered).toEqual(generated.unregistered);
    expect(json.period).toEqual({ start: '2026-10-01', end: '2026-11-01', month: '2026-10', partial: false });
    expect(json.requests).toBe(1);
    expect(aws.stats.byOperation.GetCostAndUsage).toBe(1);
    expect(() => costJsonSchema.parse(json)).not.toThrow();
  });

  test('every continuation page is read, and the request count does not grow with the teams', async () => {
    const { factory } = await endpoint({ costPageSize: 7 });
    const paged = costJson(await collectCost(generated.portfolio, factory, resolvePeriod('2026-10', NOW)));
    const { factory: whole } = await endpoint();
    const once = costJson(await collectCost(generated.portfolio, whole, resolvePeriod('2026-10', NOW)));
    expect(paged.requests).toBe(Math.ceil((24 * 3 + 2) / 7));
    expect({ ...paged, requests: 0 }).toEqual({ ...once, requests: 0 });
    const small = { ...generated.portfolio, teams: generated.portfolio.teams.slice(0, 3) };
    expect(costJson(await collectCost(small, whole, resolvePeriod('2026-10', NOW))).requests).toBe(once.requests);
  });
});

/** The levels this file expects for a team, from its facts and the default thresholds. */
function expectedLevels(f: TeamFacts): Record<string, string> {
  const byCount = (v: number, amber: number, red: number): string => (v >= red ? 'red' : v >= amber ? 'amber' : 'green');
  const spend = cents(f.spend.nonProd + f.spend.prod);
  const vuln = f.scanKind === 'failed' || f.scanKind === 'missing' ? 'unknown' : f.criticalAges.some((a) => a > 15) ? 'red' : f.criticalAges.length ? 'amber' : 'green';
  return {
    templateCurrency: f.templateVersion === null ? 'unknown' : f.templateVersion === '0.1.0' ? 'green' : 'amber',
    prodReleaseAge: byCount(f.releaseAgeDays, 30, 90),
    alarmsInAlarm: byCount(f.alarms, 1, 3),
    budgetUse: byCount(cents((spend / f.budget) * 100), 80, 100),
    criticalVulnerabilities: vuln,
    acknowledgedFindings: 'unknown',
  };
}

describe('fleet scorecard', () => {
  test('each criterion\'s value and level match the facts; offices count their teams per level', async () => {
    const { factory } = await endpoint();
    const card = await collectScorecard(generated.portfolio, factory, scorecardOptions);
    const json = scorecardJson(card);
    for (const f of generated.facts) {
      const row = json.teams.find((t) => t.team === f.id)!;
      const levels = Object.fromEntries(Object.entries(row.criteria).map(([c, r]) => [c, r.level]));
      expect(levels).toMatchObject(expectedLevels(f));
      expect(row.criteria.alarmsInAlarm.value).toBe(f.alarms);
      expect(row.criteria.prodReleaseAge.value).toBe(Math.floor(f.releaseAgeDays));
      expect(row.criteria.budgetUse.value).toBe(cents((cents(f.spend.nonProd + f.spend.prod) / f.budget) * 100));
      expect(row.criteria.dora.value).not.toBeNull();
      expect(row.errors.length > 0).toBe(f.scanKind === 'failed' || f.scanKind === 'missing');
    }
    for (const office of json.offices) {
      const teams = json.teams.filter((t) => t.programOffice === office.programOffice);
      const overall = office.levels.overall;
      expect(overall.red + overall.amber + overall.unknown + overall.green).toBe(teams.length);
      expect(office.levels.overall.red).toBe(teams.filter((t) => t.level === 'red').length);
    }
    expect(scorecardExitCode(card)).toBe(1);
    expect(() => scorecardJsonSchema.parse(json)).not.toThrow();
  });
});

describe('under throttling and denial', () => {
  test('with a quarter of all requests throttled at random, all three reports are identical to the clean ones', async () => {
    const clean = await endpoint();
    const expected = [
      scorecardJson(await collectScorecard(generated.portfolio, clean.factory, scorecardOptions)),
      vulnsJson(await collectVulns(generated.portfolio, clean.factory, vulnOptions)),
      { ...costJson(await collectCost(generated.portfolio, clean.factory, resolvePeriod('2026-10', NOW))), requests: 0 },
    ];
    const throttled = await endpoint({ throttleRate: 0.25, seed: 7 });
    const actual = [
      scorecardJson(await collectScorecard(generated.portfolio, throttled.factory, scorecardOptions)),
      vulnsJson(await collectVulns(generated.portfolio, throttled.factory, vulnOptions)),
      { ...costJson(await collectCost(generated.portfolio, throttled.factory, resolvePeriod('2026-10', NOW))), requests: 0 },
    ];
    expect(throttled.aws.stats.throttled).toBeGreaterThan(50);
    expect(actual).toEqual(expected);
  });

  test('a denied team gets error rows and a non-zero exit; every other team comes back', async () => {
    const denied = generated.facts.find((f) => f.scanKind === 'clean')!.id;
    const { factory } = await endpoint({ deniedTeams: [denied] });
    const vulns = await collectVulns(generated.portfolio, factory, vulnOptions);
    const mine = vulns.rows.filter((r) => r.team === denied);
    expect(mine.map((r) => r.error)).toEqual(mine.map(() => expect.stringMatching(/^access denied: /)));
    expect(vulns.rows.filter((r) => r.team !== denied && r.error)).toEqual([]);
    expect(vulnExitCode(vulns)).toBe(1);

    const card = await collectScorecard(generated.portfolio, factory, scorecardOptions);
    const row = card.teams.find((t) => t.team === denied)!;
    expect(row.errors.join('\n')).toMatch(/access denied/);
    expect(Object.values(row.criteria).filter((c) => c.level !== 'unknown')).toEqual([]);
    const others = card.teams.filter((t) => t.team !== denied && generated.facts.find((f) => f.id === t.team)!.scanKind !== 'failed'
      && generated.facts.find((f) => f.id === t.team)!.scanKind !== 'missing');
    expect(others.filter((t) => t.errors.length > 0)).toEqual([]);
    expect(scorecardExitCode(card)).toBe(1);
  });
});

describe('the --json contracts', () => {
  test('a report with a field dropped or retyped fails its schema (the schema really constrains the output)', async () => {
    const { factory } = await endpoint();
    const json = vulnsJson(await collectVulns({ ...generated.portfolio, teams: generated.portfolio.teams.slice(0, 2) }, factory, vulnOptions));
    const { digest: _dropped, ...withoutDigest } = json.environments[0];
    expect(() => vulnsJsonSchema.parse({ ...json, environments: [withoutDigest] })).toThrow();
    expect(() => vulnsJsonSchema.parse({ ...json, environments: [{ ...json.environments[0], overdue: 'no' }] })).toThrow();
    expect(() => vulnsJsonSchema.parse({ ...json, extra: 1 })).toThrow();
  });
});
