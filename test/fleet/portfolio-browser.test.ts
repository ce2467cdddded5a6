/**
 * The fleet's HTML pages in headless Chromium: the portfolio's sites (scorecard, vulnerabilities,
 * cost and the combined `fleet portfolio`: an index and a page per program office each) and the
 * single pages of `fleet metrics --html` and `fleet status --html`, all in the one frame of
 * lib/fleet/render/page.ts: axe-core finds no WCAG 2.1 AA violation, every chart is an
 * image with a text alternative, nothing is requested from the network, no script error. Without
 * Chromium the test is skipped loudly, except in CI, where it fails.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type BrowserContext, chromium } from 'playwright-core';
import { ClientFactory } from '../../lib/fleet/client-factory';
import { collectMetrics, collectStatus } from '../../lib/fleet/collect';
import { collectCost } from '../../lib/fleet/cost/collect';
import { resolvePeriod } from '../../lib/fleet/cost/period';
import { collectPortfolio } from '../../lib/fleet/portfolio/collect';
import { costSite, portfolioSite, scorecardSite, vulnsSite } from '../../lib/fleet/portfolio/site';
import { metricsHtml, statusHtml } from '../../lib/fleet/render/html';
import { ERROR_COLOUR } from '../../lib/fleet/render/page';
import { collectScorecard } from '../../lib/fleet/scorecard/collect';
import { collectVulns } from '../../lib/fleet/vulns/collect';
import { portfolioSchema } from '../../lib/registry/schema';
import { fastClient, targets } from '../support/fleet/env';
import { startFakeAws } from '../support/fleet/fake-aws';
import { startFakeCodePipeline } from '../support/fleet/fake-codepipeline';
import { generatePortfolio, OFFICES } from '../support/fleet/portfolio-generator';

const CHROMIUM = '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NOW = new Date('2026-11-20T12:00:00Z');

if (!available && !inCi) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: the portfolio pages' accessibility test needs Chromium at ${CHROMIUM} (apt-get install -y chromium); CI installs it and fails without it`);
}
const suite = available || inCi ? describe : describe.skip;

interface PageCheck {
  readonly file: string;
  readonly violations: Array<{ id: string; help: string; nodes: unknown[] }>;
  readonly charts: Array<{ role: string | null; label: string | null }>;
  readonly h1: string;
  readonly errors: string[];
  readonly requests: string[];
}

suite('fleet HTML reports in headless Chromium', () => {
  const checks: PageCheck[] = [];
  let files: string[] = [];
  let mutated: PageCheck | undefined;

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true but Chromium is missing at ${CHROMIUM}`);
    const generated = generatePortfolio(9, NOW);
    const pipelines = await startFakeCodePipeline(generated.pipelines);
    const aws = await startFakeAws(generated.state, { codePipelineUrl: pipelines.url, deniedTeams: ['team-004'] });
    const factory = new ClientFactory(fastClient(aws.url, { region: undefined }));
    const thresholds = portfolioSchema.parse({});
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-portfolio-html-'));
    const write = (file: string, content: string): void => fs.writeFileSync(file, content);
    try {
      const window = { since: new Date(NOW.getTime() - 30 * 86_400_000), until: NOW };
      const card = await collectScorecard(generated.portfolio, factory, { now: NOW, window, thresholds, templatesVersion: '0.1.0', assembly: '/nonexistent' });
      const vulns = await collectVulns(generated.portfolio, factory, { now: NOW, criticalMaxAgeDays: 15 });
      const cost = await collectCost(generated.portfolio, factory, resolvePeriod('2026-10', NOW));
      for (const [name, site] of [['scorecard', scorecardSite.bind(null, card)], ['vulns', vulnsSite.bind(null, vulns)], ['cost', null]] as const) {
        const dir = path.join(out, name);
        fs.mkdirSync(dir);
        files.push(...(site ? site(dir, write) : costSite(cost, thresholds, dir, write)));
      }
      const combined = await collectPortfolio(generated.portfolio, factory, {
        now: NOW, window, thresholds, templatesVersion: '0.1.0', assembly: '/nonexistent', period: resolvePeriod('2026-10', NOW),
      });
      fs.mkdirSync(path.join(out, 'portfolio'));
      files.push(...portfolioSite(combined, path.join(out, 'portfolio'), write));
      const teamPipelines = targets(...generated.portfolio.teams.map((t) => t.id));
      fs.mkdirSync(path.join(out, 'fleet'));
      for (const [name, html] of [
        ['metrics.html', metricsHtml(await collectMetrics(teamPipelines, factory, window))],
        ['status.html', statusHtml(await collectStatus(teamPipelines, factory, { now: NOW }))],
      ] as const) {
        write(path.join(out, 'fleet', name), html);
        files.push(path.join(out, 'fleet', name));
      }
    } finally {
      factory.destroy();
      await aws.close();
      await pipelines.close();
    }
    const browser: BrowserContext = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-chromium-')), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
      // Mutation: the frame's error colour made pale on a page with error text; axe must then object.
      const withErrors = files.find((f) => f.includes('/portfolio/office-') && /class="error">[^<]/.test(fs.readFileSync(f, 'utf8')))!;
      const pale = path.join(path.dirname(withErrors), 'mutated-pale-errors.html');
      fs.writeFileSync(pale, fs.readFileSync(withErrors, 'utf8').replace(`.error{color:${ERROR_COLOUR}}`, '.error{color:#f4a3ad}'));
      for (const file of [...files, pale]) {
        const page = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('request', (r) => { if (!r.url().startsWith('file://')) requests.push(r.url()); });
        await page.goto(`file://${file}`, { waitUntil: 'load' });
        const charts = await page.$$eval('svg', (els) => els.map((e) => ({ role: e.getAttribute('role'), label: e.getAttribute('aria-label') })));
        const h1 = await page.$eval('h1', (e) => e.textContent ?? '');
        await page.addScriptTag({ content: axe });
        const results = await page.evaluate(async (tags) => {
          const g = globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> }; document: unknown };
          return g.axe.run(g.document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        }, WCAG_21_AA);
        const check = { file, violations: results.violations as PageCheck['violations'], charts, h1, errors, requests };
        if (file === pale) mutated = check;
        else checks.push(check);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 180_000);

  test('an index and one page per program office for each portfolio report; the metrics and status pages', () => {
    expect(files.filter((f) => f.endsWith('index.html'))).toHaveLength(4);
    expect(files).toHaveLength(4 * (1 + OFFICES.length) + 2);
  });

  test('no WCAG 2.1 AA violation on any page', () => {
    expect(checks.map((c) => ({ file: path.basename(path.dirname(c.file)) + '/' + path.basename(c.file), violations: c.violations.map((v) => `${v.id}: ${v.help}`) })))
      .toEqual(checks.map((c) => ({ file: path.basename(path.dirname(c.file)) + '/' + path.basename(c.file), violations: [] })));
  });

  test('mutation: the same page with pale error text fails the contrast rule (the check can fail)', () => {
    expect(mutated!.violations.map((v) => v.id)).toContain('color-contrast');
  });

  test('every chart is an image with a text alternative naming its figures; no script error, no network request', () => {
    const officePages = checks.filter((c) => !c.file.endsWith('index.html') && !c.file.includes('/fleet/'));
    expect(officePages.every((c) => c.charts.length > 0)).toBe(true);
    for (const c of checks) {
      for (const chart of c.charts) {
        expect(chart.role).toBe('img');
        expect(chart.label).toMatch(/: /);
      }
      expect(c.errors).toEqual([]);
      expect(c.requests).toEqual([]);
      expect(c.h1).toMatch(/^Springboard/);
    }
  });
});
