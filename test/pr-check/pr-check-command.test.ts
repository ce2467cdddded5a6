/**
 * `springboard pr-check` against a fixture git repository holding the example registry: a compliant
 * change (a budget) passes with nothing flagged; a broadening change (the pipeline's source
 * connection) is listed under IAM broadening for the reviewer and fails with --strict; an invalid
 * registry fails before anything is synthesized, with file:line. The approved assembly is the base
 * ref's registry synthesized with this code (first run), then given as --baseline (second run).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT_CODES } from '../../lib/contract';
import { SUMMARY_MARKER } from '../../lib/pr-check';
import { CliRun, runSpringboard } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pr-repo-'));
const teamFile = path.join(repo, 'teams', 'benefits-screener.yaml');
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
const ORIGINAL_CONNECTION = 'connection/6f1d3a52-0c4e-4b8a-9f0e-2d7c5b1a9e34';
const OTHER_CONNECTION = 'connection/99999999-0000-4000-8000-000000000000';

/** A branch off main with one edit of the team file, checked out. */
function branch(name: string, edit: (yaml: string) => string): void {
  git('checkout', '-q', '-B', name, 'main');
  fs.writeFileSync(teamFile, edit(fs.readFileSync(teamFile, 'utf8')));
  git('commit', '-qam', name);
}

async function prCheck(out: string, ...args: string[]): Promise<CliRun & { summary: string }> {
  const run = await runSpringboard(['pr-check', '--registry', path.join(repo, 'teams'), '--out', out, ...args]);
  return { ...run, summary: run.files[path.join(out, 'summary.md')] ?? '' };
}

beforeAll(() => {
  fs.cpSync(path.join(ROOT, 'teams'), path.join(repo, 'teams'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'reviewer@example.gov');
  git('config', 'user.name', 'Reviewer');
  git('add', '.');
  git('commit', '-qm', 'approved registry');
});

describe('springboard pr-check on a fixture repository', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pr-out-'));
  const baseline = path.join(out, 'compliant', 'baseline.out');

  test('a compliant change (the budget) passes: valid, gate pass, nothing flagged, compared with the base commit', async () => {
    branch('compliant', yaml => yaml.replace('monthlyUsd: 2500', 'monthlyUsd: 3000'));
    const run = await prCheck(path.join(out, 'compliant'), '--repo', repo, '--base-ref', 'main');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT_CODES.success);
    expect(run.summary.split('\n').slice(0, 2)).toEqual([SUMMARY_MARKER, '## Springboard registry check: PASS: the registry is valid, compliant, and changes nothing the audit flags']);
    expect(run.summary).toContain('| `springboard validate` | pass: 1 teams valid |');
    expect(run.summary).toMatch(/\| compliance gate \| pass: 0 open, \d+ acknowledged/);
    expect(run.summary).toContain(`| compared with | the registry at \`main\` (${git('rev-parse', 'main').slice(0, 12)}), synthesized with this code |`);
    expect(run.summary).toContain('### IAM broadening (0)\nNone: no permission is added or widened.');
    // The budget changed, unflagged: the comparison saw the change.
    expect(run.summary).toMatch(/\n[1-9]\d* other changes?, unflagged/);
    expect(fs.existsSync(path.join(baseline, 'manifest.json'))).toBe(true);
    expect(run.stdout).toContain('springboard pr-check: PASS');
  }, 240_000);

  test('a broadening change (another source connection) is listed under IAM broadening, with the statement; --strict fails it', async () => {
    branch('broadening', yaml => yaml.replace(ORIGINAL_CONNECTION, OTHER_CONNECTION));
    const run = await prCheck(path.join(out, 'broadening'), '--baseline', baseline, '--strict');
    expect(run.code).toBe(EXIT_CODES.failed);
    expect(run.summary).toContain('## Springboard registry check: REVIEW: valid and compliant, with flagged changes below for the reviewer');
    const section = run.summary.slice(run.summary.indexOf('### IAM broadening'), run.summary.indexOf('### Other flagged changes'));
    expect(section).toMatch(/^### IAM broadening \([1-9]\d*\)/);
    expect(section).toContain('springboard-delivery-benefits-screener');
    expect(section).toContain(OTHER_CONNECTION);
    expect(section).toMatch(/codeconnections:UseConnection/);
    expect(run.summary).toContain(`| compared with | the approved assembly \`${baseline}\` |`);
  }, 240_000);

  test('an invalid registry fails before any synthesis, with file and line', async () => {
    branch('invalid', yaml => yaml.replace('desiredCount: 2', 'desiredCount: many'));
    const dir = path.join(out, 'invalid');
    const run = await prCheck(dir, '--repo', repo, '--base-ref', 'main');
    expect(run.code).toBe(EXIT_CODES.failed);
    expect(run.summary).toContain('## Springboard registry check: FAIL');
    expect(run.summary).toMatch(/### Registry errors \(1\)\n- `\S*benefits-screener\.yaml:\d+` service\.desiredCount: /);
    expect(run.summary).toContain('| compliance gate | not run (the registry is invalid) |');
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'baseline.out'))).toBe(false);
  });

  test('usage: exactly one of --baseline and --base-ref', async () => {
    const run = await runSpringboard(['pr-check', '--registry', path.join(repo, 'teams'), '--out', path.join(out, 'usage')]);
    expect(run.code).toBe(EXIT_CODES.failed);
    expect(run.stderr).toContain('pr-check needs exactly one of --baseline <approved assembly> and --base-ref <git ref>');
  });
});
