/** `springboard synth --shards N`: a full synth in separate processes, merged into one assembly (lib/synth). */
import * as os from 'os';
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { repeatable, wholeNumber } from './flags';
import { shardedSynth } from '../app/sharded-synth';
import { UsageError } from '../contract';

interface SynthCommandOptions {
  readonly shards: number;
  readonly registry: string;
  readonly output: string;
  readonly concurrency: number;
  readonly context: readonly string[];
}

export function synthCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('synth')
    .description('synthesize the whole registry in shards (the platform scope and N team sets, each its own `cdk synth`) '
      + 'and merge them into the assembly and compliance report a full `cdk synth` writes; exits 1 if the gate or a shard fails')
    .requiredOption('--shards <n>', 'number of team shards (the platform shard comes on top)', wholeNumber('--shards', 1, 1000))
    .option('--registry <dir>', 'folder of team YAML files', 'teams')
    .option('-o, --output <dir>', 'merged cloud assembly', 'cdk.out')
    .option('--concurrency <n>', 'shards synthesized at once', wholeNumber('--concurrency', 1, 64), Math.max(1, os.availableParallelism()))
    .option('-c, --context <key=value>', 'context for every shard, like `cdk synth -c` (repeatable)', repeatable, [])
    .action(exitingWith(context, async (options: SynthCommandOptions) => {
      const started = Date.now();
      const result = await shardedSynth({
        registry: options.registry,
        outdir: options.output,
        shards: options.shards,
        concurrency: options.concurrency,
        context: Object.fromEntries(options.context.map(parseContext)),
        log: line => io.stderr.write(`${line}\n`),
      });
      const { report } = result;
      const summary = report ? `compliance ${report.verdict} (${report.summary.open} open, ${report.summary.acknowledged} acknowledged, `
        + `${report.summary.disabled} disabled; ${report.summary.templates} templates)` : 'no compliance report';
      io.stdout.write(`springboard synth: ${result.shards.length} shards merged into ${options.output} (${result.artifacts} artifacts) `
        + `in ${((Date.now() - started) / 1000).toFixed(1)} s; ${summary}\n`);
      return result.exitCode;
    }));
}

function parseContext(value: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`--context expects key=value, like springboard:gate=off; received "${value}"`);
  return [value.slice(0, at), value.slice(at + 1)];
}
