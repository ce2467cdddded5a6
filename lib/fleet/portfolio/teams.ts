/**
 * The portfolio's teams as the registry gives them: program office, budget and the account and
 * region of each environment, which is all the portfolio commands need to find what to read.
 */
import type { Registry } from '../../registry/types';

export interface PortfolioEnvironment {
  readonly name: string;
  readonly isProd: boolean;
  readonly account: string;
  readonly region: string;
}

export interface PortfolioTeam {
  readonly id: string;
  readonly programOffice: string;
  readonly budgetMonthlyUsd: number;
  /** In promotion order; the last one is prod. */
  readonly environments: readonly PortfolioEnvironment[];
}

export interface Portfolio {
  readonly tooling: { readonly account: string; readonly region: string };
  /** The payer account (Cost Explorer is answered there); undefined means the credentials' account. */
  readonly payerAccount?: string;
  /** Sorted by id. */
  readonly teams: readonly PortfolioTeam[];
}

export function portfolioFromRegistry(registry: Registry): Portfolio {
  return {
    tooling: registry.platform.tooling,
    payerAccount: registry.platform.payerAccount,
    teams: registry.teams.map((t) => ({
      id: t.id,
      programOffice: t.programOffice,
      budgetMonthlyUsd: t.budget.monthlyUsd,
      environments: t.environments.map((e) => ({ name: e.name, isProd: e.isProd, account: e.account, region: e.region })),
    })),
  };
}

/** Every account Springboard deploys to (tooling first, then environment accounts), without repeats. */
export function portfolioAccounts(portfolio: Portfolio): string[] {
  return [...new Set([portfolio.tooling.account, ...portfolio.teams.flatMap((t) => t.environments.map((e) => e.account))])];
}

/** Program offices in name order, each with its teams. */
export function byProgramOffice<T extends { readonly programOffice: string }>(rows: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.programOffice, [...(groups.get(row.programOffice) ?? []), row]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

export function prodEnvironment(team: PortfolioTeam): PortfolioEnvironment {
  return team.environments.find((e) => e.isProd) ?? team.environments[team.environments.length - 1];
}
