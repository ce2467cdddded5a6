/**
 * What `springboard fleet scorecard|vulns|cost|portfolio` do, as functions the command calls and
 * tests drive: the registry read, the report collected with bounded concurrency and progress on
 * stderr, and written as a table, `--json`, `--csv` and `--html DIR` (an index and a page per
 * program office). One runner does this for all four; each command gives it only what differs.
 */
import * as fs from 'fs';
import { collectPortfolio, portfolioExitCode, type PortfolioReport } from './collect';
import { portfolioCsv, portfolioJson, portfolioTable } from './render';
import { costSite, portfolioSite, scorecardSite, vulnsSite } from './site';
import { type Portfolio, portfolioFromRegistry } from './teams';
import type { CommandIo } from '../../contract/command';
import { loadRegistry } from '../../registry';
import { portfolioSchema, type PortfolioThresholds } from '../../registry/schema';
import { ClientFactory } from '../client-factory';
import { DEFAULT_CONCURRENCY } from '../collect';
import { collectCost, type CostReport } from '../cost/collect';
import { resolvePeriod } from '../cost/period';
import { costCsv, costJson, costTable } from '../cost/render';
import { progressReporter } from '../progress';
import { clientOptionsFrom, FleetUsageError, type FleetSettings, type RawFleetOptions } from '../run';
import { checkoutTemplatesVersion, collectScorecard, type Scorecard, scorecardExitCode } from '../scorecard/collect';
import { scorecardCsv, scorecardJson, scorecardTable } from '../scorecard/render';
import { collectVulns, type VulnReport, vulnExitCode } from '../vulns/collect';
import { vulnsCsv, vulnsJson, vulnsTable } from '../vulns/render';
import { resolveWindow } from '../window';

export interface RawPortfolioOptions extends Omit<RawFleetOptions, 'discover'> {
  /** `fleet cost|portfolio`: `YYYY-MM`. */
  readonly month?: string;
  /** `fleet scorecard|portfolio`: the cloud assembly holding the compliance report. */
  readonly assembly?: string;
}

/** What every portfolio command has once its options are checked. */
export interface PortfolioRun {
  readonly raw: RawPortfolioOptions;
  readonly now: Date;
  readonly portfolio: Portfolio;
  readonly thresholds: PortfolioThresholds;
  readonly factory: ClientFactory;
  readonly concurrency: number;
  /** Progress on stderr, a step per team. */
  readonly onProgress: (done: number, total: number) => void;
}

type WriteFile = (file: string, content: string) => void;

/** What differs between the portfolio commands: how the report is read, written and turned into an exit status. */
export interface PortfolioCommand<R> {
  readonly name: string;
  /** Checked before any AWS client exists, so a bad flag is a usage error (exit 2). */
  readonly validate?: (raw: RawPortfolioOptions, now: Date) => void;
  readonly collect: (run: PortfolioRun) => Promise<R>;
  readonly table: (report: R) => string;
  readonly json: (report: R) => unknown;
  readonly csv: (report: R) => string;
  readonly html: (report: R, dir: string, writeFile: WriteFile, run: PortfolioRun) => string[];
  readonly exitCode: (report: R) => number;
}

/** Runs one portfolio command: options checked, report collected, every requested form written. */
export async function runPortfolioCommand<R>(
  command: PortfolioCommand<R>, raw: RawPortfolioOptions, io: CommandIo, settings: FleetSettings,
): Promise<number> {
  if (raw.json && raw.csv) throw new FleetUsageError('choose one of --json and --csv, received both');
  if (raw.html !== undefined && raw.html.trim() === '') throw new FleetUsageError('--html needs a folder name, received an empty one');
  const now = io.now();
  command.validate?.(raw, now);
  const registry = loadRegistry(raw.registry ?? 'teams');
  // Each team's accounts and regions come from the registry: a --region would send every read to one region.
  const factory = new ClientFactory({ ...clientOptionsFrom({ ...raw, region: undefined }, settings.defaultRole), ...settings.clientOverrides });
  try {
    const portfolio = portfolioFromRegistry(registry);
    const progress = progressReporter(io.stderr, portfolio.teams.length, `fleet ${command.name}`, 'teams');
    const run: PortfolioRun = {
      raw,
      now,
      portfolio,
      thresholds: registry.platform.portfolio ?? portfolioSchema.parse({}),
      factory,
      concurrency: raw.concurrency ?? DEFAULT_CONCURRENCY,
      onProgress: progress.update,
    };
    const report = await command.collect(run);
    progress.finish();
    if (raw.html !== undefined) {
      fs.mkdirSync(raw.html, { recursive: true });
      const files = command.html(report, raw.html, io.writeFile, run);
      io.stderr.write(`wrote ${files.length} pages to ${raw.html} (open ${files[0]})\n`);
    }
    if (raw.json) io.stdout.write(`${JSON.stringify(command.json(report), null, 2)}\n`);
    else if (raw.csv) io.stdout.write(command.csv(report));
    else io.stdout.write(`${command.table(report)}\n`);
    return command.exitCode(report);
  } finally {
    factory.destroy();
  }
}

const scorecardOptions = (run: PortfolioRun): Parameters<typeof collectScorecard>[2] => ({
  now: run.now,
  window: resolveWindow({ since: run.raw.since, until: run.raw.until, now: run.now }),
  thresholds: run.thresholds,
  templatesVersion: checkoutTemplatesVersion(),
  assembly: run.raw.assembly,
  concurrency: run.concurrency,
  onProgress: run.onProgress,
});

const checkWindow = (raw: RawPortfolioOptions, now: Date): void => void resolveWindow({ since: raw.since, until: raw.until, now });
const checkMonth = (raw: RawPortfolioOptions, now: Date): void => void resolvePeriod(raw.month, now);

export const SCORECARD: PortfolioCommand<Scorecard> = {
  name: 'scorecard',
  validate: checkWindow,
  collect: (run) => collectScorecard(run.portfolio, run.factory, scorecardOptions(run)),
  table: scorecardTable,
  json: scorecardJson,
  csv: scorecardCsv,
  html: scorecardSite,
  exitCode: scorecardExitCode,
};

export const VULNS: PortfolioCommand<VulnReport> = {
  name: 'vulns',
  collect: (run) => collectVulns(run.portfolio, run.factory, {
    now: run.now, criticalMaxAgeDays: run.thresholds.criticalMaxAgeDays, concurrency: run.concurrency, onProgress: run.onProgress,
  }),
  table: vulnsTable,
  json: vulnsJson,
  csv: vulnsCsv,
  html: vulnsSite,
  exitCode: vulnExitCode,
};

export const COST: PortfolioCommand<CostReport> = {
  name: 'cost',
  validate: checkMonth,
  // One Cost Explorer request for every team: no per-team progress.
  collect: (run) => collectCost(run.portfolio, run.factory, resolvePeriod(run.raw.month, run.now)),
  table: costTable,
  json: costJson,
  csv: costCsv,
  html: (report, dir, writeFile, run) => costSite(report, run.thresholds, dir, writeFile),
  exitCode: (report) => (report.error ? 1 : 0),
};

export const PORTFOLIO: PortfolioCommand<PortfolioReport> = {
  name: 'portfolio',
  validate: (raw, now) => {
    checkWindow(raw, now);
    checkMonth(raw, now);
  },
  collect: (run) => collectPortfolio(run.portfolio, run.factory, { ...scorecardOptions(run), period: resolvePeriod(run.raw.month, run.now) }),
  table: portfolioTable,
  json: portfolioJson,
  csv: portfolioCsv,
  html: portfolioSite,
  exitCode: portfolioExitCode,
};

type Runner = (raw: RawPortfolioOptions, io: CommandIo, settings: FleetSettings) => Promise<number>;
export const runScorecard: Runner = (raw, io, settings) => runPortfolioCommand(SCORECARD, raw, io, settings);
export const runVulns: Runner = (raw, io, settings) => runPortfolioCommand(VULNS, raw, io, settings);
export const runCost: Runner = (raw, io, settings) => runPortfolioCommand(COST, raw, io, settings);
export const runPortfolio: Runner = (raw, io, settings) => runPortfolioCommand(PORTFOLIO, raw, io, settings);
