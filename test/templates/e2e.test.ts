/**
 * End to end, as a team would do it: scaffold a repository from the packed templates with
 * `projen new`, build and test it, change the team's code, upgrade the template to a release that
 * changes a platform-owned file, re-run projen, and check that the team's code is untouched while
 * the platform's files and the recorded template version moved. Installs from the npm registry, so
 * it takes minutes; SPRINGBOARD_KEEP_E2E=1 keeps the temporary folder for a look afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, DATABASE_URL_VARIABLE, dropScratchDatabase } from '../support/postgres';

const ROOT = join(__dirname, '..', '..');
const TEMPLATES = join(ROOT, 'templates');
const TARBALL_DIR = join(TEMPLATES, 'dist', 'js');
const PROJEN_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'projen', 'package.json'), 'utf8')).version;
const TEAM_ID = 'benefits-screener';
const UPGRADE_VERSION = '99.0.0';
const UPGRADE_LINE = '# e2e upgrade: a platform-owned change';

jest.setTimeout(30 * 60_000);

/** Children must not look like a jest worker (projen changes behaviour) nor like CI unless asked. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ['JEST_WORKER_ID', 'NODE_ENV', 'CI', 'npm_config_prefix', 'INIT_CWD']) if (!(key in extra)) delete env[key];
  return {
    ...env,
    GIT_AUTHOR_NAME: 'Springboard e2e',
    GIT_AUTHOR_EMAIL: 'e2e@example.gov',
    GIT_COMMITTER_NAME: 'Springboard e2e',
    GIT_COMMITTER_EMAIL: 'e2e@example.gov',
  };
}

const timings: string[] = [];

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env: childEnv(extraEnv), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  timings.push(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${command} ${args.join(' ')}`);
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} exited ${result.status}${result.error ? ` (${result.error.message})` : ''}:\n${output.slice(-8000)}`);
  }
  return output;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** The tarball the root build packed for the current version, rebuilt when any of its sources is newer. */
function packedTemplates(): string {
  // Tarballs of earlier versions may lie next to it: pacmak never removes them.
  const version: string = JSON.parse(readFileSync(join(TEMPLATES, 'package.json'), 'utf8')).version;
  const find = () => (existsSync(TARBALL_DIR) ? readdirSync(TARBALL_DIR).filter((f) => f.endsWith(`@${version}.jsii.tgz`)) : []);
  const sources = [join(TEMPLATES, 'src'), join(TEMPLATES, 'assets'), join(TEMPLATES, 'package.json'), join(ROOT, 'lib', 'contract'), join(ROOT, 'lib', 'registry')];
  const newestSource = Math.max(...sources.map((s) => newestMtime(s)));
  const existing = find();
  if (existing.length !== 1 || statSync(join(TARBALL_DIR, existing[0])).mtimeMs < newestSource) {
    run('npx', ['projen', 'templates:build'], ROOT);
  }
  const packed = find();
  if (packed.length !== 1) throw new Error(`expected one tarball in ${TARBALL_DIR}, found ${packed.join(', ') || 'none'}`);
  return join(TARBALL_DIR, packed[0]);
}

/** A template release: the same package with a new version and a changed platform-owned file. */
function releaseUpgrade(tarball: string, work: string): string {
  const unpacked = join(work, 'upgrade');
  mkdirSync(unpacked);
  run('tar', ['xzf', tarball, '-C', unpacked], work);
  const manifestPath = join(unpacked, 'package', 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, version: UPGRADE_VERSION }, null, 2));
  const asset = join(unpacked, 'package', 'assets', 'springboard-service', 'platform', 'dockerignore');
  writeFileSync(asset, readFileSync(asset, 'utf8') + UPGRADE_LINE + '\n');
  const upgraded = join(work, `springboard-templates@${UPGRADE_VERSION}.jsii.tgz`);
  run('tar', ['czf', upgraded, '-C', unpacked, 'package'], work);
  return upgraded;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('springboard-service end to end', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'springboard-e2e-'));
  });

  afterAll(() => {
    process.stdout.write(`springboard-service e2e steps (${work}):\n${timings.join('\n')}\n`);
    if (!process.env.SPRINGBOARD_KEEP_E2E) rmSync(work, { recursive: true, force: true });
  });

  test('scaffold, build, migrate, edit, upgrade: team code untouched, platform files updated', async () => {
    const tarball = packedTemplates();
    const templateVersion = JSON.parse(read(TEMPLATES, 'package.json')).version;
    const repo = join(work, TEAM_ID);
    mkdirSync(repo);

    // 1. Scaffold from the tarball with the documented line (docs/templates.md), settings from the registry.
    run(
      'npx',
      [
        '--yes',
        `projen@${PROJEN_VERSION}`,
        'new',
        '--projen-version',
        PROJEN_VERSION,
        '--from',
        `springboard-templates@file:${tarball}`,
        'springboard-service',
        '--team-id',
        TEAM_ID,
        '--registry',
        join(ROOT, 'teams'),
      ],
      repo,
    );
    expect(JSON.parse(read(repo, 'springboard.json'))).toMatchObject({ teamId: TEAM_ID, template: { name: 'springboard-service', version: templateVersion } });
    expect(read(repo, '.projenrc.ts')).toContain(`teamId: '${TEAM_ID}'`);
    expect(read(repo, 'README.md')).toContain(`\`springboard-${TEAM_ID}\``);
    expect(read(repo, 'CODEOWNERS')).toContain('dana.rivera@example.gov');

    // 2. The new repository builds and its tests pass out of the box; re-synthesis changes nothing.
    run('npx', ['projen', 'build'], repo);
    expect(existsSync(join(repo, 'lib', 'main.js'))).toBe(true);
    expect(run('git', ['status', '--porcelain'], repo).trim()).toBe('');

    // 2b. Its own `npm run migrate`, with the dependencies it installed, as a developer runs it locally
    // (the PostgreSQL proof with the platform's identities is test/templates/sample-migration.test.ts).
    expect(JSON.parse(read(repo, 'springboard.json')).migrate).toEqual(['npm', 'run', 'migrate']);
    const server = process.env[DATABASE_URL_VARIABLE];
    if (server) {
      const database = await createScratchDatabase(server, 'e2e_migrate');
      try {
        const databaseUrl = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
        expect(run('npm', ['run', 'migrate'], repo, { DATABASE_URL: databaseUrl })).toContain('"migrations":["1767225600000_create-greetings"]');
        expect(run('npm', ['run', 'migrate'], repo, { DATABASE_URL: databaseUrl })).toContain('"migrations":[]');
      } finally {
        await dropScratchDatabase(server, database);
      }
    }

    // 3. The team changes its code and tests.
    const app = read(repo, 'src/app.ts').replace(
      "    if (request.method === 'GET' && url.pathname === '/') {",
      "    if (request.method === 'GET' && url.pathname === '/ping') {\n      sendJson(response, 200, { pong: true });\n      return;\n    }\n    if (request.method === 'GET' && url.pathname === '/') {",
    );
    expect(app).toContain('/ping');
    writeFileSync(join(repo, 'src/app.ts'), app);
    const appTest = read(repo, 'test/app.test.ts') + "\ntest('GET /ping answers pong', async () => {\n  expect(await (await fetch(base + '/ping')).json()).toEqual({ pong: true });\n});\n";
    writeFileSync(join(repo, 'test/app.test.ts'), appTest);
    const main = read(repo, 'src/main.ts');
    const adr = read(repo, 'docs/adr/0001-run-the-service-on-springboard.md');
    run('git', ['commit', '-qam', 'team: add /ping'], repo);

    // 4. Upgrade: point .projenrc.ts at the new release, run projen twice (install, then regenerate).
    const upgraded = releaseUpgrade(tarball, work);
    const projenrc = read(repo, '.projenrc.ts');
    expect(projenrc).toContain(tarball);
    writeFileSync(join(repo, '.projenrc.ts'), projenrc.split(tarball).join(upgraded));
    run('npx', ['projen'], repo);
    run('npx', ['projen'], repo);

    // 5. Platform-owned files moved with the template; team-owned files did not.
    expect(JSON.parse(read(repo, 'springboard.json')).template.version).toBe(UPGRADE_VERSION);
    expect(read(repo, '.dockerignore')).toContain(UPGRADE_LINE);
    expect(read(repo, 'src/app.ts')).toBe(app);
    expect(read(repo, 'test/app.test.ts')).toBe(appTest);
    expect(read(repo, 'src/main.ts')).toBe(main);
    expect(read(repo, 'docs/adr/0001-run-the-service-on-springboard.md')).toBe(adr);
    const changed = run('git', ['status', '--porcelain'], repo)
      .split('\n')
      .map((l) => l.slice(3).trim())
      .filter(Boolean)
      .sort();
    expect(changed).toEqual(expect.arrayContaining(['.dockerignore', '.projenrc.ts', 'package.json', 'springboard.json']));
    expect(changed.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('docs/'))).toEqual([]);

    // 6. What the platform's build runs (the repository contract): npm ci, npm test, JUnit report.
    run('npm', ['ci', '--no-audit', '--no-fund'], repo, { CI: 'true' });
    const testOutput = run('npm', ['test'], repo, { CI: 'true' });
    expect(testOutput).toMatch(/Tests:\s+\d+ passed/);
    expect(read(repo, 'test-reports/junit.xml')).toContain('GET /ping answers pong');
  });
});
