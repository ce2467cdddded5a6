/**
 * `fleet portfolio`: one pass over the local AWS endpoints gives the three reports, and its office
 * pages show, for each team, its scorecard row, the image running in prod (digest, counts by
 * severity, scan date and age) and its cost against its budget. Every expected figure is computed
 * here from the generator's facts with this file's own arithmetic; the pages are read back as tables.
 */
import * as path from 'path';
import { collectCost } from '../../lib/fleet/cost/collect';
import { resolvePeriod } from '../../lib/fleet/cost/period';
import { costJson } from '../../lib/fleet/cost/render';
import { collectPortfolio, portfolioExitCode, type PortfolioReport } from '../../lib/fleet/portfolio/collect';
import { portfolioJsonSchema } from '../../lib/fleet/portfolio/contracts';
import { portfolioJson } from '../../lib/fleet/portfolio/render';
import { portfolioSite } from '../../lib/fleet/portfolio/site';
import { collectScorecard } from '../../lib/fleet/scorecard/collect';
import { scorecardJson } from '../../lib/fleet/scorecard/render';
import { collectVulns } from '../../lib/fleet/vulns/collect';
import { vulnsJson } from '../../lib/fleet/vulns/render';
import { portfolioSchema } from '../../lib/registry/schema';
import { useLocalPortfolioEndpoints } from '../support/fleet/portfolio-endpoints';
import { generatePortfolio, OFFICES, type TeamFacts } from '../support/fleet/portfolio-generator';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const THRESHOLDS = portfolioSchema.parse({});
const PERIOD = resolvePeriod('2026-10', NOW);
const generated = generatePortfolio(12, NOW);
const options = {
  now: NOW,
  window: { since: new Date(NOW.getTime() - 30 * DAY), until: NOW },
  thresholds: THRESHOLDS,
  templatesVersion: '0.1.0',
  assembly: '/nonexistent',
  concurrency: 4,
  period: PERIOD,
};

const endpoint = useLocalPortfolioEndpoints(generated);


/** The pages written, by file name. */
function site(report: PortfolioReport): Record<string, string> {
  const files: Record<string, string> = {};
  portfolioSite(report, '/site', (file, content) => { files[path.basename(file)] = content; });
  return files;
}

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const text = (html: string): string => unescape(html.replace(/<br>/g, ' ').replace(/<[^>]+>/g, '')).trim();

/** The body rows of the table with this caption, as cell texts (row header first). */
function tableRows(html: string, caption: string): string[][] {
  const table = new RegExp(`<table><caption>${caption}</caption>([\\s\\S]*?)</table>`).exec(html);
  if (!table) throw new Error(`no table "${caption}"`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table[1])![1];
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1])));
}

const slug = (office: string): string => `office-${office.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.html`;
const cents = (n: number): number => Math.round(n * 100) / 100;
const usd = (n: number): string => `$${n.toFixed(2)}`;
const minute = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;
const prodDigest = (team: string): string => `sha256:${Buffer.from(`${team}/prod`).toString('hex').padEnd(64, '0').slice(0, 64)}`;

/** What the prod image table must say for a team: counts, scan time and age, from the generator's facts. */
function expectedProd(f: TeamFacts): { counts: string[]; scanned: string; age: string } {
  const scan: Record<string, { counts: number[]; daysAgo: number } | string> = {
    'clean': { counts: [0, 0, 2, 0], daysAgo: 1 },
    'basic-old-criticals': { counts: [2, 3, 0, 0], daysAgo: 20 },
    'enhanced-mixed': { counts: [2, 59, 0, 59], daysAgo: 1 },
    'enhanced-young': { counts: [1, 0, 0, 0], daysAgo: 1 },
    'failed': 'SCAN FAILED (FAILED)',
    'missing': 'NO SCAN',
  };
  const s = scan[f.scanKind];
  if (typeof s === 'string') return { counts: ['-', '-', '-', '-'], scanned: s, age: '-' };
  return { counts: s.counts.map(String), scanned: minute(new Date(NOW.getTime() - s.daysAgo * DAY)) + (f.scanKind.startsWith('enhanced') ? ' (enhanced)' : ''), age: `${s.daysAgo} days` };
}

describe('fleet portfolio: one pass, three reports', () => {
  test('each team is read once, and the three reports equal those of the three commands run apart', async () => {
    const { factory, aws } = await endpoint();
    const progress: string[] = [];
    const report = await collectPortfolio(generated.portfolio, factory, { ...options, onProgress: (done, total) => progress.push(`${done}/${total}`) });
    expect(progress).toEqual(generated.facts.map((_, i) => `${i + 1}/12`));
    // One DescribeServices per environment: the scorecard reuses the prod image instead of reading it again.
    expect(aws.stats.byOperation.DescribeServices).toBe(12 * 3);
    expect(aws.stats.byOperation.GetCostAndUsage).toBe(1);
    const json = portfolioJson(report);
    expect(() => portfolioJsonSchema.parse(json)).not.toThrow();

    const { factory: apart } = await endpoint();
    expect(json.scorecard).toEqual(scorecardJson(await collectScorecard(generated.portfolio, apart, options)));
    expect(json.vulns).toEqual(vulnsJson(await collectVulns(generated.portfolio, apart, { now: NOW, criticalMaxAgeDays: 15 })));
    expect({ ...json.cost, requests: 0 }).toEqual({ ...costJson(await collectCost(generated.portfolio, apart, PERIOD)), requests: 0 });
    // Failed and missing prod scans are not known clean: the run says so.
    expect(portfolioExitCode(report)).toBe(1);
  });

  test('the --json contract constrains the output (mutation: a section dropped, a field retyped, a field added)', async () => {
    const { factory } = await endpoint();
    const json = portfolioJson(await collectPortfolio({ ...generated.portfolio, teams: generated.portfolio.teams.slice(0, 2) }, factory, options));
    const { cost: _dropped, ...withoutCost } = json;
    expect(() => portfolioJsonSchema.parse(withoutCost)).toThrow();
    expect(() => portfolioJsonSchema.parse({ ...json, generatedAt: 'yesterday' })).toThrow();
    const retyped = { ...json.vulns, environments: [{ ...json.vulns.environments[0], digest: 7 }] };
    expect(() => portfolioJsonSchema.parse({ ...json, vulns: retyped })).toThrow();
    expect(() => portfolioJsonSchema.parse({ ...json, extra: true })).toThrow();
  });
});

describe('fleet portfolio --html: an index and one page per program office', () => {
  let pages: Record<string, string>;
  beforeAll(async () => {
    const { factory } = await endpoint();
    pages = site(await collectPortfolio(generated.portfolio, factory, options));
  });

  test('the index links one page per program office, with its teams and cost against budget', () => {
    expect(Object.keys(pages).sort()).toEqual(['index.html', ...OFFICES.map(slug)].sort());
    const rows = tableRows(pages['index.html'], 'Each program office: teams at each level, vulnerable software in prod, cost against budget');
    expect(rows.map((r) => r[0])).toEqual([...OFFICES]);
    for (const [i, office] of OFFICES.entries()) {
      const teams = generated.facts.filter((f) => f.office === office);
      expect(pages['index.html']).toContain(`<a href="${slug(office)}">${office}</a>`);
      expect(rows[i][1]).toBe(String(teams.length));
      expect(rows[i][10]).toBe(usd(teams.reduce((a, f) => a + cents(f.cost.dev + f.cost.staging + f.cost.prod), 0)));
      expect(rows[i][11]).toBe(usd(teams.reduce((a, f) => a + f.budget, 0)));
    }
  });

  test('an office page has each team\'s scorecard row, the prod image it runs and its cost against its budget', () => {
    for (const office of OFFICES) {
      const page = pages[slug(office)];
      const teams = generated.facts.filter((f) => f.office === office);
      expect(page).toContain(`<h1>Springboard portfolio: ${office}</h1>`);

      const scorecard = tableRows(page, 'Scorecard per team');
      expect(scorecard.map((r) => r[0])).toEqual(teams.map((f) => f.id));
      for (const [i, f] of teams.entries()) {
        // Columns: team, level, DORA, template, last prod release, accepted findings, alarms, budget, critical vulns, errors.
        const level = (v: number, amber: number, red: number): string => (v >= red ? 'red' : v >= amber ? 'amber' : 'green');
        const spent = cents(((f.spend.nonProd + f.spend.prod) / f.budget) * 100);
        expect(scorecard[i][4]).toBe(`${level(f.releaseAgeDays, 30, 90)} ${Math.floor(f.releaseAgeDays)}d`);
        expect(scorecard[i][6]).toMatch(new RegExp(`^${level(f.alarms, 1, 3)} ${f.alarms}\\b`));
        expect(scorecard[i][7]).toMatch(new RegExp(`^${level(spent, 80, 100)} ${spent}% `));
        expect(scorecard[i][8]).toMatch(f.scanKind === 'failed' || f.scanKind === 'missing' ? /^unknown \?/ : new RegExp(`^\\w+ ${f.criticalAges.length}\\b`));
      }

      const prod = tableRows(page, 'Images running in prod and their scan findings');
      expect(prod.map((r) => r[0])).toEqual(teams.map((f) => f.id));
      for (const [i, f] of teams.entries()) {
        const want = expectedProd(f);
        expect(prod[i][2]).toBe(prodDigest(f.id));
        expect(prod[i].slice(3, 7)).toEqual(want.counts);
        expect(prod[i][7]).toBe(want.scanned);
        expect(prod[i][8]).toBe(want.age);
        const overdue = f.criticalAges.some((a) => a > 15);
        expect(prod[i][1]).toBe(want.age === '-' ? 'unknown' : overdue ? 'red' : f.criticalAges.length > 0 ? 'amber' : 'green');
        expect(prod[i][9]).toBe(f.criticalAges.length > 0 ? `${Math.max(...f.criticalAges)} days${overdue ? ' (over 15: overdue)' : ''}` : '-');
      }

      const cost = tableRows(page, 'Cost against budget');
      for (const [i, f] of teams.entries()) {
        const total = cents(f.cost.dev + f.cost.staging + f.cost.prod);
        expect(cost[i]).toEqual([f.id, `dev ${usd(cents(f.cost.dev))}, prod ${usd(cents(f.cost.prod))}, staging ${usd(cents(f.cost.staging))}`,
          usd(total), usd(f.budget), `${cents((total / f.budget) * 100).toFixed(1)}%`]); // the JSON's percent (to cents), shown to one decimal
      }
      expect(cost[teams.length][0]).toBe('program office');
    }
  });

  test('every chart is an inline SVG image whose text alternative lists its figures; nothing external', () => {
    for (const [file, html] of Object.entries(pages)) {
      const charts = html.match(/<svg [^>]*>/g) ?? [];
      expect(charts.length).toBeGreaterThanOrEqual(file === 'index.html' ? 2 : 3);
      for (const svg of charts) expect(svg).toMatch(/role="img" aria-label="[^"]+: [^"]+"/);
      expect(html).not.toMatch(/<script|\bsrc=|https?:|url\(|@import/i);
    }
  });
});

describe('fleet portfolio with a denied team', () => {
  test('the team gets error rows on its office page and the run a non-zero exit; every other team comes back', async () => {
    const denied = generated.facts.find((f) => f.scanKind === 'clean')!;
    const { factory } = await endpoint({ deniedTeams: [denied.id] });
    const report = await collectPortfolio(generated.portfolio, factory, options);
    const page = site(report)[slug(denied.office)];
    const scorecard = tableRows(page, 'Scorecard per team').find((r) => r[0] === denied.id)!;
    expect(scorecard[1]).toBe('unknown');
    expect(scorecard[scorecard.length - 1]).toMatch(/access denied/);
    const prod = tableRows(page, 'Images running in prod and their scan findings').find((r) => r[0] === denied.id)!;
    expect(prod[prod.length - 1]).toMatch(/^access denied: /);
    expect(prod.slice(3, 7)).toEqual(['-', '-', '-', '-']);
    expect(portfolioExitCode(report)).toBe(1);

    const unreadable = new Set(generated.facts.filter((f) => f.scanKind === 'failed' || f.scanKind === 'missing').map((f) => f.id));
    const others = report.scorecard.teams.filter((t) => t.team !== denied.id && !unreadable.has(t.team));
    expect(others.filter((t) => t.errors.length > 0)).toEqual([]);
    expect(report.vulns.rows.filter((r) => r.team !== denied.id && r.error)).toEqual([]);
    // Cost comes from the payer account, not the team's: it is still read.
    expect(report.cost.error).toBeUndefined();
  });
});
