/**
 * What `springboard fleet status|metrics` do, as functions the command calls and tests drive:
 * options checked, pipelines chosen, the fleet read, the report written.
 */
import { writeFileSync } from 'node:fs';
import { loadRegistry } from '../registry';
import { ClientFactory, type FleetClientOptions } from './client-factory';
import { collectMetrics, collectStatus, DEFAULT_CONCURRENCY, hasErrors } from './collect';
import { progressReporter, type ProgressStream } from './progress';
import { metricsHtml, statusHtml } from './render/html';
import { metricsCsv, metricsJson, metricsTable } from './render/metrics';
import { statusCsv, statusJson, statusTable } from './render/status';
import { discoverTargets, type FleetTarget, targetsFromRegistry } from './targets';
import { exceedsRetention, resolveWindow } from './window';

/** Options as the command line gives them (strings, flags). */
export interface RawFleetOptions {
  readonly registry?: string;
  readonly discover?: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly fips?: boolean;
  readonly assumeRole?: string | boolean;
  readonly endpointUrl?: string;
  readonly concurrency?: string;
  readonly requestTimeout?: string;
  readonly connectTimeout?: string;
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly html?: string;
  readonly since?: string;
  readonly until?: string;
}

export interface FleetIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
  readonly now: () => Date;
  readonly writeFile: (path: string, content: string) => void;
  /** Sets the process's exit status. */
  readonly setExitCode: (code: number) => void;
  /** Client settings that override the command line (tests: credentials, pacing). */
  readonly clientOverrides?: Partial<FleetClientOptions>;
}

export function processIo(): FleetIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
    writeFile: (path, content) => writeFileSync(path, content),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** A value on the command line that cannot be used; the CLI prints the message and exits 2. */
export class FleetUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetUsageError';
  }
}

function positiveInteger(value: string | undefined, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new FleetUsageError(`${flag} must be a whole number from 1 to ${max}, received "${value}"`);
  }
  return n;
}

/** Client options from the command line; the default role name comes with a bare --assume-role. */
export function clientOptionsFrom(raw: RawFleetOptions, defaultRole: string): FleetClientOptions {
  if (raw.endpointUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(raw.endpointUrl)) {
    throw new FleetUsageError(`--endpoint-url must be an http(s) URL, received "${raw.endpointUrl}"`);
  }
  return {
    region: raw.region,
    profile: raw.profile,
    endpoint: raw.endpointUrl,
    fips: raw.fips ? true : undefined,
    assumeRoleName: raw.assumeRole === true ? defaultRole : raw.assumeRole || undefined,
    requestTimeoutMs: positiveInteger(raw.requestTimeout, '--request-timeout', 10_000, 600_000),
    connectionTimeoutMs: positiveInteger(raw.connectTimeout, '--connect-timeout', 3000, 600_000),
  };
}

function checkFormats(raw: RawFleetOptions): void {
  if (raw.json && raw.csv) throw new FleetUsageError('choose one of --json and --csv, received both');
  if (raw.html !== undefined && raw.html.trim() === '') throw new FleetUsageError('--html needs a file name, received an empty one');
}

async function chooseTargets(raw: RawFleetOptions, factory: ClientFactory, clientOptions: FleetClientOptions): Promise<FleetTarget[]> {
  if (!raw.discover) return targetsFromRegistry(loadRegistry(raw.registry ?? 'teams'));
  if (clientOptions.assumeRoleName) {
    throw new FleetUsageError('--discover lists the pipelines of the account whose credentials are in use, so it cannot assume a role per account; drop --assume-role or use --profile');
  }
  const location = { region: clientOptions.region };
  return discoverTargets(factory.forLocation(location), location);
}

interface Prepared {
  readonly factory: ClientFactory;
  readonly targets: FleetTarget[];
  readonly concurrency: number;
}

async function prepare(raw: RawFleetOptions, io: FleetIo, defaultRole: string): Promise<Prepared> {
  checkFormats(raw);
  const concurrency = positiveInteger(raw.concurrency, '--concurrency', DEFAULT_CONCURRENCY, 64);
  const clientOptions = { ...clientOptionsFrom(raw, defaultRole), ...io.clientOverrides };
  const factory = new ClientFactory(clientOptions);
  try {
    return { factory, targets: await chooseTargets(raw, factory, clientOptions), concurrency };
  } catch (error) {
    factory.destroy();
    throw error;
  }
}

function emit(raw: RawFleetOptions, io: FleetIo, forms: { table: () => string; json: () => unknown; csv: () => string; html: () => string }): void {
  if (raw.html !== undefined) {
    io.writeFile(raw.html, forms.html());
    io.stderr.write(`wrote ${raw.html}\n`);
  }
  if (raw.json) io.stdout.write(`${JSON.stringify(forms.json(), null, 2)}\n`);
  else if (raw.csv) io.stdout.write(forms.csv());
  else io.stdout.write(`${forms.table()}\n`);
}

/** `fleet metrics`; resolves to the exit status (1 when some pipeline could not be read). */
export async function runMetrics(raw: RawFleetOptions, io: FleetIo, defaultRole: string): Promise<number> {
  const now = io.now();
  const window = resolveWindow({ since: raw.since, until: raw.until, now });
  if (exceedsRetention(window, now)) io.stderr.write('note: CodePipeline keeps 12 months of history; the older part of the window has no data\n');
  const { factory, targets, concurrency } = await prepare(raw, io, defaultRole);
  try {
    const progress = progressReporter(io.stderr, targets.length, 'fleet metrics');
    const report = await collectMetrics(targets, factory, window, { concurrency, onProgress: progress.update });
    progress.finish();
    emit(raw, io, {
      table: () => metricsTable(report), json: () => metricsJson(report), csv: () => metricsCsv(report), html: () => metricsHtml(report),
    });
    return hasErrors(report) ? 1 : 0;
  } finally {
    factory.destroy();
  }
}

/** `fleet status`; resolves to the exit status (1 when some pipeline could not be read). */
export async function runStatus(raw: RawFleetOptions, io: FleetIo, defaultRole: string): Promise<number> {
  const { factory, targets, concurrency } = await prepare(raw, io, defaultRole);
  try {
    const progress = progressReporter(io.stderr, targets.length, 'fleet status');
    const report = await collectStatus(targets, factory, { concurrency, onProgress: progress.update, now: io.now() });
    progress.finish();
    emit(raw, io, { table: () => statusTable(report), json: () => statusJson(report), csv: () => statusCsv(report), html: () => statusHtml(report) });
    return hasErrors(report) ? 1 : 0;
  } finally {
    factory.destroy();
  }
}
