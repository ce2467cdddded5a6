/**
 * `fleet cost`: the period's cost per team (by environment) and per program office against the
 * registry's budgets, with untagged cost in Springboard's accounts on a line of its own. Figures are
 * rounded to cents once, after summing.
 */
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { readTaggedCost, type TaggedCost } from './cost-explorer';
import type { CostPeriod } from './period';
import { partitionOf } from '../../contract';
import type { ClientFactory, ServiceClientClass } from '../client-factory';
import { describeError } from '../errors';
import { CountingApi } from '../history';
import { byProgramOffice, type Portfolio, portfolioAccounts } from '../portfolio/teams';

export interface TeamCost {
  readonly team: string;
  readonly programOffice: string;
  /** Per environment tag value; `''` holds cost tagged with the team but no environment. */
  readonly byEnvironment: Readonly<Record<string, number>>;
  readonly totalUsd: number | null;
  readonly budgetUsd: number;
  /** Percent of the monthly budget spent in the period; null when the cost could not be read. */
  readonly budgetUsePercent: number | null;
}

export interface OfficeCost {
  readonly programOffice: string;
  readonly teams: number;
  readonly totalUsd: number | null;
  readonly budgetUsd: number;
  readonly budgetUsePercent: number | null;
}

export interface CostReport {
  readonly period: CostPeriod;
  readonly accounts: readonly string[];
  readonly teams: readonly TeamCost[];
  readonly offices: readonly OfficeCost[];
  /** Cost in Springboard's accounts carrying no `Team` tag. */
  readonly untaggedUsd: number | null;
  /** Cost tagged with a team the registry does not have, per tag value. */
  readonly unregistered: Readonly<Record<string, number>>;
  readonly totalUsd: number | null;
  /** Cost Explorer requests made. */
  readonly requests: number;
  readonly error?: string;
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;
const percent = (usd: number | null, budget: number): number | null => (usd === null ? null : cents((usd / budget) * 100));

/** Cost Explorer's endpoint region: us-east-1, or us-gov-west-1 in GovCloud. */
export function costExplorerRegion(toolingRegion: string): string {
  return partitionOf(toolingRegion) === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1';
}

export async function collectCost(portfolio: Portfolio, factory: ClientFactory, period: CostPeriod): Promise<CostReport> {
  const accounts = portfolioAccounts(portfolio);
  const location = { account: portfolio.payerAccount, region: costExplorerRegion(portfolio.tooling.region) };
  const ce = new CountingApi(factory.forService(CostExplorerClient as unknown as ServiceClientClass, location));
  try {
    const answer = await readTaggedCost(ce, period, accounts);
    return { ...summarize(portfolio, answer.lines), period, accounts, requests: answer.requests };
  } catch (error) {
    const teams = portfolio.teams.map((t) => ({
      team: t.id, programOffice: t.programOffice, byEnvironment: {}, totalUsd: null, budgetUsd: t.budgetMonthlyUsd, budgetUsePercent: null,
    }));
    return {
      period,
      accounts,
      teams,
      offices: offices(teams),
      untaggedUsd: null,
      unregistered: {},
      totalUsd: null,
      requests: ce.calls,
      error: describeError(error, factory.redactor),
    };
  }
}

export function summarize(portfolio: Portfolio, lines: readonly TaggedCost[]): Pick<CostReport, 'teams' | 'offices' | 'untaggedUsd' | 'unregistered' | 'totalUsd'> {
  const known = new Set(portfolio.teams.map((t) => t.id));
  const perTeam = new Map<string, Record<string, number>>();
  const unregistered: Record<string, number> = {};
  let untagged = 0;
  let total = 0;
  for (const line of lines) {
    total += line.usd;
    if (line.team === '') {untagged += line.usd;} else if (!known.has(line.team)) {unregistered[line.team] = (unregistered[line.team] ?? 0) + line.usd;} else {
      const envs = perTeam.get(line.team) ?? {};
      envs[line.environment] = (envs[line.environment] ?? 0) + line.usd;
      perTeam.set(line.team, envs);
    }
  }
  const teams = portfolio.teams.map((t): TeamCost => {
    const envs = perTeam.get(t.id) ?? {};
    const sum = cents(Object.values(envs).reduce((a, b) => a + b, 0));
    return {
      team: t.id,
      programOffice: t.programOffice,
      byEnvironment: Object.fromEntries(Object.entries(envs).map(([e, usd]) => [e, cents(usd)])),
      totalUsd: sum,
      budgetUsd: t.budgetMonthlyUsd,
      budgetUsePercent: percent(sum, t.budgetMonthlyUsd),
    };
  });
  return {
    teams,
    offices: offices(teams),
    untaggedUsd: cents(untagged),
    unregistered: Object.fromEntries(Object.entries(unregistered).map(([k, v]) => [k, cents(v)])),
    totalUsd: cents(total),
  };
}

function offices(teams: readonly TeamCost[]): OfficeCost[] {
  return byProgramOffice(teams).map(([office, rows]) => {
    const unknown = rows.some((r) => r.totalUsd === null);
    const totalUsd = unknown ? null : cents(rows.reduce((a, r) => a + (r.totalUsd ?? 0), 0));
    const budgetUsd = rows.reduce((a, r) => a + r.budgetUsd, 0);
    return { programOffice: office, teams: rows.length, totalUsd, budgetUsd, budgetUsePercent: percent(totalUsd, budgetUsd) };
  });
}
