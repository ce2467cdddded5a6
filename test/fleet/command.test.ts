/** `springboard fleet status|metrics` end to end against the local endpoint: formats, exit status, secrecy. */
import { type CliRun, runSpringboard } from '../support/cli';
import { SECRETS } from '../support/fleet/env';
import { type FakeCodePipeline, startFakeCodePipeline } from '../support/fleet/fake-codepipeline';
import { ALPHA, BETA, EXPECTED, GAMMA } from '../support/fleet/handmade';
import { generatePipeline } from '../support/fleet/history-generator';

const NOW = new Date('2026-03-11T06:00:00Z');

async function run(args: string[], fake: FakeCodePipeline): Promise<CliRun> {
  return runSpringboard(['fleet', ...args, '--endpoint-url', fake.url, '--region', 'us-east-1'], {
    now: NOW,
    settings: { fleetClient: { credentials: SECRETS, pacing: { baseDelayMs: 1, minRatePerSecond: 500 } } },
  });
}

const WINDOW_ARGS = ['--since', '2026-03-01', '--until', '2026-03-11'];
let fake: FakeCodePipeline;

beforeAll(async () => {
  const screener = generatePipeline({ team: 'benefits-screener', executions: 20, newest: new Date('2026-03-10T12:00:00Z'), newestAwaitsApproval: true });
  fake = await startFakeCodePipeline([ALPHA, BETA, GAMMA, screener, { ...GAMMA, name: 'springboard-secretive' }], {
    echoSignatureFor: ['springboard-secretive'],
  });
});
afterAll(() => fake.close());

describe('fleet metrics', () => {
  test('--json prints exactly the contract, with an error row and exit status 1', async () => {
    const result = await run(['metrics', '--discover', '--json', ...WINDOW_ARGS], fake);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['since', 'until', 'teams', 'fleet']);
    expect(json.since).toBe('2026-03-01T00:00:00.000Z');
    expect(json.until).toBe('2026-03-11T00:00:00.000Z');
    expect(json.teams.map((t: { team: string }) => t.team)).toEqual(['alpha', 'benefits-screener', 'beta', 'gamma', 'secretive']);
    expect(json.teams[0]).toEqual({ team: 'alpha', pipeline: 'springboard-alpha', ...EXPECTED.alpha });
    expect(Object.keys(json.teams[0])).toEqual([
      'team', 'pipeline', 'deployments', 'failures', 'deploymentFrequencyPerDay', 'leadTimeSecondsMedian', 'changeFailureRate', 'timeToRestoreSecondsMedian',
    ]);
    expect(json.teams[4]).toMatchObject({ team: 'secretive', deployments: null, error: expect.stringMatching(/^access denied/) });
    expect(Object.keys(json.fleet)).toEqual(Object.keys(EXPECTED.fleet));
    expect(result.code).toBe(1);
  });

  test('the table names the window, the bands\' report and thresholds, and the lead-time caveat', async () => {
    const { stdout } = await run(['metrics', '--discover', ...WINDOW_ARGS], fake);
    expect(stdout).toContain('DORA metrics from 2026-03-01 00:00Z (inclusive) to 2026-03-11 00:00Z (exclusive), 10 days');
    expect(stdout).toMatch(/^alpha\s+springboard-alpha\s+3\s+3\s+0\.30 high\s+1h 45m elite\s+50\.0% low\s+23h 47m high/m);
    expect(stdout).toContain('lead time is measured from the start of the pipeline execution, not from the commit');
    expect(stdout).toContain('Bands from the 2024 Accelerate State of DevOps report (DORA)');
    expect(stdout).toContain('change fail rate: elite 5%; high 20%; medium 10%; low 40%');
  });

  test('--csv has a band next to each figure and a fleet row', async () => {
    const { stdout } = await run(['metrics', '--discover', '--csv', ...WINDOW_ARGS], fake);
    const lines = stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('team,pipeline,deployments,failures,deploymentFrequencyPerDay,deploymentFrequencyBand,leadTimeSecondsMedianFromExecutionStart,'
      + 'leadTimeBand,changeFailureRate,changeFailureRateBand,timeToRestoreSecondsMedian,timeToRestoreBand,since,until,error');
    expect(lines[1]).toBe('alpha,springboard-alpha,3,3,0.3,high,6300,elite,0.5,low,85650,high,2026-03-01T00:00:00.000Z,2026-03-11T00:00:00.000Z,');
    expect(lines[lines.length - 1]).toMatch(/^\(fleet\),,/);
  });

  test('--html writes a self-contained page with inline SVG charts', async () => {
    const { files, stderr } = await run(['metrics', '--discover', '--html', 'report.html', ...WINDOW_ARGS], fake);
    const html = files['report.html'];
    expect(stderr).toContain('wrote report.html');
    expect(html).toMatch(/^<!doctype html>/);
    expect((html.match(/<svg /g) ?? []).length).toBe(4);
    expect(html).not.toMatch(/https?:|<script|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).toContain('2024 Accelerate State of DevOps report');
    expect(html).toContain('not from the commit');
    // The one frame of every fleet page (lib/fleet/render/page.ts): a main landmark, one h1, the darker error colour.
    expect(html).toContain('<main>\n<h1>Springboard fleet: DORA metrics</h1>');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('.error{color:#a40e26}');
  });

  test('pipelines come from the registry by default', async () => {
    const { stdout, code } = await run(['metrics', '--registry', 'teams', '--json', ...WINDOW_ARGS], fake);
    const json = JSON.parse(stdout);
    expect(json.teams.map((t: { pipeline: string }) => t.pipeline)).toEqual(['springboard-benefits-screener']);
    expect(json.teams[0].error).toBeUndefined();
    expect(code).toBe(0);
  });
});

describe('fleet status', () => {
  test('a row per team with stage states, the waiting approval and the error row', async () => {
    const { stdout, code } = await run(['status', '--discover'], fake);
    expect(stdout).toMatch(/^benefits-screener\s+springboard-benefits-screener\s+InProgress .*Prod\/Approve waiting \d+h \d+m/m);
    expect(stdout).toMatch(/^secretive .*access denied/m);
    expect(code).toBe(1);
    const json = JSON.parse((await run(['status', '--discover', '--json'], fake)).stdout);
    const screener = json.teams.find((t: { team: string }) => t.team === 'benefits-screener');
    expect(screener.pendingApproval).toMatchObject({ stage: 'Prod', action: 'Approve' });
    expect(screener.stages.map((s: { environment: string }) => s.environment)).toEqual(['dev', 'staging', 'prod']);
  });
});

describe('secrecy', () => {
  test('no credential reaches stdout, stderr or the HTML, even when the endpoint echoes the signature', async () => {
    const outputs: string[] = [];
    for (const args of [['metrics', '--json'], ['metrics', '--csv'], ['metrics'], ['status', '--json'], ['status', '--csv', '--html', 'x.html'], ['status']]) {
      const r = await run([...args, '--discover', ...(args[0] === 'metrics' ? WINDOW_ARGS : [])], fake);
      outputs.push(r.stdout, r.stderr, ...Object.values(r.files));
    }
    const all = outputs.join('\n');
    expect(all).toContain('[redacted]');
    for (const secret of Object.values(SECRETS)) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/Signature=[0-9a-f]{8}/);
  });
});

test('a registry that cannot be read is invalid input: exit 1, the folder named', async () => {
  const result = await run(['status', '--registry', 'no-such-folder'], fake);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^springboard fleet status: .*no-such-folder/m);
  expect(result.stdout).toBe('');
});

describe('mistakes on the command line exit 2 with a message that says what was expected', () => {
  test.each([
    [['metrics', '--discover', '--since', 'last week'], /--since must be a duration like 30d or 12h, or an ISO 8601 date, received "last week"/],
    [['metrics', '--discover', '--until', '03/11/2026'], /--until must be an ISO 8601 date .*received "03\/11\/2026"/],
    [['status', '--discover', '--json', '--csv'], /choose one of --json and --csv/],
    [['status', '--discover', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 64, received "0"/],
    [['status', '--discover', '--assume-role'], /--discover .* cannot assume a role per account/],
  ])('%j', async (args, message) => {
    const result = await run(args, fake);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
