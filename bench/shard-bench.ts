/**
 * Sharded synth benchmark. Not a test: it prints figures and ratios from one run, asserts nothing.
 *
 *   npx tsx bench/shard-bench.ts                          200 example clones, 8 team shards (long: run it under nice)
 *   npx tsx bench/shard-bench.ts --teams 20 --sizes 1,5   a smaller run
 *   npx tsx bench/shard-bench.ts --shape generated        the generated registry of bench/synth-bench.ts instead
 *
 * For each size (the --sizes, then --teams) it runs `springboard synth --shards S` on a registry of
 * that many teams: cold (findings cache emptied first) and warm (one team added, the cold run's
 * cache kept: the onboarding case), gate on, and records wall time, the gate's time per shard, and
 * peak memory per process (the kernel's maximum RSS of any one process, from `/usr/bin/time -v`,
 * and the largest RSS seen by polling /proc) as well as of the whole process tree. Marginal cold and
 * warm seconds per team are least-squares slopes over the sizes. Then one team out of the largest
 * registry (`cdk synth -c teams=<first team>`) against the same team as a fleet of one, both
 * cold, back to back and then interleaved, so both see the same load.
 *
 * The default registry clones the example team (teams/benefits-screener.yaml): shaped like a real
 * team, three environments with a database each. Figures go to bench/results/shard.{json,md} with
 * --write, else to bench/results/tmp.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { slope as leastSquaresSlope } from './lib/figures';
import { exampleCloneId, generatedTeamId, writeExampleCloneRegistry, writeGeneratedRegistry } from './lib/generate-registry';
import { benchStart, figuresHead, gateSummary, loadNow, Measurement, measureSynth, runBench } from './lib/measure';

const ROOT = join(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const TMP = join(RESULTS, 'tmp', 'shard');
const CACHE = join(TMP, 'cache');

type Shape = 'example' | 'generated';

interface Options {
  readonly teams: number;
  readonly sizes: readonly number[];
  readonly shards: number;
  readonly concurrency: number;
  readonly shape: Shape;
  readonly rounds: number;
  readonly write: boolean;
}

function numberFlag(argv: readonly string[], flag: string, fallback: number): number {
  const at = argv.indexOf(flag);
  if (at < 0) return fallback;
  const n = Number(argv[at + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a whole number above 0, received "${argv[at + 1] ?? ''}"`);
  return n;
}

function parseArgs(argv: readonly string[]): Options {
  const teams = numberFlag(argv, '--teams', 200);
  const sizesAt = argv.indexOf('--sizes');
  const sizes = sizesAt >= 0 ? (argv[sizesAt + 1] ?? '').split(',').map(Number) : [1, 10];
  if (sizes.some(n => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes: expected team counts like 1,10; received "${argv[sizesAt + 1] ?? ''}"`);
  const shapeAt = argv.indexOf('--shape');
  const shape = (shapeAt >= 0 ? argv[shapeAt + 1] : 'example') as Shape;
  if (shape !== 'example' && shape !== 'generated') throw new Error(`--shape: expected example or generated, received "${shape}"`);
  return {
    teams,
    sizes: [...new Set([...sizes.filter(n => n < teams), teams])].sort((a, b) => a - b),
    shards: numberFlag(argv, '--shards', 8),
    concurrency: numberFlag(argv, '--concurrency', 2),
    shape,
    rounds: numberFlag(argv, '--rounds', 3),
    write: argv.includes('--write'),
  };
}

function writeRegistry(shape: Shape, dir: string, count: number): string[] {
  return shape === 'example' ? writeExampleCloneRegistry(dir, count) : writeGeneratedRegistry(dir, count);
}

function firstTeam(shape: Shape): string {
  return shape === 'example' ? exampleCloneId(0) : generatedTeamId(0);
}

interface Run {
  readonly wallSeconds: number;
  /** Kernel's peak RSS of the largest single process (`/usr/bin/time -v`). */
  readonly maxRssMiB?: number;
  /** Polled: largest single process, and the whole tree at once. */
  readonly peakProcessRssMiB?: number;
  readonly peakTreeRssMiB?: number;
  /** Gate seconds and templates per shard, from its progress line. */
  readonly gate: ReadonlyArray<{ shard: string; seconds: number; templates: number; cached: number }>;
  readonly load: readonly [number, number];
  readonly ok: boolean;
}

function toRun(m: Measurement): Run {
  const gate = [...m.stderr.matchAll(/shard (\S+) done in [\d.]+ s; springboard compliance gate: \w+ \(.*; (\d+) templates, \d+ distinct, (\d+) cached; ([\d.]+) s\)/g)]
    .map(g => ({ shard: g[1], templates: Number(g[2]), cached: Number(g[3]), seconds: Number(g[4]) }));
  return {
    wallSeconds: m.wallSeconds,
    maxRssMiB: m.maxRssMiB,
    peakProcessRssMiB: m.peakProcessRssMiB,
    peakTreeRssMiB: m.peakTreeRssMiB,
    gate,
    load: m.load,
    ok: m.exitCode === 0,
  };
}

async function sharded(registry: string, outdir: string, options: Options, teams: number): Promise<Run> {
  const shards = String(Math.min(options.shards, teams));
  const args = ['bin/springboard', 'synth', '--shards', shards, '--registry', registry, '-o', outdir, '--concurrency', String(options.concurrency)];
  const run = toRun(await measureSynth(process.execPath, args, { cwd: ROOT, cacheDir: CACHE }));
  rmSync(outdir, { recursive: true, force: true });
  return run;
}

async function cdkSynth(registry: string, outdir: string, teams?: string): Promise<Run> {
  const cdk = require.resolve('aws-cdk/bin/cdk');
  const args = [cdk, 'synth', '--quiet', '--no-notices', '-c', `registry=${registry}`, '-o', outdir, ...(teams ? ['-c', `teams=${teams}`] : [])];
  const m = await measureSynth(process.execPath, args, { cwd: ROOT, cacheDir: CACHE });
  rmSync(outdir, { recursive: true, force: true });
  const gate = gateSummary(m.stderr);
  return { ...toRun(m), gate: gate ? [{ shard: 'single', ...gate }] : [] };
}

function mib(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(0)} MiB`;
}

function describe(label: string, run: Run): string {
  const gateSeconds = run.gate.reduce((sum, g) => sum + g.seconds, 0);
  const templates = run.gate.reduce((sum, g) => sum + g.templates, 0);
  return `  ${label.padEnd(34)} ${run.wallSeconds.toFixed(1).padStart(7)} s; peak per process ${mib(run.maxRssMiB)} (polled ${mib(run.peakProcessRssMiB)}), `
    + `tree ${mib(run.peakTreeRssMiB)}; gate ${gateSeconds.toFixed(1)} s over ${templates} templates; load ${run.load[0].toFixed(1)}${run.ok ? '' : ' FAILED'}`;
}

interface SizeResult { readonly teams: number; readonly cold: Run; readonly warm: Run }

async function measureSize(options: Options, teams: number): Promise<SizeResult> {
  const registry = join(TMP, `registry-${teams}`);
  const grown = join(TMP, `registry-${teams}-plus-one`);
  writeRegistry(options.shape, registry, teams);
  writeRegistry(options.shape, grown, teams + 1);
  console.log(`${teams} team(s), ${Math.min(options.shards, teams)} team shard(s) + the platform shard:`);
  rmSync(CACHE, { recursive: true, force: true });
  const cold = await sharded(registry, join(TMP, `out-${teams}-cold`), options, teams);
  console.log(describe('sharded, gate on, cold', cold));
  const warm = await sharded(grown, join(TMP, `out-${teams}-warm`), options, teams + 1);
  console.log(describe('sharded, gate on, warm (+1 team)', warm));
  rmSync(grown, { recursive: true, force: true });
  return { teams, cold, warm };
}

interface OneOfResult {
  readonly fleet: number;
  readonly team: string;
  readonly backToBack: { readonly oneOfN: Run; readonly fleetOfOne: Run };
  readonly interleaved: { readonly oneOfN: readonly Run[]; readonly fleetOfOne: readonly Run[] };
}

/** One team out of the fleet and the same team as a fleet of one, both cold, alternating. */
async function measureOneOf(options: Options): Promise<OneOfResult> {
  const team = firstTeam(options.shape);
  const fleetRegistry = join(TMP, `registry-${options.teams}`);
  const oneRegistry = join(TMP, 'registry-1-alone');
  writeRegistry(options.shape, oneRegistry, 1);
  const oneOfN: Run[] = [];
  const fleetOfOne: Run[] = [];
  console.log(`one team out of ${options.teams} against a fleet of one (${team}), cold, alternating ${options.rounds} times:`);
  for (let round = 0; round < options.rounds; round++) {
    // Alternate which goes first, so neither always runs right after the other's cache-less start.
    const order = round % 2 === 0 ? ['of-n', 'alone'] : ['alone', 'of-n'];
    for (const which of order) {
      rmSync(CACHE, { recursive: true, force: true });
      const run = which === 'of-n'
        ? await cdkSynth(fleetRegistry, join(TMP, 'out-one-of-n'), team)
        : await cdkSynth(oneRegistry, join(TMP, 'out-alone'));
      (which === 'of-n' ? oneOfN : fleetOfOne).push(run);
      console.log(describe(which === 'of-n' ? `round ${round + 1}: one of ${options.teams}` : `round ${round + 1}: fleet of one`, run));
    }
  }
  return { fleet: options.teams, team, backToBack: { oneOfN: oneOfN[0], fleetOfOne: fleetOfOne[0] }, interleaved: { oneOfN, fleetOfOne } };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function lines(sizes: readonly SizeResult[], oneOf: OneOfResult | undefined): string[] {
  const slope = (pick: (s: SizeResult) => number) => leastSquaresSlope(sizes.map(s => [s.teams, pick(s)] as const)) ?? Number.NaN;
  const largest = sizes[sizes.length - 1];
  const peak = (r: Run) => r.maxRssMiB ?? r.peakProcessRssMiB ?? 0;
  const out = [
    `Marginal seconds per team (least squares over ${sizes.map(s => s.teams).join(', ')} teams): cold ${slope(s => s.cold.wallSeconds).toFixed(2)} s, warm ${slope(s => s.warm.wallSeconds).toFixed(2)} s`,
    `Largest peak per process at ${largest.teams} teams: cold ${mib(peak(largest.cold))}, warm ${mib(peak(largest.warm))} (goal: at most 2048 MiB)`,
    `Cold/warm at ${largest.teams} teams: ${(largest.cold.wallSeconds / largest.warm.wallSeconds).toFixed(2)}`,
  ];
  if (oneOf) {
    const b = oneOf.backToBack;
    const n = median(oneOf.interleaved.oneOfN.map(r => r.wallSeconds));
    const one = median(oneOf.interleaved.fleetOfOne.map(r => r.wallSeconds));
    out.push(
      `One team out of ${oneOf.fleet} / fleet of one, back to back: ${b.oneOfN.wallSeconds.toFixed(1)} s / ${b.fleetOfOne.wallSeconds.toFixed(1)} s = ${(b.oneOfN.wallSeconds / b.fleetOfOne.wallSeconds).toFixed(2)}`,
      `One team out of ${oneOf.fleet} / fleet of one, interleaved (median of ${oneOf.interleaved.oneOfN.length}): ${n.toFixed(1)} s / ${one.toFixed(1)} s = ${(n / one).toFixed(2)}`,
    );
  }
  return out;
}

function table(sizes: readonly SizeResult[]): string {
  const peak = (r: Run) => mib(r.maxRssMiB ?? r.peakProcessRssMiB);
  const gate = (r: Run) => `${r.gate.reduce((s, g) => s + g.seconds, 0).toFixed(0)} s`;
  return [
    '| Teams | Cold wall | Warm wall (+1) | Gate s cold / warm (sum over shards) | Peak per process cold / warm | Peak tree cold / warm | Load cold / warm |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sizes.map(s => `| ${s.teams} | ${s.cold.wallSeconds.toFixed(1)} s | ${s.warm.wallSeconds.toFixed(1)} s | ${gate(s.cold)} / ${gate(s.warm)} | `
      + `${peak(s.cold)} / ${peak(s.warm)} | ${mib(s.cold.peakTreeRssMiB)} / ${mib(s.warm.peakTreeRssMiB)} | ${s.cold.load[0].toFixed(1)} / ${s.warm.load[0].toFixed(1)} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(TMP, { recursive: true });
  const start = benchStart();
  console.log(`shard bench: ${options.shape} registry, sizes ${options.sizes.join(', ')}, ${options.shards} team shards, `
    + `${options.concurrency} at once; ${cpus().length} CPUs; load average ${start.loadAtStart.join(' ')}`);
  const sizes: SizeResult[] = [];
  // Largest first: it is the run that matters most if the machine is needed back before the end.
  for (const teams of [...options.sizes].reverse()) sizes.unshift(await measureSize(options, teams));
  const oneOf = options.teams > 1 ? await measureOneOf(options) : undefined;
  const loadAtEnd = loadNow();
  const derived = lines(sizes, oneOf);
  const md = `${table(sizes)}\n\n${derived.map(l => `- ${l}`).join('\n')}\n`;
  console.log(['', md, `load average at end: ${loadAtEnd.join(' ')}`].join('\n'));
  const out = options.write ? RESULTS : TMP;
  const figures = {
    ...figuresHead(start, loadAtEnd),
    options,
    command: 'node bin/springboard synth --shards S --registry DIR -o OUT --concurrency C',
    sizes,
    oneOf,
    derived,
  };
  writeFileSync(join(out, 'shard.json'), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(join(out, 'shard.md'), md);
  console.log(`wrote ${join(out, 'shard.json')} and shard.md`);
}

runBench('shard', main);
