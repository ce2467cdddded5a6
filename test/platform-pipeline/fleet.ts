/** Generated fleets for the quota tests. */
import type { Registry, TeamSpec } from '../../lib/registry/types';
import { platformSettings, registry, team } from '../support/registry-fixtures';

/**
 * 200 teams as a large office might lay them out: a prod account per team, a shared non-prod
 * account per ten teams, one team in ten also in a second region (for its prod).
 */
export function fleet(size: number, waveWidth = 10): Registry {
  const teams: TeamSpec[] = [];
  for (let i = 0; i < size; i++) {
    const t = team(`team-${String(i).padStart(3, '0')}`);
    const nonProd = String(400000000000 + Math.floor(i / 10)).padStart(12, '0');
    const prod = String(500000000000 + i).padStart(12, '0');
    teams.push({
      ...t,
      environments: t.environments.map(e => ({
        ...e,
        account: e.isProd ? prod : nonProd,
        region: e.isProd && i % 10 === 0 ? 'us-west-2' : 'us-east-1',
      })),
    });
  }
  const repository = { provider: 'github' as const, name: 'example-state/springboard', branch: 'main', connectionArn: 'arn:aws:codeconnections:us-east-1:111111111111:connection/2c7e9b41-5d3a-4f6e-8b1c-0a9d8e7f6c5b' };
  return registry(teams, platformSettings({ pipeline: { repository, waveWidth } }));
}
