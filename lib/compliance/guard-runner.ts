/**
 * Runs the validator's own cfn-guard binary and rules (through its CfnGuardValidator, so its result
 * parsing is reused) with only the rule files that can apply, several processes in parallel.
 * Templates that need the same rule files go to one cfn-guard process together (a batch), so the
 * start-up and rule parsing are paid once per batch rather than once per template; each violation
 * names its template, which is how a batch's results are split again. CDK calls validation plugins
 * synchronously, so the parallel work runs in worker threads and the calling thread blocks on a
 * shared counter until they finish.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { PolicyViolationBeta1 } from 'aws-cdk-lib';

export interface GuardJob {
  readonly templatePath: string;
  readonly ruleFiles: readonly string[];
}

export interface GuardRunOptions {
  /** Parallel cfn-guard processes. @default - the machine's available parallelism */
  readonly concurrency?: number;
  /** Longest wait for all jobs. @default 900_000 (15 minutes) */
  readonly timeoutMs?: number;
  /** Most templates per cfn-guard process. @default 8 */
  readonly maxBatch?: number;
}

/** Templates evaluated by one cfn-guard process with one set of rule files. */
interface GuardBatch {
  readonly templatePaths: readonly string[];
  readonly ruleFiles: readonly string[];
}

const DEFAULT_MAX_BATCH = 8;

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
  const batches = batchJobs(pending, parallelism, options.maxBatch ?? DEFAULT_MAX_BATCH);
  const concurrency = Math.max(1, Math.min(parallelism, batches.length));
  const place = (outcomes: PolicyViolationBeta1[][]) => splitByTemplate(jobs, batches, outcomes);
  if (concurrency <= 1) return { wait: () => place(batches.map(runGuardBatch)) };
  const wait = runInWorkers(batches, concurrency, options.timeoutMs ?? 900_000);
  return { wait: () => place(wait()) };
}

/**
 * Groups templates by their rule files and cuts each group into batches: no larger than `maxBatch`,
 * and small enough that every parallel process gets work.
 */
function batchJobs(jobs: readonly GuardJob[], parallelism: number, maxBatch: number): GuardBatch[] {
  const groups = new Map<string, GuardJob[]>();
  for (const job of jobs) {
    const key = job.ruleFiles.join('\n');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(job);
  }
  return [...groups.values()].flatMap(group => {
    const size = Math.max(1, Math.min(maxBatch, Math.ceil(group.length / parallelism)));
    const batches: GuardBatch[] = [];
    for (let i = 0; i < group.length; i += size) {
      const slice = group.slice(i, i + size);
      batches.push({ templatePaths: slice.map(j => j.templatePath), ruleFiles: slice[0].ruleFiles });
    }
    return batches;
  });
}

/** Violations per job, in job order, from the batches' violations (each names its template). */
function splitByTemplate(jobs: readonly GuardJob[], batches: readonly GuardBatch[], outcomes: PolicyViolationBeta1[][]): PolicyViolationBeta1[][] {
  const byTemplate = new Map<string, PolicyViolationBeta1[]>(jobs.map(j => [path.resolve(j.templatePath), []]));
  outcomes.forEach((violations, b) => {
    const single = batches[b].templatePaths.length === 1 ? path.resolve(batches[b].templatePaths[0]) : undefined;
    for (const violation of violations) {
      const perTemplate = new Map<string, PolicyViolationBeta1['violatingResources'][number][]>();
      for (const resource of violation.violatingResources) {
        const template = single ?? path.resolve(resource.templatePath);
        if (!byTemplate.has(template)) throw new Error(`cfn-guard reported a violation in ${resource.templatePath}, which it was not given`);
        perTemplate.set(template, [...(perTemplate.get(template) ?? []), resource]);
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
