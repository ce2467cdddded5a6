/**
 * What `springboard fleet scorecard|vulns|cost` do, as functions the command calls and tests drive:
 * the registry read, the portfolio collected with bounded concurrency, the report written as a
 * table, `--json`, `--csv` and `--html DIR` (an index and a page per program office).
 */
import * as fs from 'fs';
import { type LevelBar, levelChart, type OfficePage, writeSite } from './html';
import { type Level, levelOf } from './levels';
import { byProgramOffice, type Portfolio, portfolioFromRegistry } from './teams';
import type { CommandIo } from '../../contract/command';
import { loadRegistry } from '../../registry';
import { portfolioSchema, type PortfolioThresholds } from '../../registry/schema';
import { ClientFactory } from '../client-factory';
import { DEFAULT_CONCURRENCY } from '../collect';
import { collectCost, type CostReport } from '../cost/collect';
import { resolvePeriod } from '../cost/period';
import { costCsv, costHtmlTable, costJson, costTable, pct, usd } from '../cost/render';
import { progressReporter } from '../progress';
import { escapeHtml } from '../render/html';
import { clientOptionsFrom, FleetUsageError, type FleetSettings, type RawFleetOptions } from '../run';
import { checkoutTemplatesVersion, collectScorecard, type Scorecard, scorecardExitCode } from '../scorecard/collect';
import { scorecardCsv, scorecardHtmlTable, scorecardJson, scorecardTable } from '../scorecard/render';
import { collectVulns, type VulnReport, vulnExitCode } from '../vulns/collect';
import { vulnsCsv, vulnsHtmlTable, vulnsJson, vulnsTable } from '../vulns/render';
import { resolveWindow } from '../window';

export interface RawPortfolioOptions extends Omit<RawFleetOptions, 'discover'> {
  /** `fleet cost`: `YYYY-MM`. */
  readonly month?: string;
  /** `fleet scorecard`: the cloud assembly holding the compliance report. */
  readonly assembly?: string;
}

interface Prepared {
  readonly portfolio: Portfolio;
  readonly thresholds: PortfolioThresholds;
  readonly factory: ClientFactory;
  readonly concurrency: number;
}

function prepare(raw: RawPortfolioOptions, settings: FleetSettings): Prepared {
  if (raw.json && raw.csv) throw new FleetUsageError('choose one of --json and --csv, received both');
  if (raw.html !== undefined && raw.html.trim() === '') throw new FleetUsageError('--html needs a folder name, received an empty one');
  const registry = loadRegistry(raw.registry ?? 'teams');
  const thresholds = registry.platform.portfolio ?? portfolioSchema.parse({});
  // Each team's accounts and regions come from the registry: a --region would send every read to one region.
  const options = { ...clientOptionsFrom({ ...raw, region: undefined }, settings.defaultRole), ...settings.clientOverrides };
  return {
    portfolio: portfolioFromRegistry(registry),
    thresholds,
    factory: new ClientFactory(options),
    concurrency: raw.concurrency ?? DEFAULT_CONCURRENCY,
  };
}

function emit(
  raw: RawPortfolioOptions, io: CommandIo,
  forms: { table: () => string; json: () => unknown; csv: () => string; html: (dir: string) => string[] },
): void {
  if (raw.html !== undefined) {
    fs.mkdirSync(raw.html, { recursive: true });
    const files = forms.html(raw.html);
    io.stderr.write(`wrote ${files.length} pages to ${raw.html} (open ${files[0]})\n`);
  }
  if (raw.json) io.stdout.write(`${JSON.stringify(forms.json(), null, 2)}\n`);
  else if (raw.csv) io.stdout.write(forms.csv());
  else io.stdout.write(`${forms.table()}\n`);
}

export async function runScorecard(raw: RawPortfolioOptions, io: CommandIo, settings: FleetSettings): Promise<number> {
  const now = io.now();
  const window = resolveWindow({ since: raw.since, until: raw.until, now });
  const { portfolio, thresholds, factory, concurrency } = prepare(raw, settings);
  try {
    const progress = progressReporter(io.stderr, portfolio.teams.length, 'fleet scorecard');
    const card = await collectScorecard(portfolio, factory, {
      now, window, thresholds, templatesVersion: checkoutTemplatesVersion(), assembly: raw.assembly, concurrency, onProgress: progress.update,
    });
    progress.finish();
    emit(raw, io, {
      table: () => scorecardTable(card),
      json: () => scorecardJson(card),
      csv: () => scorecardCsv(card),
      html: (dir) => scorecardSite(card, dir, io.writeFile),
    });
    return scorecardExitCode(card);
  } finally {
    factory.destroy();
  }
}

function criterionBar(label: string, value: string | number | null, level: Level, unit: string): LevelBar {
  return { label, value: typeof value === 'number' ? value : null, text: value === null ? `unknown (${level})` : `${value}${unit} (${level})`, level };
}

export async function runVulns(raw: RawPortfolioOptions, io: CommandIo, settings: FleetSettings): Promise<number> {
  const { portfolio, thresholds, factory, concurrency } = prepare(raw, settings);
  try {
    const progress = progressReporter(io.stderr, portfolio.teams.length, 'fleet vulns');
    const report = await collectVulns(portfolio, factory, {
      now: io.now(), criticalMaxAgeDays: thresholds.criticalMaxAgeDays, concurrency, onProgress: progress.update,
    });
    progress.finish();
    emit(raw, io, {
      table: () => vulnsTable(report),
      json: () => vulnsJson(report),
      csv: () => vulnsCsv(report),
      html: (dir) => vulnsSite(report, dir, io.writeFile),
    });
    return vulnExitCode(report);
  } finally {
    factory.destroy();
  }
}

export async function runCost(raw: RawPortfolioOptions, io: CommandIo, settings: FleetSettings): Promise<number> {
  const period = resolvePeriod(raw.month, io.now());
  const { portfolio, thresholds, factory } = prepare(raw, settings);
  try {
    const report = await collectCost(portfolio, factory, period);
    emit(raw, io, {
      table: () => costTable(report),
      json: () => costJson(report),
      csv: () => costCsv(report),
      html: (dir) => costSite(report, thresholds, dir, io.writeFile),
    });
    return report.error ? 1 : 0;
  } finally {
    factory.destroy();
  }
}

type WriteFile = (file: string, content: string) => void;

/** The scorecard's index and office pages. */
export function scorecardSite(card: Scorecard, dir: string, writeFile: WriteFile): string[] {
  return writeSite(dir, 'Springboard portfolio scorecard', `<p>At ${escapeHtml(card.generatedAt.toISOString())}; templates ${escapeHtml(card.templatesVersion)} in this checkout.</p>`,
    byProgramOffice(card.teams).map(([office, rows]): OfficePage => {
      const score = card.offices.find((o) => o.programOffice === office)!;
      const levels = score.levels.overall;
      return {
        office,
        summary: `${score.level}: ${levels.red} red, ${levels.amber} amber, ${levels.unknown} unknown, ${levels.green} green of ${rows.length} teams`,
        body: [
          '<h2>Teams</h2>',
          levelChart('Teams at each level', (['red', 'amber', 'unknown', 'green'] as Level[]).map((l) => ({ label: l, value: levels[l], text: `${levels[l]} teams`, level: l }))),
          scorecardHtmlTable(rows),
          '<h2>Budget and vulnerable software</h2>',
          levelChart('Budget used this month (percent)', rows.map((r) => criterionBar(r.team, r.criteria.budgetUse.value, r.criteria.budgetUse.level, '%'))),
          levelChart('Critical vulnerabilities running in prod', rows.map((r) => criterionBar(r.team, r.criteria.criticalVulnerabilities.value, r.criteria.criticalVulnerabilities.level, ''))),
        ].join('\n'),
      };
    }), writeFile);
}

/** The vulnerabilities' index and office pages. */
export function vulnsSite(report: VulnReport, dir: string, writeFile: WriteFile): string[] {
  return writeSite(dir, 'Springboard: vulnerable software running', `<p>At ${escapeHtml(report.generatedAt.toISOString())}. A prod critical older than ${report.criticalMaxAgeDays} days is overdue; an image without a complete scan is never shown as clean.</p>`,
    byProgramOffice(report.rows).map(([office, rows]): OfficePage => {
      const prod = rows.filter((r) => r.isProd);
      const criticals = prod.reduce((n, r) => n + r.criticalAgesDays.length, 0);
      return {
        office,
        summary: `${criticals} critical(s) running in prod, ${prod.filter((r) => r.overdue).length} team(s) overdue, ${prod.filter((r) => r.scan?.state !== 'complete').length} without a complete scan`,
        body: [
          '<h2>Prod</h2>',
          levelChart('Critical vulnerabilities running in prod', prod.map((r) => {
            const level: Level = r.scan?.state !== 'complete' ? 'unknown' : r.overdue ? 'red' : r.criticalAgesDays.length > 0 ? 'amber' : 'green';
            return { label: r.team, value: r.scan?.state === 'complete' ? r.criticalAgesDays.length : null, text: r.scan?.state === 'complete' ? `${r.criticalAgesDays.length} (${level})` : 'no complete scan (unknown)', level };
          })),
          '<h2>Every environment</h2>',
          vulnsHtmlTable(rows),
        ].join('\n'),
      };
    }), writeFile);
}

/** The cost's index and office pages. */
export function costSite(report: CostReport, thresholds: PortfolioThresholds, dir: string, writeFile: WriteFile): string[] {
  const period = report.period;
  return writeSite(dir, 'Springboard: cost against budget', `<p>${escapeHtml(`${period.start} to ${period.end} (exclusive)${period.partial ? ', month to date' : ''}; untagged cost in Springboard's accounts: ${usd(report.untaggedUsd)}; total ${usd(report.totalUsd)}.`)}</p>${report.error ? `<p class="error">${escapeHtml(report.error)}</p>` : ''}`,
    byProgramOffice(report.teams).map(([office, rows]): OfficePage => {
      const total = report.offices.find((o) => o.programOffice === office);
      return {
        office,
        summary: `${usd(total?.totalUsd ?? null)} of ${usd(total?.budgetUsd ?? null)} (${pct(total?.budgetUsePercent ?? null)})`,
        body: [
          levelChart('Budget used (percent of the monthly budget)', rows.map((r) => {
            const level = levelOf(r.budgetUsePercent, thresholds.budgetUsePercent);
            return { label: r.team, value: r.budgetUsePercent, text: `${pct(r.budgetUsePercent)}, ${usd(r.totalUsd)} (${level})`, level };
          })),
          costHtmlTable(rows, total),
        ].join('\n'),
      };
    }), writeFile);
}
