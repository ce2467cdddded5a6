/**
 * Runs each shard as its own `cdk synth` process (the CDK CLI, which runs the app as cdk.json says),
 * with its own output folder, a few at a time. Separate processes are the point: each holds only
 * its shard's construct tree, so peak memory follows the shard, not the fleet.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { Shard } from './shard-plan';

export interface ShardRunOptions {
  /** Folder holding cdk.json (the app's working directory). */
  readonly cwd: string;
  /** Where each shard's assembly goes: `<shardsDir>/<shard name>`. */
  readonly shardsDir: string;
  /** Context every shard gets (the registry, the gate switch). */
  readonly context: Readonly<Record<string, string>>;
  /** Shards running at once. */
  readonly concurrency: number;
  /** A line per started and finished shard. */
  readonly log: (line: string) => void;
}

export interface ShardResult {
  readonly shard: Shard;
  readonly outdir: string;
  readonly exitCode: number;
  readonly seconds: number;
  /** The end of its standard error, for a failure message. */
  readonly stderrTail: string;
}

const STDERR_TAIL = 16 * 1024;

/** The CDK CLI of this installation, run with the current Node (no npx in between). */
function cdkCli(): string {
  return require.resolve('aws-cdk/bin/cdk');
}

/** Every shard's result, in plan order. */
export async function runShards(shards: readonly Shard[], options: ShardRunOptions): Promise<ShardResult[]> {
  const results: ShardResult[] = new Array(shards.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < shards.length; i = next++) results[i] = await runShard(shards[i], options);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, shards.length)) }, worker));
  return results;
}

function runShard(shard: Shard, options: ShardRunOptions): Promise<ShardResult> {
  const outdir = path.join(options.shardsDir, shard.name);
  const context = { ...options.context, ...shard.context };
  const args = [cdkCli(), 'synth', '--quiet', '--no-notices', '-o', outdir, ...Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const started = Date.now();
  const what = shard.teams.length > 0 ? `${shard.teams.length} team(s), ${shard.teams[0]} to ${shard.teams[shard.teams.length - 1]}` : 'platform scope';
  options.log(`springboard synth: shard ${shard.name} (${what}) started`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-STDERR_TAIL); });
    child.on('error', reject);
    child.on('close', code => {
      const seconds = (Date.now() - started) / 1000;
      const gate = /springboard compliance gate: .*/.exec(stderr)?.[0];
      options.log(`springboard synth: shard ${shard.name} ${code === 0 ? 'done' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s${gate ? `; ${gate.replace(/ - \S+$/, '')}` : ''}`);
      resolve({ shard, outdir, exitCode: code ?? 1, seconds, stderrTail: stderr });
    });
  });
}
