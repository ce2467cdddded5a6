/**
 * `springboard synth --shards` against a full `cdk synth` of the same 10-team registry, gate on:
 * the same templates byte for byte, the same asset manifests and stack metadata, the same manifest
 * artifacts and dependencies (in any order), the same compliance verdict and findings. Each is
 * synthesized once (slow: two gated synths of 10 teams); the merge's own checks are tested on
 * copies of the full assembly.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { PLATFORM_SHARD, ShardConflictError, mergeAssemblies, mergeReports, planShards } from '../../lib/app/sharded-synth';
import { CACHE_DIR_ENV } from '../../lib/compliance/cache';
import { ComplianceReport, readReport } from '../../lib/compliance/report';
import { tempDir } from '../compliance/support';
import { runSpringboard } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const TEAMS = 10;

interface Manifest { readonly artifacts: Record<string, { dependencies?: string[]; [key: string]: unknown }>; readonly [key: string]: unknown }

function manifestOf(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** Artifacts by id, each with its dependencies sorted: the manifest's order carries no meaning. */
function artifactsOf(dir: string): Record<string, unknown> {
  const { artifacts } = manifestOf(dir);
  return Object.fromEntries(Object.entries(artifacts).sort(([a], [b]) => a.localeCompare(b))
    .map(([id, a]) => [id, a.dependencies ? { ...a, dependencies: [...a.dependencies].sort() } : a]));
}

/** Every file of the assembly but the manifest, the tree and the report, by name. */
function filesOf(dir: string): string[] {
  return fs.readdirSync(dir).filter(f => !['manifest.json', 'tree.json', 'springboard-compliance.json'].includes(f)).sort();
}

function sortedJson(items: readonly unknown[]): string[] {
  return items.map(i => JSON.stringify(i)).sort();
}

function fullSynth(registry: string, outdir: string, env: NodeJS.ProcessEnv): void {
  const cdk = require.resolve('aws-cdk/bin/cdk');
  const run = spawnSync(process.execPath, [cdk, 'synth', '--quiet', '--no-notices', '-c', `registry=${registry}`, '-o', outdir], {
    cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`full synth failed (exit ${run.status}):\n${run.stderr}`);
}

describe(`a sharded synth of ${TEAMS} teams against a full synth`, () => {
  const work = tempDir('sharded');
  const registry = path.join(work, 'registry');
  const full = path.join(work, 'full');
  const sharded = path.join(work, 'sharded');
  const cache = path.join(work, 'cache');
  let cli: { code: number; stdout: string; stderr: string };
  const previousCache = process.env[CACHE_DIR_ENV];

  beforeAll(async () => {
    writeGeneratedRegistry(registry, TEAMS);
    process.env[CACHE_DIR_ENV] = cache;
    // The full synth fills the findings cache and the shards reuse it: a cache cannot change findings (test/compliance).
    fullSynth(registry, full, { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' });
    cli = await runSpringboard(['synth', '--shards', '3', '--registry', registry, '-o', sharded, '--concurrency', '2']);
  }, 20 * 60_000);

  afterAll(() => {
    if (previousCache === undefined) delete process.env[CACHE_DIR_ENV];
    else process.env[CACHE_DIR_ENV] = previousCache;
  });

  test('runs the platform shard and three team shards, and passes the gate', () => {
    expect(cli.stderr).toMatch(/shard platform \(platform scope\) started/);
    expect(cli.stderr.match(/shard teams-\d done/g)).toHaveLength(3);
    expect(cli.stdout).toMatch(/4 shards merged into .* compliance pass/);
    expect(cli.code).toBe(0);
    expect(fs.existsSync(`${sharded}.shards`)).toBe(false);
  });

  test('writes the same files, every template, asset manifest and stack metadata byte for byte', () => {
    expect(filesOf(sharded)).toEqual(filesOf(full));
    expect(filesOf(full).filter(f => f.endsWith('.template.json')).length).toBeGreaterThan(70);
    const differing = filesOf(full).filter(f => fs.statSync(path.join(full, f)).isFile()
      && !fs.readFileSync(path.join(full, f)).equals(fs.readFileSync(path.join(sharded, f))));
    expect(differing).toEqual([]);
  });

  test('lists the same manifest artifacts with the same dependencies, in any order', () => {
    const { artifacts: _full, ...fullHeader } = manifestOf(full);
    const { artifacts: _sharded, ...shardedHeader } = manifestOf(sharded);
    expect(shardedHeader).toEqual(fullHeader);
    expect(artifactsOf(sharded)).toEqual(artifactsOf(full));
  });

  test('writes one compliance report with the same verdict, summary and findings', () => {
    const a: ComplianceReport = readReport(full);
    const b: ComplianceReport = readReport(sharded);
    expect(a.findings.length).toBeGreaterThan(100);
    expect(b.verdict).toBe(a.verdict);
    expect(b.summary).toEqual(a.summary);
    expect(sortedJson(b.findings)).toEqual(sortedJson(a.findings));
    expect(sortedJson(b.acknowledgments)).toEqual(sortedJson(a.acknowledgments));
    expect(b.disabledRules).toEqual(a.disabledRules);
    expect({ ...b, findings: [], acknowledgments: [] }).toEqual({ ...a, findings: [], acknowledgments: [] });
  });

  // Mutation: a stack two shards build differently is refused, never merged by picking one.
  test('refuses to merge shards whose copies of a stack differ', () => {
    const baseline = filesOf(full).find(f => f.startsWith('springboard-baseline-') && f.endsWith('.template.json'))!;
    const copy = (name: string) => {
      const dir = path.join(work, name);
      fs.mkdirSync(dir);
      for (const f of ['manifest.json', baseline]) fs.copyFileSync(path.join(full, f), path.join(dir, f));
      return dir;
    };
    const same = [copy('a'), copy('b')];
    expect(mergeAssemblies(same, path.join(work, 'merged-same')).shared).toBe(1);
    const changed = [copy('c'), copy('d')];
    fs.appendFileSync(path.join(changed[1], baseline), ' ');
    let refusal: unknown;
    try {
      mergeAssemblies(changed, path.join(work, 'merged-changed'));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(ShardConflictError);
    expect(String(refusal)).toMatch(new RegExp(`${baseline.replace(/\./g, '\\.')} differs between shards`));
  });
});

describe('the shard plan', () => {
  const ids = Array.from({ length: 7 }, (_, i) => `team-${i}`);

  test('one platform shard, and team shards that hold every team exactly once', () => {
    const plan = planShards(ids, 3);
    expect(plan.filter(s => s.context.scope === 'platform').map(s => s.name)).toEqual([PLATFORM_SHARD]);
    const teamShards = plan.filter(s => s.name !== PLATFORM_SHARD);
    expect(teamShards.map(s => s.teams.length)).toEqual([3, 2, 2]);
    expect(teamShards.flatMap(s => s.teams).sort()).toEqual([...ids].sort());
    teamShards.forEach(s => expect(s.context).toEqual({ teams: s.teams.join(',') }));
  });

  test('no more team shards than teams', () => {
    expect(planShards(ids.slice(0, 2), 5).length).toBe(3);
  });
});

describe('the merged report', () => {
  const finding = (stack: string, status: 'open' | 'acknowledged') => ({
    ruleId: 'AwsSolutions-S1',
    pack: 'AwsSolutions' as const,
    logicalId: 'B',
    description: 'd',
    level: 'error' as const,
    stack,
    template: `${stack}.template.json`,
    constructPath: `${stack}/B`,
    status,
  });
  const report = (findings: ReturnType<typeof finding>[]): ComplianceReport => ({
    schemaVersion: 1,
    verdict: 'pass',
    packs: [],
    summary: { templates: 1, open: 0, acknowledged: 0, disabled: 0 },
    findings,
    acknowledgments: [],
    disabledRules: [],
  });

  test('counts a finding two shards report once, and judges the verdict again', () => {
    const merged = mergeReports([report([finding('base', 'acknowledged')]), report([finding('base', 'acknowledged'), finding('env', 'open')])], 2);
    expect(merged.findings.map(f => f.stack)).toEqual(['base', 'env']);
    expect(merged.verdict).toBe('fail');
    expect(merged.summary).toEqual({ templates: 2, open: 1, acknowledged: 1, disabled: 0 });
  });
});

describe('springboard synth: mistakes on the command line', () => {
  test('a shard count below one is a usage mistake (exit 2)', async () => {
    const run = await runSpringboard(['synth', '--shards', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--shards must be a whole number from 1 to 1000, received "0"/);
  });

  test('context the plan sets itself is refused before anything runs (exit 1)', async () => {
    const run = await runSpringboard(['synth', '--shards', '2', '-c', 'teams=a', '-o', path.join(tempDir('sharded-refused'), 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/sets teams for each shard itself; remove it from --context/);
  });

  test('context that is not key=value is a usage mistake (exit 2)', async () => {
    const run = await runSpringboard(['synth', '--shards', '2', '-c', 'springboard:gate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--context expects key=value/);
  });
});
