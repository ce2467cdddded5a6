/**
 * Runs a command and measures its wall time and the peak resident memory of its whole process
 * tree (npx, the CDK CLI, the app, cfn-guard), by polling /proc: `/usr/bin/time` is not on every
 * machine, and `process.resourceUsage()` only sees the bench's own process. Also what every synth
 * bench shares around its runs: the synth's environment, and the head of the figures it writes
 * (when, how long, on what machine, under what load).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Measurement {
  readonly wallSeconds: number;
  /** Largest sum of RSS over the process tree seen at one poll; undefined without /proc. */
  readonly peakTreeRssMiB?: number;
  /** Largest RSS of any one process of the tree (in practice the CDK app). */
  readonly peakProcessRssMiB?: number;
  /**
   * Largest peak RSS of any one process of the tree as the kernel counted it (getrusage of the
   * waited-for children, through `/usr/bin/time -v`): not limited by the polling interval.
   * Undefined where /usr/bin/time is missing.
   */
  readonly maxRssMiB?: number;
  readonly exitCode: number;
  readonly stderr: string;
  /** One-minute load average before and after the run. */
  readonly load: readonly [number, number];
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** @default 250 */
  readonly pollMs?: number;
}

const KEEP_STDERR = 64 * 1024;

const GNU_TIME = '/usr/bin/time';

export function measureCommand(command: string, args: readonly string[], options: RunOptions): Promise<Measurement> {
  const loadBefore = loadavg()[0];
  const started = process.hrtime.bigint();
  const timed = existsSync(GNU_TIME);
  const [program, ...programArgs] = timed ? [GNU_TIME, '-v', command, ...args] : [command, ...args];
  const child = spawn(program, programArgs, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-KEEP_STDERR); });
  const peaks = { tree: 0, process: 0 };
  const poll = () => {
    const sample = sampleTree(child.pid);
    if (!sample) return;
    peaks.tree = Math.max(peaks.tree, sample.total);
    peaks.process = Math.max(peaks.process, sample.largest);
  };
  const timer = setInterval(poll, options.pollMs ?? 250);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => {
      clearInterval(timer);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const hasProc = procAvailable();
      resolve({
        wallSeconds,
        peakTreeRssMiB: hasProc ? peaks.tree / 1024 : undefined,
        peakProcessRssMiB: hasProc ? peaks.process / 1024 : undefined,
        maxRssMiB: timed ? maxRssOf(stderr) : undefined,
        exitCode: code ?? 1,
        stderr,
        load: [loadBefore, loadavg()[0]],
      });
    });
  });
}

function procAvailable(): boolean {
  try {
    readFileSync('/proc/self/status');
    return true;
  } catch {
    return false;
  }
}

/** RSS in KiB of `root` and all its descendants: total and largest single process. */
function sampleTree(root: number | undefined): { total: number; largest: number } | undefined {
  if (root === undefined) return undefined;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter(e => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    const ppid = parentOf(entry);
    if (ppid === undefined) continue;
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(Number(entry));
  }
  let total = 0;
  let largest = 0;
  const queue = [root];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    const rss = rssOf(pid);
    total += rss;
    largest = Math.max(largest, rss);
    queue.push(...(children.get(pid) ?? []));
  }
  return { total, largest };
}

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces; fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** `/usr/bin/time -v`'s "Maximum resident set size (kbytes)", in MiB. */
function maxRssOf(stderr: string): number | undefined {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match ? Number(match[1]) / 1024 : undefined;
}

/**
 * The environment of a measured synth: its own findings cache; no NODE_OPTIONS (the app must fit in
 * Node's default heap); no CLI telemetry (no network in the timing).
 */
export function synthEnv(cacheDir: string): NodeJS.ProcessEnv {
  return { ...process.env, SPRINGBOARD_CACHE_DIR: cacheDir, CDK_DISABLE_CLI_TELEMETRY: 'true', NODE_OPTIONS: '' };
}

/** Measures one synth (any command) in `synthEnv`; a failure's last stderr goes to the bench's stderr. */
export async function measureSynth(
  command: string, args: readonly string[], options: { readonly cwd: string; readonly cacheDir: string },
): Promise<Measurement> {
  const m = await measureCommand(command, args, { cwd: options.cwd, env: synthEnv(options.cacheDir) });
  if (m.exitCode !== 0) process.stderr.write(`  synth failed (exit ${m.exitCode}):\n${m.stderr.slice(-4000)}\n`);
  return m;
}

/** What the compliance gate's summary line says: templates checked, cache hits, seconds; undefined without one. */
export function gateSummary(stderr: string): { templates: number; cached: number; seconds: number } | undefined {
  const gate = /springboard compliance gate: \w+ \(.*; (\d+) templates, \d+ distinct, (\d+) cached; ([\d.]+) s\)/.exec(stderr);
  return gate ? { templates: Number(gate[1]), cached: Number(gate[2]), seconds: Number(gate[3]) } : undefined;
}

/** The one-minute, five-minute and fifteen-minute load averages now, to two decimals. */
export function loadNow(): number[] {
  return loadavg().map(l => Number(l.toFixed(2)));
}

export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

/** When a bench started and the load it started under. */
export interface BenchStart {
  readonly started: Date;
  readonly loadAtStart: readonly number[];
}

export function benchStart(): BenchStart {
  return { started: new Date(), loadAtStart: loadNow() };
}

/** The head every bench's figures start with; `load` adds to the load averages. */
export function figuresHead(start: BenchStart, loadAtEnd: readonly number[], load: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    startedAt: start.started.toISOString(),
    minutes: Number(((Date.now() - start.started.getTime()) / 60000).toFixed(1)),
    machine: machine(),
    loadAverage: { start: start.loadAtStart, end: loadAtEnd, ...load },
  };
}

/** Runs a bench's main; an error is one line on stderr and exit 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().catch(e => {
    process.stderr.write(`${name} bench: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
