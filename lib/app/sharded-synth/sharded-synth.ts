/**
 * `springboard synth --shards N`: the registry synthesized in N + 1 separate `cdk synth` processes
 * (the platform scope and N disjoint team sets), merged into the cloud assembly and compliance
 * report a full `cdk synth` writes (test/scale/sharded-synth.test.ts compares them at 10 teams).
 */
import * as fs from 'fs';
import { mergeAssemblies } from './merge-assembly';
import { mergeReports } from './merge-report';
import { ShardResult, runShards } from './run-shards';
import { Shard, planShards } from './shard-plan';
import { templatesInAssembly } from '../../compliance/assembly';
import { ComplianceReport, readReport, writeReport } from '../../compliance/report';
import { InvalidInputError } from '../../contract/command';
import { COMPLIANCE_REPORT_FILE } from '../../contract/naming';
import { loadRegistry } from '../../registry';

export interface ShardedSynthOptions {
  /** Registry folder, as `-c registry=` takes it (relative to `cwd`). */
  readonly registry: string;
  /** Merged assembly folder (relative to `cwd`). */
  readonly outdir: string;
  /** Team shards (the platform shard comes on top). */
  readonly shards: number;
  /** Shards running at once. */
  readonly concurrency: number;
  /** More context for every shard, such as `springboard:gate=off`. */
  readonly context?: Readonly<Record<string, string>>;
  /** Folder holding cdk.json. @default - the working directory */
  readonly cwd?: string;
  readonly log: (line: string) => void;
}

export interface ShardedSynthResult {
  readonly shards: readonly ShardResult[];
  readonly report?: ComplianceReport;
  readonly artifacts: number;
  /** 0 when every shard passed; 1 when any failed (the gate, or a shard's synth). */
  readonly exitCode: number;
}

/** Context keys the shard plan sets itself. */
const PLANNED_CONTEXT = ['teams', 'scope', 'registry'];

export async function shardedSynth(options: ShardedSynthOptions): Promise<ShardedSynthResult> {
  const extra = options.context ?? {};
  const clash = Object.keys(extra).filter(k => PLANNED_CONTEXT.includes(k));
  if (clash.length > 0) {
    throw new InvalidInputError(`springboard synth --shards sets ${clash.join(', ')} for each shard itself; `
      + 'remove it from --context (use --registry for the registry)');
  }
  const cwd = options.cwd ?? process.cwd();
  const registry = loadRegistry(options.registry);
  const plan = planShards(registry.teams.map(t => t.id), options.shards);
  const shardsDir = `${options.outdir}.shards`;
  fs.rmSync(shardsDir, { recursive: true, force: true });
  const shards = await runShards(plan, {
    cwd, shardsDir, concurrency: options.concurrency, log: options.log, context: { ...extra, registry: options.registry },
  });
  const unfinished = shards.filter(s => !fs.existsSync(`${s.outdir}/manifest.json`) || !fs.existsSync(`${s.outdir}/${COMPLIANCE_REPORT_FILE}`));
  if (unfinished.length > 0) throw new InvalidInputError(unfinishedMessage(unfinished));
  const merged = mergeAssemblies(shards.map(s => s.outdir), options.outdir);
  const report = mergeReports(shards.map(s => readReport(s.outdir)), templatesInAssembly(options.outdir).length);
  writeReport(options.outdir, report);
  fs.rmSync(shardsDir, { recursive: true, force: true });
  const failed = shards.filter(s => s.exitCode !== 0);
  failed.forEach(s => options.log(`springboard synth: shard ${s.shard.name} failed (exit ${s.exitCode}):\n${s.stderrTail.trim()}`));
  return { shards, report, artifacts: merged.artifacts, exitCode: failed.length > 0 || report.verdict === 'fail' ? 1 : 0 };
}

function unfinishedMessage(unfinished: readonly ShardResult[]): string {
  const describe = (s: { shard: Shard; exitCode: number; stderrTail: string }) => `shard ${s.shard.name} (exit ${s.exitCode}) wrote no assembly:\n${s.stderrTail.trim()}`;
  return `springboard synth: ${unfinished.length} shard(s) did not finish, so nothing was merged\n${unfinished.map(describe).join('\n')}`;
}
