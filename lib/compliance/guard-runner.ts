/**
 * Runs the validator's own cfn-guard binary and rules (through its CfnGuardValidator, so its result
 * parsing is reused) once per template with only the rule files that can apply, several templates
 * in parallel. CDK calls validation plugins synchronously, so the parallel work runs in worker
 * threads and the calling thread blocks on a shared counter until they finish.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
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
}

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
  const pending = jobs.map((job, index) => ({ job, index })).filter(p => p.job.ruleFiles.length > 0);
  const concurrency = Math.max(1, Math.min(options.concurrency ?? os.availableParallelism(), pending.length));
  const place = (outcomes: PolicyViolationBeta1[][]) => {
    const results: PolicyViolationBeta1[][] = jobs.map(() => []);
    pending.forEach((p, i) => { results[p.index] = outcomes[i]; });
    return results;
  };
  if (concurrency <= 1) return { wait: () => place(pending.map(p => runGuardJob(p.job))) };
  const wait = runInWorkers(pending.map(p => p.job), concurrency, options.timeoutMs ?? 900_000);
  return { wait: () => place(wait()) };
}

/** One template through the validator, on the calling thread. */
export function runGuardJob(job: GuardJob): PolicyViolationBeta1[] {
  const validator = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: [...job.ruleFiles], maxBuffer: MAX_BUFFER });
  const context = { templatePaths: [job.templatePath] } as unknown as Parameters<CfnGuardValidator['validate']>[0];
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
      const report = validator.validate({ templatePaths: [jobs[index].templatePath] });
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

function runInWorkers(jobs: readonly GuardJob[], concurrency: number, timeoutMs: number): () => PolicyViolationBeta1[][] {
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

function startWorker(jobs: readonly GuardJob[], counters: SharedArrayBuffer) {
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
  if (missing !== -1) throw new Error(`cfn-guard returned no result for template ${missing + 1} of ${jobCount}`);
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
