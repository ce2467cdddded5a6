/**
 * Runs the validator's own cfn-guard binary and rules (through its CfnGuardValidator, so its result
 * parsing is reused) with only the rule files that can apply, several processes in parallel.
 * Templates that need the same rule files go to one cfn-guard process together (a batch), so the
 * start-up and rule parsing are paid once per batch rather than once per template; each violation
 * names its template, which is how a batch's results are split again. A rule file that only selects
 * resources by type reads a copy of the template cut to those types (guard-scope.ts), and rule files
 * reading the same types share a process across templates: cfn-guard's cost follows the data it is
 * given, once per rule file. `data: 'whole-template'` keeps the earlier path (every rule file reads
 * the whole template), the reference the scoped path is tested against. CDK calls validation plugins
 * synchronously, so the parallel work runs in worker threads and the calling thread blocks on a
 * shared counter until they finish.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { PolicyViolationBeta1 } from 'aws-cdk-lib';
import { RuleScope, ScopedTemplateFiles, ruleScope, scopeKey } from './guard-scope';

export interface GuardJob {
  readonly templatePath: string;
  readonly ruleFiles: readonly string[];
}

export interface GuardRunOptions {
  /** Parallel cfn-guard processes. @default - the machine's available parallelism */
  readonly concurrency?: number;
  /** Longest wait for all jobs. @default 900_000 (15 minutes) */
  readonly timeoutMs?: number;
  /** Most whole templates per cfn-guard process. @default 8 */
  readonly maxBatch?: number;
  /** Most scoped copies per cfn-guard process (they are small). @default 64 */
  readonly maxScopedBatch?: number;
  /**
   * What each rule file reads: `scoped`, the template cut to the types the rule file selects
   * (whole when it may read more); `whole-template`, always the whole template (the reference).
   * @default 'scoped'
   */
  readonly data?: GuardData;
}

export type GuardData = 'scoped' | 'whole-template';

/** Data files evaluated by one cfn-guard process with one set of rule files. */
interface GuardBatch {
  readonly templatePaths: readonly string[];
  readonly ruleFiles: readonly string[];
}

/** One data file (a template or a scoped copy) and the rule files that read it. */
interface GuardUnit {
  readonly dataPath: string;
  readonly ruleFiles: readonly string[];
  readonly scoped: boolean;
}

const DEFAULT_MAX_BATCH = 8;
const DEFAULT_MAX_SCOPED_BATCH = 64;

/** cfn-guard's JSON for a large template exceeds Node's default 1 MB pipe buffer. */
const MAX_BUFFER = 256 * 1024 * 1024;

/** Guard runs under way; `wait()` blocks until all are done and returns violations per job, in job order. */
export interface GuardRun {
  wait(): PolicyViolationBeta1[][];
}

/**
 * Starts the jobs in worker threads (or, with one job or one core, defers them to `wait()` on the
 * calling thread) so the caller can do other work, such as cdk-nag, meanwhile.
 */
export function startGuardJobs(jobs: readonly GuardJob[], options: GuardRunOptions = {}): GuardRun {
  const pending = jobs.filter(job => job.ruleFiles.length > 0);
  const parallelism = Math.max(1, options.concurrency ?? os.availableParallelism());
  const files = options.data === 'whole-template' ? undefined : new ScopedTemplateFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-guard-')));
  try {
    const units = files ? pending.flatMap(job => scopedUnits(job, files)) : pending.map(wholeTemplateUnit);
    const batches = batchUnits(units, parallelism, options.maxBatch ?? DEFAULT_MAX_BATCH, options.maxScopedBatch ?? DEFAULT_MAX_SCOPED_BATCH);
    const concurrency = Math.max(1, Math.min(parallelism, batches.length));
    const originalOf = (file: string) => files?.originalOf(file) ?? file;
    const place = (outcomes: PolicyViolationBeta1[][]) => splitByTemplate(jobs, batches, outcomes, originalOf);
    const run = concurrency <= 1 ? () => batches.map(runGuardBatch) : runInWorkers(batches, concurrency, options.timeoutMs ?? 900_000);
    return {
      wait: () => {
        try {
          return place(run());
        } finally {
          if (files) fs.rmSync(files.dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    if (files) fs.rmSync(files.dir, { recursive: true, force: true });
    throw e;
  }
}

function wholeTemplateUnit(job: GuardJob): GuardUnit {
  return { dataPath: job.templatePath, ruleFiles: job.ruleFiles, scoped: false };
}

/** The job's rule files that may read anything get the whole template; the others, grouped by the types they read, a scoped copy. */
function scopedUnits(job: GuardJob, files: ScopedTemplateFiles): GuardUnit[] {
  const whole: string[] = [];
  const byTypes = new Map<string, { scope: Extract<RuleScope, { kind: 'types' }>; ruleFiles: string[] }>();
  for (const ruleFile of job.ruleFiles) {
    const scope = ruleScope(ruleFile);
    if (scope.kind === 'template') {
      whole.push(ruleFile);
      continue;
    }
    const key = scopeKey(scope);
    if (!byTypes.has(key)) byTypes.set(key, { scope, ruleFiles: [] });
    byTypes.get(key)!.ruleFiles.push(ruleFile);
  }
  const groups = [...byTypes.values()];
  const written = files.write(job.templatePath, groups.map(g => g.scope));
  const units: GuardUnit[] = groups.map(g => ({ dataPath: written.get(scopeKey(g.scope))!, ruleFiles: g.ruleFiles, scoped: true }));
  if (whole.length > 0) units.push({ dataPath: job.templatePath, ruleFiles: whole, scoped: false });
  return units;
}

/**
 * Groups data files by their rule files and cuts each group into batches: no larger than the
 * batch limit (whole templates or scoped copies), and small enough that every parallel process gets work.
 */
function batchUnits(units: readonly GuardUnit[], parallelism: number, maxBatch: number, maxScopedBatch: number): GuardBatch[] {
  const groups = new Map<string, GuardUnit[]>();
  for (const unit of units) {
    const key = `${unit.scoped ? 'scoped' : 'whole'}\n${unit.ruleFiles.join('\n')}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(unit);
  }
  return [...groups.values()].flatMap(group => {
    const limit = group[0].scoped ? maxScopedBatch : maxBatch;
    const size = Math.max(1, Math.min(limit, Math.ceil(group.length / parallelism)));
    const batches: GuardBatch[] = [];
    for (let i = 0; i < group.length; i += size) {
      const slice = group.slice(i, i + size);
      batches.push({ templatePaths: slice.map(u => u.dataPath), ruleFiles: slice[0].ruleFiles });
    }
    return batches;
  });
}

/**
 * Violations per job, in job order, from the batches' violations (each names its data file, which
 * `originalOf` turns back into the template it stands for).
 */
function splitByTemplate(
  jobs: readonly GuardJob[], batches: readonly GuardBatch[], outcomes: PolicyViolationBeta1[][], originalOf: (file: string) => string,
): PolicyViolationBeta1[][] {
  const byTemplate = new Map<string, PolicyViolationBeta1[]>(jobs.map(j => [path.resolve(j.templatePath), []]));
  outcomes.forEach((violations, b) => {
    const single = batches[b].templatePaths.length === 1 ? originalOf(batches[b].templatePaths[0]) : undefined;
    for (const violation of violations) {
      const perTemplate = new Map<string, PolicyViolationBeta1['violatingResources'][number][]>();
      for (const resource of violation.violatingResources) {
        const original = single ?? originalOf(resource.templatePath);
        const template = path.resolve(original);
        if (!byTemplate.has(template)) throw new Error(`cfn-guard reported a violation in ${resource.templatePath}, which it was not given`);
        perTemplate.set(template, [...(perTemplate.get(template) ?? []), { ...resource, templatePath: original }]);
      }
      perTemplate.forEach((resources, template) => byTemplate.get(template)!.push({ ...violation, violatingResources: resources }));
    }
  });
  return jobs.map(j => byTemplate.get(path.resolve(j.templatePath))!);
}

/** One template through the validator, on the calling thread. */
export function runGuardJob(job: GuardJob): PolicyViolationBeta1[] {
  return runGuardBatch({ templatePaths: [job.templatePath], ruleFiles: job.ruleFiles });
}

function runGuardBatch(batch: GuardBatch): PolicyViolationBeta1[] {
  const validator = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: [...batch.ruleFiles], maxBuffer: MAX_BUFFER });
  const context = { templatePaths: [...batch.templatePaths] } as unknown as Parameters<CfnGuardValidator['validate']>[0];
  return [...validator.validate(context).violations];
}

interface WorkerMessage {
  readonly index: number;
  readonly violations?: PolicyViolationBeta1[];
  readonly error?: string;
}

// Plain JavaScript so workers start without a TypeScript loader (under tsx, ts-jest or compiled).
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { jobs, modulePath, counters, port, maxBuffer } = workerData;
const state = new Int32Array(counters);
try {
  const { CfnGuardValidator } = require(modulePath);
  for (;;) {
    const index = Atomics.add(state, 0, 1);
    if (index >= jobs.length) break;
    try {
      const validator = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: jobs[index].ruleFiles, maxBuffer });
      const report = validator.validate({ templatePaths: jobs[index].templatePaths });
      port.postMessage({ index, violations: report.violations });
    } catch (e) {
      port.postMessage({ index, error: String((e && e.message) || e) });
    }
  }
} catch (e) {
  port.postMessage({ index: -1, error: String((e && e.message) || e) });
} finally {
  port.close();
  Atomics.add(state, 1, 1);
  Atomics.notify(state, 1);
}
`;

function runInWorkers(jobs: readonly GuardBatch[], concurrency: number, timeoutMs: number): () => PolicyViolationBeta1[][] {
  const counters = new SharedArrayBuffer(8);
  const state = new Int32Array(counters); // [next job, finished workers]
  const ports = Array.from({ length: concurrency }, () => startWorker(jobs, counters));
  const deadline = Date.now() + timeoutMs;
  return () => {
    for (let finished = Atomics.load(state, 1); finished < concurrency; finished = Atomics.load(state, 1)) {
      if (Date.now() > deadline) throw new Error(`cfn-guard did not finish ${jobs.length} templates within ${timeoutMs} ms`);
      Atomics.wait(state, 1, finished, 1000);
    }
    return collect(jobs.length, ports);
  };
}

function startWorker(jobs: readonly GuardBatch[], counters: SharedArrayBuffer) {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { jobs, modulePath: require.resolve('@cdklabs/cdk-validator-cfnguard'), counters, port: port2, maxBuffer: MAX_BUFFER },
    transferList: [port2],
  });
  worker.unref();
  return port1;
}

function collect(jobCount: number, ports: MessageChannel['port1'][]): PolicyViolationBeta1[][] {
  const results: Array<PolicyViolationBeta1[] | undefined> = new Array(jobCount).fill(undefined);
  const errors: string[] = [];
  for (const port of ports) {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const message = m.message as WorkerMessage;
      if (message.error !== undefined) errors.push(message.error);
      else results[message.index] = message.violations ?? [];
    }
    port.close();
  }
  if (errors.length > 0) throw new Error(`cfn-guard failed: ${errors.join('; ')}`);
  const missing = results.findIndex(r => r === undefined);
  if (missing !== -1) throw new Error(`cfn-guard returned no result for batch ${missing + 1} of ${jobCount}`);
  return results as PolicyViolationBeta1[][];
}

/**
 * Logical ids a rule failed on, read from cfn-guard's own structured output. Used only when the
 * validator's parser returns a violation without a resource (it does for some rule shapes, such as
 * CT.KMS.PR.3): the finding must still land on its resource so it can be fixed or acknowledged.
 */
export function locateViolations(templatePath: string, ruleFile: string): string[] {
  const guard = Reflect.get(new CfnGuardValidator({ controlTowerRulesEnabled: false }), 'guard') as string;
  const args = ['validate', '--rules', ruleFile, '--data', templatePath, '--output-format', 'json', '--show-summary', 'none', '--structured'];
  const run = spawnSync(guard, args, { maxBuffer: MAX_BUFFER, encoding: 'utf8' });
  if (run.error) throw run.error;
  const ids = new Set<string>();
  for (const match of (run.stdout ?? '').matchAll(/"\/Resources\/([^/"]+)/g)) ids.add(match[1]);
  return [...ids].sort();
}
