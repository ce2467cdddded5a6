/**
 * What `springboard fleet status|metrics` do, as functions the command calls and tests drive:
 * options checked, pipelines chosen, the fleet read, the report written.
 */
import { type CommandIo, UsageError } from '../contract/command';
import { loadRegistry } from '../registry';
import { ClientFactory, type FleetClientOptions } from './client-factory';
import { collectMetrics, collectStatus, DEFAULT_CONCURRENCY, hasErrors } from './collect';
import { progressReporter } from './progress';
import { metricsHtml, statusHtml } from './render/html';
import { metricsCsv, metricsJson, metricsTable } from './render/metrics';
import { statusCsv, statusJson, statusTable } from './render/status';
import { discoverTargets, type FleetTarget, targetsFromRegistry } from './targets';
import { exceedsRetention, resolveWindow } from './window';

/** Options as the command line gives them (numbers already parsed by lib/cli/flags.ts). */
export interface RawFleetOptions {
  readonly registry?: string;
  readonly discover?: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly fips?: boolean;
  readonly assumeRole?: string | boolean;
  readonly endpointUrl?: string;
  readonly concurrency?: number;
  readonly requestTimeout?: number;
  readonly connectTimeout?: number;
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly html?: string;
  readonly since?: string;
  readonly until?: string;
}

/** How a fleet run reaches AWS beyond the command line (tests: credentials, pacing). */
export interface FleetSettings {
  /** Role assumed by a bare `--assume-role`. */
  readonly defaultRole: string;
  /** Client settings that override the command line. */
  readonly clientOverrides?: Partial<FleetClientOptions>;
}

/** A value on the command line that cannot be used: the CLI prints the message and exits 2. */
export class FleetUsageError extends UsageError {}

/** Defaults of the timeout flags (also shown in the command's help). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
/** Most pipelines read at once. */
export const MAX_CONCURRENCY = 64;

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
    requestTimeoutMs: raw.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS,
    connectionTimeoutMs: raw.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
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

async function prepare(raw: RawFleetOptions, settings: FleetSettings): Promise<Prepared> {
  checkFormats(raw);
  const concurrency = raw.concurrency ?? DEFAULT_CONCURRENCY;
  const clientOptions = { ...clientOptionsFrom(raw, settings.defaultRole), ...settings.clientOverrides };
  const factory = new ClientFactory(clientOptions);
  try {
    return { factory, targets: await chooseTargets(raw, factory, clientOptions), concurrency };
  } catch (error) {
    factory.destroy();
    throw error;
  }
}

function emit(raw: RawFleetOptions, io: CommandIo, forms: { table: () => string; json: () => unknown; csv: () => string; html: () => string }): void {
  if (raw.html !== undefined) {
    io.writeFile(raw.html, forms.html());
    io.stderr.write(`wrote ${raw.html}\n`);
  }
  if (raw.json) io.stdout.write(`${JSON.stringify(forms.json(), null, 2)}\n`);
  else if (raw.csv) io.stdout.write(forms.csv());
  else io.stdout.write(`${forms.table()}\n`);
}

/** `fleet metrics`; resolves to the exit status (1 when some pipeline could not be read). */
export async function runMetrics(raw: RawFleetOptions, io: CommandIo, settings: FleetSettings): Promise<number> {
  const now = io.now();
  const window = resolveWindow({ since: raw.since, until: raw.until, now });
  if (exceedsRetention(window, now)) io.stderr.write('note: CodePipeline keeps 12 months of history; the older part of the window has no data\n');
  const { factory, targets, concurrency } = await prepare(raw, settings);
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
export async function runStatus(raw: RawFleetOptions, io: CommandIo, settings: FleetSettings): Promise<number> {
  const { factory, targets, concurrency } = await prepare(raw, settings);
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
