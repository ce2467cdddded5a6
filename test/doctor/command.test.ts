/**
 * `springboard doctor` end to end: the real command, its real SDK clients and retry strategy,
 * against a local endpoint on 127.0.0.1 (AWS_ENDPOINT_URL) that speaks STS, CloudFormation, IAM
 * and SSM and refuses the rest; then with no credentials at all. The example registry uses three
 * accounts: the tooling account is bootstrapped, the dev account's CloudFormation always throttles,
 * the prod account has no reader role.
 */
import { doctorReportSchema } from '../../lib/doctor/report';
import { startAccountsStandIn } from '../support/aws-stand-in/accounts';
import type { StandIn } from '../support/aws-stand-in/server';
import { runSpringboard } from '../support/cli';
import { SECRETS } from '../support/fleet/env';

const TOOLING = '111111111111';
const DEV = '222222222222';
const PROD = '333333333333';
const AWS_VARIABLES = Object.keys(process.env).filter(k => k.startsWith('AWS_'));
const saved = Object.fromEntries(AWS_VARIABLES.map(k => [k, process.env[k]]));

function isolateFromTheMachine(): void {
  for (const k of AWS_VARIABLES) delete process.env[k];
  process.env.AWS_CONFIG_FILE = '/nonexistent/springboard-doctor-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/springboard-doctor-credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

afterAll(() => {
  for (const k of Object.keys(process.env).filter(key => key.startsWith('AWS_'))) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('against a local endpoint', () => {
  let fake: StandIn;
  let table: Awaited<ReturnType<typeof runSpringboard>>;
  let json: Awaited<ReturnType<typeof runSpringboard>>;

  beforeAll(async () => {
    isolateFromTheMachine();
    fake = await startAccountsStandIn(TOOLING, {
      [TOOLING]: { bootstrap: { status: 'UPDATE_COMPLETE', version: 27, trustedAccounts: [] } },
      [DEV]: { throttle: ['cloudformation:DescribeStacks'] },
      [PROD]: { missingRole: true },
    });
    process.env.AWS_ENDPOINT_URL = fake.url;
    const settings = { doctorAws: { credentials: SECRETS } };
    table = await runSpringboard(['doctor', '--assembly', '/nonexistent-assembly'], { settings, now: new Date('2026-12-03T10:00:00Z') });
    json = await runSpringboard(['doctor', '--json', '--assembly', '/nonexistent-assembly', '--concurrency', '2'], { settings, now: new Date('2026-12-03T10:00:00Z') });
  });
  afterAll(async () => fake.close());

  test('a table grouped by account, exit 1 because something failed, progress on stderr', () => {
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(new RegExp(`^account ${TOOLING} \\(tooling\\)`));
    const order = [TOOLING, DEV, PROD].map(a => table.stdout.indexOf(`account ${a}`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(table.stderr).toContain('doctor: 3/3 accounts');
    expect(table.stdout).not.toContain('    at ');
    expect(table.stdout).toMatch(/\d+ ok, \d+ warnings?, \d+ failed in 3 accounts\n$/);
  });

  test('the tooling account\'s bootstrap is read through the chain of reader roles, and reported ok', () => {
    const tooling = json.stdout && JSON.parse(json.stdout).accounts.find((a: any) => a.account === TOOLING);
    const rows = tooling.results.filter((r: any) => r.group === 'bootstrap');
    expect(rows.map((r: any) => [r.check, r.status])).toEqual([['bootstrap version', 'ok'], ['bootstrap trust', 'ok']]);
    expect(rows[0].detail).toContain('version 27');
    expect(fake.calls.filter(c => c.service === 'sts' && c.account === TOOLING).length).toBeGreaterThan(0);
    expect(fake.calls.some(c => c.service === 'cloudformation' && c.account === TOOLING && c.status === 200)).toBe(true);
  });

  test('a missing role is one clear row for that account, and the other accounts are still checked', () => {
    expect(table.stdout).toMatch(new RegExp(`account ${PROD}[^\\n]*\\n  FAIL  -\\s+access springboard-reader\\s+access denied on sts:AssumeRole`));
    expect(table.stdout).toContain(`deploy the account's home baseline (springboard-baseline-${PROD}-us-east-1)`);
    const prod = JSON.parse(json.stdout).accounts.find((a: any) => a.account === PROD);
    expect(prod.results).toHaveLength(1);
  });

  test('throttling that outlasts the standard retry strategy (3 attempts) is a warning row, not a failure of the run', () => {
    const dev = JSON.parse(json.stdout).accounts.find((a: any) => a.account === DEV);
    const row = dev.results.find((r: any) => r.group === 'bootstrap');
    expect([row.status, row.detail]).toEqual(['warn', expect.stringContaining('throttled on cloudformation:DescribeStacks')]);
    const attempts = fake.calls.filter(c => c.account === DEV && c.service === 'cloudformation');
    // Two runs (table and JSON), three attempts each, for each of the account's places.
    expect(attempts.length % 3).toBe(0);
    expect(attempts.length).toBeGreaterThanOrEqual(6);
  });

  test('access denied on an unserved read is a row naming the action and the remedy', () => {
    const rows = JSON.parse(json.stdout).accounts.flatMap((a: any) => a.results);
    const guardDuty = rows.find((r: any) => r.account === TOOLING && r.check === 'GuardDuty');
    expect(guardDuty).toMatchObject({ status: 'fail', detail: expect.stringContaining('access denied on guardduty:ListDetectors') });
    expect(guardDuty.remedy).toContain('springboard-reader');
  });

  test('an unreachable endpoint is a row for the checks that need it; the rest of the run goes on', async () => {
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = 'http://127.0.0.1:1';
    try {
      const run = await runSpringboard(['doctor', '--json', '--assembly', '/nonexistent-assembly', '--connect-timeout', '500'], { settings: { doctorAws: { credentials: SECRETS } } });
      const rows = doctorReportSchema.parse(JSON.parse(run.stdout)).accounts.flatMap(a => a.results);
      const guardDuty = rows.filter(r => r.check === 'GuardDuty');
      expect(guardDuty.length).toBe(2);
      for (const row of guardDuty) expect(row).toMatchObject({ status: 'fail', detail: expect.stringContaining('cannot reach the guardduty endpoint') });
      expect(rows.find(r => r.account === TOOLING && r.check === 'bootstrap version')).toMatchObject({ status: 'ok' });
    } finally {
      delete process.env.AWS_ENDPOINT_URL_GUARDDUTY;
    }
  });

  test('--json follows the documented schema; no secret reaches any output', () => {
    const report = doctorReportSchema.parse(JSON.parse(json.stdout));
    expect(report.accounts.map(a => a.account)).toEqual([TOOLING, DEV, PROD]);
    expect(report.summary.fail).toBeGreaterThan(0);
    expect(json.code).toBe(1);
    for (const out of [table.stdout, table.stderr, json.stdout, json.stderr]) {
      for (const secret of Object.values(SECRETS)) expect(out).not.toContain(secret);
      expect(out).not.toMatch(/fake-secret-|fake-token-/);
    }
  });
});

describe('with no credentials at all', () => {
  test('every account gets one row saying so, with the sign-in step; exit 1, no stack trace', async () => {
    isolateFromTheMachine();
    const run = await runSpringboard(['doctor', '--json']);
    expect(run.code).toBe(1);
    const report = doctorReportSchema.parse(JSON.parse(run.stdout));
    for (const account of report.accounts) {
      const access = account.results.find(r => r.group === 'access')!;
      expect([account.account, access.status, access.detail]).toEqual([account.account, 'fail', expect.stringContaining('no AWS credentials')]);
      expect(access.remedy).toContain('aws sso login');
    }
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('usage', () => {
  test('a malformed flag exits 2 with the flag named', async () => {
    const run = await runSpringboard(['doctor', '--concurrency', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--concurrency must be a whole number from 1 to 16');
  });

  test('an invalid registry exits 1 with the file named', async () => {
    const run = await runSpringboard(['doctor', '--registry', '/nonexistent-registry']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^springboard doctor: /);
  });
});
