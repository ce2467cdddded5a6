/**
 * Synth benchmark (issue 10). Not a test: it prints figures and ratios from one run, asserts nothing.
 *
 *   npx tsx bench/synth-bench.ts                   1, 10, 20, 50 and 200 teams (about an hour on 2 cores)
 *   npx tsx bench/synth-bench.ts --sizes 1,10      chosen sizes
 *   npx tsx bench/synth-bench.ts --quick           1 and 10 teams
 *
 * Only a run of the default sizes (or one given --write) replaces bench/results/synth.*; other runs
 * write their figures to bench/results/tmp. --modes cold,warm,off measures only some modes (warm
 * needs cold; one team out of the fleet is measured with cold). --append keeps the sizes of the existing synth.json that
 * this run did not measure (to measure a large size on its own), and recomputes the ratios;
 * --report-only recomputes them, the chart and the table from synth.json without measuring.
 *
 * For each size it generates a YAML registry (bench/results/tmp, git-ignored) and runs the path a
 * DevOps engineer runs, `npx cdk synth --quiet -c registry=DIR -o OUT`, three times: gate on with an
 * empty findings cache (cold), gate on after adding one team with the cache of the cold run (warm),
 * and gate off. Then one team out of the largest fleet (`-c teams=...`, cold). It writes
 * bench/results/synth.json, synth.svg and synth.md.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { synthChart } from './lib/chart';
import {
  Mode, MODES, OneOfResult, SizeResult, SynthRun, derive, derivedLines, goals, goalsTable, markdownTable, quotaUse,
} from './lib/figures';
import { generatedTeamId, writeGeneratedRegistry } from './lib/generate-registry';
import { benchStart, figuresHead, gateSummary, loadNow, measureSynth, runBench } from './lib/measure';
import { CLOUDFORMATION_QUOTAS, QuotaName, templateUsage } from '../lib/app/quota-check';
import { templatesInAssembly } from '../lib/compliance/assembly';

const ROOT = join(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const TMP = join(RESULTS, 'tmp');
const CACHE = join(TMP, 'cache');
const DEFAULT_SIZES = [1, 10, 20, 50, 200];

interface Options {
  readonly sizes: readonly number[];
  readonly modes: readonly Mode[];
  readonly write: boolean;
  readonly append: boolean;
  /** Recompute ratios, goals, chart and table from synth.json without measuring. */
  readonly reportOnly: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--sizes');
  const listed = at >= 0 ? (argv[at + 1] ?? '').split(',').map(Number) : undefined;
  if (listed && (listed.length === 0 || listed.some(n => !Number.isInteger(n) || n < 1 || n > 1000))) {
    throw new Error(`--sizes: expected team counts from 1 to 1000 separated by commas, like --sizes 1,10; received "${argv[at + 1] ?? ''}"`);
  }
  const sizes = [...new Set(listed ?? (quick ? [1, 10] : DEFAULT_SIZES))].sort((a, b) => a - b);
  // Only a full default run (or --write) replaces the committed figures.
  const modesAt = argv.indexOf('--modes');
  const modes = modesAt >= 0 ? (argv[modesAt + 1] ?? '').split(',') : [...MODES];
  const unknown = modes.filter(m => !(MODES as readonly string[]).includes(m));
  if (modes.length === 0 || unknown.length > 0) throw new Error(`--modes: expected some of ${MODES.join(',')}; received "${argv[modesAt + 1] ?? ''}"`);
  if (modes.includes('warm') && !modes.includes('cold')) throw new Error('--modes: warm needs cold (it reuses the cold run\'s cache)');
  const reportOnly = argv.includes('--report-only');
  return {
    sizes: reportOnly ? [] : sizes,
    modes: modes as Mode[],
    write: argv.includes('--write') || (!quick && !listed),
    append: argv.includes('--append') || reportOnly,
    reportOnly,
  };
}

interface SynthRequest {
  readonly registry: string;
  readonly outdir: string;
  readonly gate: boolean;
  readonly teams?: string;
}

async function synth(request: SynthRequest): Promise<SynthRun> {
  rmSync(request.outdir, { recursive: true, force: true });
  const args = ['cdk', 'synth', '--quiet', '--no-notices', '-c', `registry=${request.registry}`, '-o', request.outdir];
  if (!request.gate) args.push('-c', 'springboard:gate=off');
  if (request.teams) args.push('-c', `teams=${request.teams}`);
  const m = await measureSynth('npx', args, { cwd: ROOT, cacheDir: CACHE });
  const gate = gateSummary(m.stderr);
  return {
    wallSeconds: m.wallSeconds,
    peakTreeRssMiB: m.peakTreeRssMiB,
    peakProcessRssMiB: m.peakProcessRssMiB,
    gateSeconds: gate?.seconds,
    templates: gate?.templates,
    cacheHits: gate?.cached,
    load: m.load,
    ok: m.exitCode === 0,
  };
}

function describe(label: string, run: SynthRun): string {
  const memory = run.peakTreeRssMiB === undefined ? 'n/a' : `${run.peakTreeRssMiB.toFixed(0)} MiB (app ${run.peakProcessRssMiB!.toFixed(0)} MiB)`;
  const gate = run.gateSeconds === undefined ? '' : `, gate ${run.gateSeconds.toFixed(1)} s (${run.cacheHits}/${run.templates} cached)`;
  return `  ${label.padEnd(30)} ${run.wallSeconds.toFixed(1).padStart(7)} s, peak ${memory}${gate}, load ${run.load[0].toFixed(1)}${run.ok ? '' : ' FAILED'}`;
}

/** For each quota, the stack of the assembly that uses most of it. */
function largestStacks(outdir: string): { stacks: number; largest: Record<QuotaName, ReturnType<typeof quotaUse>> } {
  const usages = templatesInAssembly(outdir).map(t => templateUsage(t.templatePath));
  const largest = Object.fromEntries((Object.keys(CLOUDFORMATION_QUOTAS) as QuotaName[]).map(quota => {
    const top = usages.reduce((a, b) => (b[quota] > a[quota] ? b : a));
    return [quota, quotaUse(top.stack, quota, top[quota])];
  })) as Record<QuotaName, ReturnType<typeof quotaUse>>;
  return { stacks: usages.length, largest };
}

const MODE_RUNS: Readonly<Record<Mode, { label: string; grown: boolean; gate: boolean }>> = {
  cold: { label: 'gate on, cold', grown: false, gate: true },
  warm: { label: 'gate on, warm (+1 team)', grown: true, gate: true },
  off: { label: 'gate off', grown: false, gate: false },
};

async function measureSize(teams: number, modes: readonly Mode[]): Promise<SizeResult> {
  const registry = join(TMP, `registry-${teams}`);
  const grown = join(TMP, `registry-${teams}-plus-one`);
  writeGeneratedRegistry(registry, teams);
  if (modes.includes('warm')) writeGeneratedRegistry(grown, teams + 1);
  const outdir = (mode: Mode) => join(TMP, `out-${teams}-${mode}`);
  console.log(`${teams} team(s):`);
  rmSync(CACHE, { recursive: true, force: true });
  const runs: Partial<Record<Mode, SynthRun>> = {};
  let assembly: ReturnType<typeof largestStacks> | undefined;
  for (const mode of MODES.filter(m => modes.includes(m))) {
    const spec = MODE_RUNS[mode];
    runs[mode] = await synth({ registry: spec.grown ? grown : registry, outdir: outdir(mode), gate: spec.gate });
    console.log(describe(spec.label, runs[mode]!));
    // Quotas from the fleet as registered (not the grown one), from the first assembly written.
    if (!assembly && !spec.grown && runs[mode]!.ok) assembly = largestStacks(outdir(mode));
    rmSync(outdir(mode), { recursive: true, force: true });
  }
  rmSync(grown, { recursive: true, force: true });
  if (!assembly) throw new Error(`no synth of ${teams} teams succeeded; see the errors above`);
  const l = assembly.largest;
  console.log(`  largest stacks: ${l.resources.used} resources (${l.resources.stack}), ${l.outputs.used} outputs, `
    + `${l.parameters.used} parameters, ${(l.templateBytes.used / 1024).toFixed(0)} KB (${l.templateBytes.stack})`);
  return { teams, stacks: assembly.stacks, runs, largest: l };
}

async function measureOneOf(fleet: number): Promise<OneOfResult> {
  // The fleet of one is team 0: the same team, so both build the same stacks.
  const team = generatedTeamId(0);
  rmSync(CACHE, { recursive: true, force: true });
  const run = await synth({ registry: join(TMP, `registry-${fleet}`), outdir: join(TMP, `out-${fleet}-one`), gate: true, teams: team });
  rmSync(join(TMP, `out-${fleet}-one`), { recursive: true, force: true });
  console.log(describe(`one team out of ${fleet}, cold`, run));
  return { fleet, team, run };
}

/** Figures of an earlier run, for --append. */
function readPrevious(file: string): { sizes: SizeResult[]; oneOf?: OneOfResult } | undefined {
  if (!existsSync(file)) return undefined;
  const figures = JSON.parse(readFileSync(file, 'utf8')) as { sizes: SizeResult[]; oneOf?: OneOfResult };
  return { sizes: figures.sizes, oneOf: figures.oneOf };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(TMP, { recursive: true });
  const start = benchStart();
  console.log(`synth bench: sizes ${options.sizes.join(', ')}; ${cpus().length} CPUs; load average ${start.loadAtStart.join(' ')}`);
  const out = options.write ? RESULTS : TMP;
  const previous = options.append ? readPrevious(join(out, 'synth.json')) : undefined;
  const measured: SizeResult[] = [];
  for (const teams of options.sizes) measured.push(await measureSize(teams, options.modes));
  const largest = options.sizes[options.sizes.length - 1];
  const measuredOneOf = largest > 1 && options.modes.includes('cold') ? await measureOneOf(largest) : undefined;
  if (options.reportOnly && !previous) throw new Error(`--report-only: no figures in ${join(out, 'synth.json')}`);
  const sizes = [...(previous?.sizes ?? []).filter(p => !options.sizes.includes(p.teams)), ...measured].sort((a, b) => a.teams - b.teams);
  const oneOf = [previous?.oneOf, measuredOneOf].filter((o): o is OneOfResult => o !== undefined).sort((a, b) => b.fleet - a.fleet)[0];
  const fleetOfOne = sizes.find(s => s.teams === 1)?.runs.cold;
  const derived = derive(sizes);
  const goalList = goals(sizes, derived, oneOf, fleetOfOne);
  const loadAtEnd = loadNow();
  const table = markdownTable(sizes);
  const goalText = goalsTable(goalList);
  console.log(['', ...derivedLines(derived, oneOf, fleetOfOne), '', table, '', goalText, '', `load average at end: ${loadAtEnd.join(' ')}`].join('\n'));
  const runLoads = sizes.flatMap(s => MODES.flatMap(m => (s.runs[m] ? [s.runs[m]!.load[0]] : [])));
  const loadRange = `${Math.min(...runLoads).toFixed(1)}-${Math.max(...runLoads).toFixed(1)}`;
  const subtitle = `${cpus().length} CPUs, ${start.started.toISOString().slice(0, 10)}, one-minute load average ${loadRange} at the start of the runs`;
  const figures = {
    ...figuresHead(start, loadAtEnd, { runs: loadRange }),
    command: 'npx cdk synth --quiet --no-notices -c registry=DIR -o OUT',
    sizes,
    oneOf,
    derived,
    goals: goalList,
  };
  writeFileSync(join(out, 'synth.json'), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(join(out, 'synth.svg'), synthChart(sizes, subtitle));
  writeFileSync(join(out, 'synth.md'), `${table}\n\n${derivedLines(derived, oneOf, fleetOfOne).map(l => `- ${l}`).join('\n')}\n\n${goalText}\n`);
  console.log(`wrote ${join(out, 'synth.json')}, synth.svg and synth.md`);
}

runBench('synth', main);
