/**
 * Each project's buildspec runs only its own steps; every install skips install scripts; the Synth
 * project checks provenance first, and that check is run here against real git repositories.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BROADENING_CHECK, buildspecObject, INSTALL, projectSteps, PROVENANCE_CHECK } from '../../lib/platform-pipeline/buildspec';

describe('the projects\' buildspecs', () => {
  const specs = {
    'synth': buildspecObject('synth', { synthTeams: ['pay'] }) as any,
    'non-prod': buildspecObject('non-prod', {}) as any,
    'prod': buildspecObject('prod', {}) as any,
  };

  test('every project installs with npm ci --ignore-scripts and nothing else', () => {
    for (const spec of Object.values(specs)) expect(spec.phases.install.commands).toEqual(['npm ci --ignore-scripts --no-audit --no-fund']);
    expect(INSTALL).toContain('--ignore-scripts');
  });

  test('the Synth project checks provenance, then synthesizes; it deploys nothing and writes the assembly as its artifact', () => {
    expect(projectSteps('synth', { synthTeams: ['pay'] })).toEqual({ synth: [PROVENANCE_CHECK, 'npx cdk synth --quiet -c teams=pay'] });
    expect(specs.synth.artifacts).toEqual({ 'files': ['**/*'], 'base-directory': 'cdk.out' });
    const build = specs.synth.phases.build.commands.join('\n');
    expect(build).not.toMatch(/cdk deploy|aws s3|release/);
    expect(build.indexOf('merge-base --is-ancestor')).toBeLessThan(build.indexOf('cdk synth'));
  });

  test('the non-prod project deploys without a change-set guard and runs the broadening check; it updates no pipeline and releases nothing', () => {
    expect(Object.keys(projectSteps('non-prod', {})).sort()).toEqual(['broadening-check', 'deploy']);
    expect(specs['non-prod'].artifacts).toBeUndefined();
    const build = specs['non-prod'].phases.build.commands.join('\n');
    expect(build).toContain('springboard audit --assembly review --baseline approved');
    expect(build).not.toMatch(/self-update|update-team-pipelines|release --registry|--delete review/);
  });

  test('the prod project runs the guarded deploys, pipeline updates, the approved record and the release', () => {
    expect(Object.keys(projectSteps('prod', {})).sort()).toEqual(['deploy', 'record-approved', 'release', 'self-update', 'update-team-pipelines']);
    expect(projectSteps('prod', {}).deploy.join('\n')).toContain('guarded-execute');
    expect(specs.prod.phases.build.commands.join('\n')).not.toContain('cdk synth');
  });
});

describe('the provenance check, against real git repositories', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-provenance-'));
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' },
  }).trim();
  const commit = (cwd: string, file: string) => {
    fs.writeFileSync(path.join(cwd, file), file);
    git(cwd, 'add', file);
    git(cwd, 'commit', '-q', '-m', file);
    return git(cwd, 'rev-parse', 'HEAD');
  };
  const work = path.join(root, 'work');
  fs.mkdirSync(work);
  git(work, 'init', '-q', '-b', 'main');
  const first = commit(work, 'one');
  const onMain = commit(work, 'two');
  git(work, 'checkout', '-q', '-b', 'feature');
  const offMain = commit(work, 'unreviewed');
  git(work, 'checkout', '-q', 'main');
  const origin = path.join(root, 'origin.git');
  git(root, 'clone', '-q', '--bare', work, origin);

  /** Clones as CodeBuild's full clone does, checks out `sha`, and runs the buildspec's check. */
  function check(sha: string, options: { branch?: string; depth?: number } = {}) {
    const dir = fs.mkdtempSync(path.join(root, 'clone-'));
    git(root, 'clone', '-q', ...(options.depth ? ['--depth', String(options.depth), '--no-single-branch'] : []), `file://${origin}`, dir);
    git(dir, 'checkout', '-q', '--detach', sha);
    const run = spawnSync('bash', ['-c', `set -euo pipefail\n${PROVENANCE_CHECK}`], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, SOURCE_BRANCH: options.branch ?? 'main' },
    });
    return { status: run.status, output: run.stdout + run.stderr };
  }

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a commit on the branch, its tip or an ancestor, passes', () => {
    expect(check(onMain)).toMatchObject({ status: 0, output: expect.stringContaining(`${onMain} is on main`) });
    expect(check(first).status).toBe(0);
  });

  test('a commit only on another branch fails, naming the commit and the branch', () => {
    const result = check(offMain);
    expect(result.status).toBe(1);
    expect(result.output).toContain(`provenance: commit ${offMain} is not reachable from branch main`);
  });

  test('a branch the clone does not have fails closed', () => {
    const result = check(onMain, { branch: 'release' });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('is not reachable from branch release');
  });

  test('a shallow clone fails closed', () => {
    const result = check(onMain, { depth: 1 });
    expect(result.status).toBe(1);
    expect(result.output).toContain('provenance: the source is not a full clone');
  });
});

describe('the broadening check, run with bash against stand-ins for npx and aws', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-broadening-'));
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  // Each stand-in records its arguments; `npx springboard audit` writes a report and exits with AUDIT_STATUS.
  fs.writeFileSync(path.join(bin, 'npx'), [
    '#!/bin/bash', 'echo "npx $*" >> "$LOG"',
    'if [ "$2" = "audit" ]; then mkdir -p audit; echo "# report" > audit/report.md; exit "${AUDIT_STATUS:-0}"; fi',
  ].join('\n'), { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'aws'), '#!/bin/bash\necho "aws $*" >> "$LOG"\n', { mode: 0o755 });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function run(auditStatus: number, approved: boolean) {
    const dir = fs.mkdtempSync(path.join(root, 'build-'));
    if (approved) { fs.mkdirSync(path.join(dir, 'approved')); fs.writeFileSync(path.join(dir, 'approved', 'manifest.json'), '{}'); }
    const log = path.join(dir, 'log');
    const result = spawnSync('bash', ['-c', `set -euo pipefail\n${BROADENING_CHECK.join('\n')}`], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        LOG: log,
        AUDIT_STATUS: String(auditStatus),
        ASSEMBLY: 'asm',
        SUBSET: '--team pay',
        ARTIFACT_BUCKET: 'bucket',
        PIPELINE: 'springboard--platform--pay',
        EXECUTION_ID: 'exec-1',
      },
    });
    return { status: result.status, output: result.stdout + result.stderr, calls: fs.readFileSync(log, 'utf8').trim().split('\n') };
  }

  test('the broadening check uploads its report and then fails with the audit\'s status', () => {
    const failed = run(3, true);
    expect(failed.status).toBe(3);
    expect(failed.calls).toContain('npx springboard audit --assembly review --baseline approved --out audit');
    expect(failed.calls).toContain('aws s3 cp --recursive --only-show-errors audit/ s3://bucket/reports/springboard--platform--pay/exec-1/');
    expect(failed.output).toContain('broadening check failed (audit exit 3); see the report');
  });

  test('a passing check uploads its report and succeeds; the first release audits without a baseline', () => {
    const passed = run(0, false);
    expect(passed.status).toBe(0);
    expect(passed.calls).toContain('npx springboard audit --assembly review --out audit');
    expect(passed.output).toContain('broadening report: s3://bucket/reports/springboard--platform--pay/exec-1/report.md');
    expect(passed.calls.at(-1)).toBe('aws s3 cp --recursive --only-show-errors audit/ s3://bucket/reports/springboard--platform--pay/exec-1/');
  });
});
