/**
 * Platform-scope benchmark. Not a test: it prints the figures of one run and asserts nothing.
 *
 *   npx tsx bench/scope-bench.ts                  20 and 200 teams; writes bench/results/scope.{json,md}
 *   npx tsx bench/scope-bench.ts --sizes 5,10     chosen sizes; figures go to bench/results/tmp/
 *
 * For each size it generates the bench's registry (bench/lib/generate-registry.ts) and runs
 * `npx cdk synth --quiet --no-notices -c registry=DIR -o OUT` three times: the full build with the
 * gate off, the platform scope (`-c scope=platform`, what the platform pipeline's Synth step builds)
 * with the gate off, and the platform scope with the gate on and an empty findings cache (what the
 * pipeline pays on a cold build machine). Gate off compares like with like: the gate is measured
 * by bench/synth-bench.ts. Marginal cost per team is (t(largest) - t(smallest)) / teams between.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedRegistry } from './lib/generate-registry';
import { benchStart, figuresHead, loadNow, measureSynth, runBench } from './lib/measure';
import { templatesInAssembly } from '../lib/compliance/assembly';

const ROOT = join(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const TMP = join(RESULTS, 'tmp');
const CACHE = join(TMP, 'scope-cache');
const DEFAULT_SIZES = [20, 200];

type Variant = 'full-off' | 'platform-off' | 'platform-cold';
const VARIANTS: Readonly<Record<Variant, { readonly label: string; readonly scope: boolean; readonly gate: boolean }>> = {
  'full-off': { label: 'full build, gate off', scope: false, gate: false },
  'platform-off': { label: 'platform scope, gate off', scope: true, gate: false },
  'platform-cold': { label: 'platform scope, gate on, cold', scope: true, gate: true },
};

interface Run {
  readonly wallSeconds: number;
  readonly peakTreeRssMiB?: number;
  readonly peakProcessRssMiB?: number;
  readonly stacks: number;
  /** One-minute load average before and after the run. */
  readonly load: readonly [number, number];
  readonly ok: boolean;
}

interface SizeRuns {
  readonly teams: number;
  readonly runs: Partial<Record<Variant, Run>>;
}

function parseSizes(argv: readonly string[]): { sizes: number[]; write: boolean } {
  const at = argv.indexOf('--sizes');
  if (at < 0) return { sizes: DEFAULT_SIZES, write: true };
  const sizes = (argv[at + 1] ?? '').split(',').map(Number);
  if (sizes.length < 2 || sizes.some(n => !Number.isInteger(n) || n < 1 || n > 1000)) {
    throw new Error(`--sizes: expected two or more team counts from 1 to 1000, like --sizes 5,10; received "${argv[at + 1] ?? ''}"`);
  }
  return { sizes: [...new Set(sizes)].sort((a, b) => a - b), write: argv.includes('--write') };
}

async function synth(registry: string, outdir: string, variant: Variant): Promise<Run> {
  const spec = VARIANTS[variant];
  rmSync(outdir, { recursive: true, force: true });
  rmSync(CACHE, { recursive: true, force: true });
  const args = ['cdk', 'synth', '--quiet', '--no-notices', '-c', `registry=${registry}`, '-o', outdir];
  if (spec.scope) args.push('-c', 'scope=platform');
  if (!spec.gate) args.push('-c', 'springboard:gate=off');
  const m = await measureSynth('npx', args, { cwd: ROOT, cacheDir: CACHE });
  const stacks = m.exitCode === 0 ? templatesInAssembly(outdir).length : 0;
  rmSync(outdir, { recursive: true, force: true });
  return {
    wallSeconds: m.wallSeconds, peakTreeRssMiB: m.peakTreeRssMiB, peakProcessRssMiB: m.peakProcessRssMiB, stacks, load: m.load, ok: m.exitCode === 0,
  };
}

function line(teams: number, variant: Variant, run: Run): string {
  const memory = run.peakTreeRssMiB === undefined ? 'n/a' : `${run.peakTreeRssMiB.toFixed(0)} MiB (app ${run.peakProcessRssMiB!.toFixed(0)} MiB)`;
  return `  ${String(teams).padStart(4)} teams, ${VARIANTS[variant].label.padEnd(30)} ${run.wallSeconds.toFixed(1).padStart(7)} s, `
    + `peak ${memory}, ${run.stacks} stacks, load ${run.load[0].toFixed(1)}${run.ok ? '' : ' FAILED'}`;
}

/** Seconds per added team between the smallest and the largest size. */
function marginal(results: readonly SizeRuns[], variant: Variant): number | undefined {
  const first = results[0];
  const last = results[results.length - 1];
  const a = first.runs[variant];
  const b = last.runs[variant];
  if (!a?.ok || !b?.ok) return undefined;
  return (b.wallSeconds - a.wallSeconds) / (last.teams - first.teams);
}

function markdown(results: readonly SizeRuns[], derived: Record<string, number | undefined>): string {
  const rows = results.flatMap(r => (Object.keys(VARIANTS) as Variant[]).filter(v => r.runs[v]).map(v => {
    const run = r.runs[v]!;
    return `| ${r.teams} | ${VARIANTS[v].label} | ${run.stacks} | ${run.wallSeconds.toFixed(1)} s | ${run.peakTreeRssMiB?.toFixed(0) ?? 'n/a'} `
      + `| ${run.peakProcessRssMiB?.toFixed(0) ?? 'n/a'} | ${run.load[0].toFixed(1)} |${run.ok ? '' : ' FAILED'}`;
  }));
  const fmt = (n: number | undefined, unit: string) => (n === undefined ? 'n/a' : `${n.toFixed(3)}${unit}`);
  return [
    '| Teams | Build | Stacks | Wall time | Peak MiB (tree) | Peak MiB (app) | Load avg |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `- Marginal seconds per team, full build gate off: ${fmt(derived.fullOff, ' s')}`,
    `- Marginal seconds per team, platform scope gate off: ${fmt(derived.platformOff, ' s')}`,
    `- Marginal seconds per team, platform scope gate on (cold): ${fmt(derived.platformCold, ' s')}`,
    `- Platform scope / full build, marginal cost (gate off): ${fmt(derived.ratio, '')} (goal: at most 0.2)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { sizes, write } = parseSizes(process.argv.slice(2));
  mkdirSync(TMP, { recursive: true });
  const start = benchStart();
  console.log(`scope bench: sizes ${sizes.join(', ')}; ${cpus().length} CPUs; load average ${start.loadAtStart.join(' ')}`);
  const results: SizeRuns[] = [];
  for (const teams of sizes) {
    const registry = join(TMP, `scope-registry-${teams}`);
    writeGeneratedRegistry(registry, teams);
    const runs: Partial<Record<Variant, Run>> = {};
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      runs[variant] = await synth(registry, join(TMP, `scope-out-${teams}-${variant}`), variant);
      console.log(line(teams, variant, runs[variant]!));
    }
    rmSync(registry, { recursive: true, force: true });
    results.push({ teams, runs });
  }
  const fullOff = marginal(results, 'full-off');
  const platformOff = marginal(results, 'platform-off');
  const derived = {
    fullOff,
    platformOff,
    platformCold: marginal(results, 'platform-cold'),
    ratio: fullOff && platformOff !== undefined ? platformOff / fullOff : undefined,
  };
  const table = markdown(results, derived);
  const loadAtEnd = loadNow();
  console.log(`\n${table}\n\nload average at end: ${loadAtEnd.join(' ')}`);
  const out = write ? RESULTS : TMP;
  const figures = {
    ...figuresHead(start, loadAtEnd),
    command: 'npx cdk synth --quiet --no-notices -c registry=DIR -o OUT [-c scope=platform] [-c springboard:gate=off]',
    sizes: results,
    derived,
  };
  writeFileSync(join(out, 'scope.json'), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(join(out, 'scope.md'), `${table}\n`);
  console.log(`wrote ${join(out, 'scope.json')} and scope.md`);
}

runBench('scope', main);
