import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Runs bin/app.ts the way the CDK CLI does: context and output directory through the environment. */
function runEntry(context: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-entry-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    encoding: 'utf8',
  });
  return { ...result, outdir };
}

describe('bin/app.ts', () => {
  test('an invalid registry prints its diagnostics, exits 1, and writes no template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-bad-registry-'));
    fs.writeFileSync(path.join(dir, 'x.yaml'), 'id: x\n');
    const { status, stderr, outdir } = runEntry({ registry: dir });
    expect(status).toBe(1);
    expect(stderr).toMatch(/_platform\.yaml|x\.yaml/);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(fs.readdirSync(outdir).filter(f => f.endsWith('.template.json'))).toEqual([]);
  });

  test('a filter naming an unknown team exits 1 with the known ids', () => {
    const { status, stderr } = runEntry({ registry: 'teams', teams: 'nobody' });
    expect(status).toBe(1);
    expect(stderr).toContain('teams filter names unknown team(s) nobody; expected ids from teams: benefits-screener');
  });
});
