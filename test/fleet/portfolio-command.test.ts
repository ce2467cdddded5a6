/** `springboard fleet scorecard|vulns|cost|portfolio` end to end: the registry, every format, exit status, progress and usage errors. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { costJsonSchema, portfolioJsonSchema, scorecardJsonSchema, vulnsJsonSchema } from '../../lib/fleet/portfolio/contracts';
import { type CliRun, runSpringboard } from '../support/cli';
import { SECRETS } from '../support/fleet/env';
import { type FakeAws, startFakeAws } from '../support/fleet/fake-aws';
import { type FakeCodePipeline, startFakeCodePipeline } from '../support/fleet/fake-codepipeline';
import { generatePortfolio } from '../support/fleet/portfolio-generator';
import { registryWith, secondTeamYaml } from '../support/registry-files';

const NOW = new Date('2026-11-20T12:00:00Z');
// benefits-screener gets scan kind "clean", case-portal "basic-old-criticals" (a prod critical 20 days old).
const generated = generatePortfolio(2, NOW, ['benefits-screener', 'case-portal']);
const registry = registryWith({ 'case-portal.yaml': secondTeamYaml('case-portal') });
let pipelines: FakeCodePipeline;
let aws: FakeAws;
let denying: FakeAws;

beforeAll(async () => {
  pipelines = await startFakeCodePipeline(generated.pipelines);
  aws = await startFakeAws(generated.state, { codePipelineUrl: pipelines.url });
  denying = await startFakeAws(generated.state, { codePipelineUrl: pipelines.url, deniedTeams: ['case-portal'] });
});
afterAll(async () => {
  await Promise.all([aws.close(), denying.close(), pipelines.close()]);
});

function run(args: string[], endpoint: FakeAws = aws): Promise<CliRun> {
  return runSpringboard(['fleet', ...args, '--registry', registry, '--endpoint-url', endpoint.url], {
    now: NOW,
    settings: { fleetClient: { credentials: SECRETS, pacing: { baseDelayMs: 1, minRatePerSecond: 500 } } },
  });
}

describe('fleet vulns', () => {
  test('--json follows the contract; a prod critical older than 15 days exits 1', async () => {
    const result = await run(['vulns', '--json']);
    const json = vulnsJsonSchema.parse(JSON.parse(result.stdout));
    expect(json.environments.filter((e) => e.overdue).map((e) => `${e.team}/${e.environment}`)).toEqual(['case-portal/prod']);
    expect(result.code).toBe(1);
  });

  test('the table marks the overdue critical; --csv has a row per environment', async () => {
    expect((await run(['vulns'])).stdout).toMatch(/^case-portal\s+prod\s+sha256:\S+\s+2\s+3\s+0\s+0\s+20d OVERDUE/m);
    const csv = (await run(['vulns', '--csv'])).stdout.trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^team,programOffice,environment,isProd,imageUri,digest,scanState/);
    expect(csv).toHaveLength(1 + 2 * 3);
  });

  test('a denied team gets error rows, the other team comes back, exit 1', async () => {
    const json = JSON.parse((await run(['vulns', '--json'], denying)).stdout) as { environments: Array<{ team: string; error?: string }> };
    expect(json.environments.filter((e) => e.team === 'case-portal').every((e) => /^access denied/.test(e.error ?? ''))).toBe(true);
    expect(json.environments.filter((e) => e.team === 'benefits-screener' && e.error)).toEqual([]);
  });
});

describe('fleet cost', () => {
  test('--json follows the contract and exits 0; the table has the office and untagged lines', async () => {
    const result = await run(['cost', '--month', '2026-10', '--json']);
    const json = costJsonSchema.parse(JSON.parse(result.stdout));
    expect(json.teams.map((t) => t.team)).toEqual(['benefits-screener', 'case-portal']);
    expect(json.requests).toBe(1);
    expect(result.code).toBe(0);
    const table = (await run(['cost', '--month', '2026-10'])).stdout;
    expect(table).toMatch(/^OFFICE \(2 teams\)\s+Office of Family Assistance/m);
    expect(table).toMatch(/^UNTAGGED\s+\(no Team tag\).*\$55\.55/m);
  });

  test('a month that is not a calendar month, or --json with --csv, is a usage error (exit 2)', async () => {
    const bad = await run(['cost', '--month', '2026-13']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--month must be a calendar month like 2026-11, received "2026-13"');
    expect((await run(['cost', '--json', '--csv'])).code).toBe(2);
  });
});

describe('fleet scorecard', () => {
  test('--json follows the contract; --html writes an index and a page per program office', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-scorecard-'));
    const result = await run(['scorecard', '--json', '--html', dir, '--assembly', '/nonexistent']);
    const json = scorecardJsonSchema.parse(JSON.parse(result.stdout));
    expect(json.offices.map((o) => o.programOffice)).toEqual(['Office of Family Assistance']);
    expect(json.teams.find((t) => t.team === 'case-portal')!.criteria.criticalVulnerabilities).toMatchObject({ value: 2, level: 'red' });
    expect(Object.keys(result.files).sort()).toEqual([path.join(dir, 'index.html'), path.join(dir, 'office-office-of-family-assistance.html')]);
    expect(result.files[path.join(dir, 'index.html')]).toContain('<a href="office-office-of-family-assistance.html">Office of Family Assistance</a>');
    expect(result.stderr).toContain(`wrote 2 pages to ${dir}`);
    expect(result.code).toBe(0);
  });

  test('the table writes levels as words and explains each criterion', async () => {
    const { stdout } = await run(['scorecard', '--assembly', '/nonexistent']);
    expect(stdout).toMatch(/^case-portal\s+Office of Family Assistance\s+RED\s/m);
    expect(stdout).toContain('critical vulns: critical findings of the image running in prod');
  });
});

describe('fleet portfolio', () => {
  test('--json follows the contract; --html writes the index and the office page; a prod critical older than 15 days exits 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-portfolio-'));
    const result = await run(['portfolio', '--json', '--html', dir, '--month', '2026-10', '--assembly', '/nonexistent']);
    const json = portfolioJsonSchema.parse(JSON.parse(result.stdout));
    expect(json.scorecard.teams.map((t) => t.team)).toEqual(['benefits-screener', 'case-portal']);
    expect(json.vulns.environments).toHaveLength(2 * 3);
    expect(json.cost.requests).toBe(1);
    const office = path.join(dir, 'office-office-of-family-assistance.html');
    expect(Object.keys(result.files).sort()).toEqual([path.join(dir, 'index.html'), office]);
    expect(result.files[office]).toContain('<caption>Images running in prod and their scan findings</caption>');
    expect(result.stderr).toContain(`wrote 2 pages to ${dir}`);
    expect(result.code).toBe(1);
  });

  test('the table has a row per team and per office; --csv a row per team', async () => {
    const { stdout } = await run(['portfolio', '--month', '2026-10', '--assembly', '/nonexistent']);
    expect(stdout).toMatch(/^case-portal\s+Office of Family Assistance\s+RED\s+sha256:\S+\s+2\s+3\s+0\s+0\s+\S+ \S+ \(20d ago\) OVERDUE\s+\$\d+\.\d\d\s+\$\d+\.00\s+\d+\.\d%/m);
    expect(stdout).toMatch(/^OFFICE \(2 teams\)\s+Office of Family Assistance\s+RED\s+2\s+1 overdue, 0 without a complete scan/m);
    const csv = (await run(['portfolio', '--csv', '--month', '2026-10', '--assembly', '/nonexistent'])).stdout.trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^team,programOffice,level,doraLevel,.*,prodDigest,prodScanState,prodScanCompletedAt,prodScanAgeDays,critical,high,medium,low,/);
    expect(csv).toHaveLength(1 + 2);
  });

  test('a denied team: an error in its row, the other team comes back, exit 1', async () => {
    const result = await run(['portfolio', '--json', '--month', '2026-10', '--assembly', '/nonexistent'], denying);
    const json = portfolioJsonSchema.parse(JSON.parse(result.stdout));
    expect(json.scorecard.teams.find((t) => t.team === 'case-portal')!.errors.join('\n')).toMatch(/access denied/);
    expect(json.scorecard.teams.find((t) => t.team === 'benefits-screener')!.errors).toEqual([]);
    expect(result.code).toBe(1);
    expect((await run(['portfolio', '--month', '2026-10', '--assembly', '/nonexistent'], denying)).stdout).toMatch(/^case-portal\s.*access denied/m);
  });

  test('a bad --month or --since is a usage error (exit 2) before anything is read', async () => {
    const bad = await run(['portfolio', '--month', '2026-13']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--month must be a calendar month like 2026-11, received "2026-13"');
    expect((await run(['portfolio', '--since', 'yesterday'])).code).toBe(2);
  });
});
