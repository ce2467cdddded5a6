/**
 * Invalid registries are answered by `springboard validate` and by `cdk synth` alike: one clear
 * error, exit status 1, no stack trace and no template written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_TEAM_FILE, exampleWith, registryWith } from '../support/registry-files';

const ROOT = join(__dirname, '..', '..');

const BAD_INPUTS: ReadonlyArray<[string, Record<string, string | Buffer>, RegExp]> = [
  ['a misspelt key', { [EXAMPLE_TEAM_FILE]: exampleWith('desiredCount: 2', 'desiredCont: 2') }, /benefits-screener\.yaml:\d+:\d+: error: service\.desiredCont: unknown key 'desiredCont'; did you mean 'desiredCount'\?/],
  ['a CloudFormation expression as id', { 'evil.yaml': exampleWith('id: benefits-screener', 'id: "${AWS::Region}"') }, /evil\.yaml:\d+:\d+: error: id: expected lower-case words/],
  ['a reserved team id', { 'springboard.yaml': exampleWith('id: benefits-screener', 'id: springboard') }, /springboard\.yaml:\d+:\d+: error: id: expected a team id that is not reserved \('springboard' is reserved: it is the owner tag \(Team=springboard\) of platform-owned resources\); choose another/],
  ['an alias bomb', { 'bomb.yaml': 'a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n' }, /bomb\.yaml: error: refused: Excessive alias count/],
  ['a binary file', { 'blob.yaml': Buffer.from([0, 1, 2, 3]) }, /blob\.yaml: error: file is binary/],
];

function springboardValidate(registry: string) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'springboard'), 'validate', '--registry', registry], { encoding: 'utf8', cwd: ROOT });
}

/** Runs the CDK app the way `cdk synth -c registry=DIR` does (the CLI passes context and outdir through these variables). */
function cdkApp(registry: string, outdir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'app.ts')], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ registry }), CDK_OUTDIR: outdir },
  });
}

describe.each(BAD_INPUTS)('%s', (_name, files, expected) => {
  const registry = registryWith(files);

  test('springboard validate reports it and exits 1', () => {
    const run = springboardValidate(registry);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).toMatch(/^1 error, \d+ warnings?$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('the CDK app reports it, exits 1 and writes no template', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'springboard-out-'));
    const run = cdkApp(registry, outdir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(outdir) ? readdirSync(outdir).filter((f) => f.endsWith('.template.json')) : []).toEqual([]);
  });
});

test('springboard validate passes the example and says how long it took', () => {
  const run = springboardValidate('teams');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^teams: 1 team valid \(benefits-screener\) in \d+ ms$/m);
});
