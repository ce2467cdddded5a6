import type { Registry } from './types';

/** Accounts that hold production: the tooling account (every pipeline) and each account with a prod environment. */
export function prodAccounts(registry: Registry): Set<string> {
  const envs = registry.teams.flatMap(t => t.environments);
  return new Set([registry.platform.tooling.account, ...envs.filter(e => e.isProd).map(e => e.account)]);
}
