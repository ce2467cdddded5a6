/** Property-based checks of the registry: random valid registries load; single corruptions give one clear error. */
import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { validateRegistry } from '../../lib/registry';
import { partitionOfRegion } from '../../lib/registry/arns';
import { EXAMPLE_TEAM_FILE, exampleTeamYaml, registryWith } from '../support/registry-files';
import { fixtureUuid } from '../support/registry-fixtures';

const SEED = 20261128;
const RUNS = 40;

const teamId = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}$/);
const account = fc.stringMatching(/^\d{12}$/);
const cpuMemory = fc.constantFrom([256, 512], [512, 1024], [1024, 4096], [2048, 8192], [4096, 16384]);
const extraEnvironments = fc.uniqueArray(fc.constantFrom('dev', 'test', 'staging', 'uat', 'perf'), { maxLength: 3 });

const teamFile = fc.record({
  id: teamId,
  account,
  prodAccount: account,
  cpuMemory,
  desiredCount: fc.integer({ min: 1, max: 10 }),
  withDatabase: fc.boolean(),
  classification: fc.constantFrom('low', 'moderate', 'high'),
  environments: extraEnvironments,
  region: fc.constantFrom('us-east-1', 'us-west-2', 'us-gov-west-1'),
});

type TeamFile = typeof teamFile extends fc.Arbitrary<infer T> ? T : never;

function teamYaml(t: TeamFile): string {
  const environments: Record<string, unknown> = {};
  // Every environment has its own certificate (moderate and high need one everywhere), in its own partition.
  const certificate = (env: string, owner: string, region: string) =>
    `arn:${partitionOfRegion(region)}:acm:${region}:${owner}:certificate/${fixtureUuid(t.id, env)}`;
  for (const name of t.environments) environments[name] = { account: t.account, certificateArn: certificate(name, t.account, 'us-east-1') };
  environments.prod = { account: t.prodAccount, region: t.region, certificateArn: certificate('prod', t.prodAccount, t.region) };
  return stringify({
    schemaVersion: 1,
    id: t.id,
    displayName: `Team ${t.id}`,
    programOffice: 'Office of Testing',
    costCenter: 'CC-1',
    contacts: { owner: { name: 'O', email: 'o@example.gov' }, onCall: { name: 'C', email: 'c@example.gov' } },
    dataClassification: t.classification,
    repository: { provider: 'codecommit', name: t.id, branch: 'main' },
    service: { cpu: t.cpuMemory[0], memory: t.cpuMemory[1], desiredCount: t.desiredCount },
    ...(t.withDatabase ? { database: { allocatedStorageGiB: 20 } } : {}),
    budget: { monthlyUsd: 100 },
    environments,
  });
}

test('random valid registries load, every team with prod last', () => {
  fc.assert(
    fc.property(fc.uniqueArray(teamFile, { minLength: 1, maxLength: 4, selector: (t) => t.id }), (teams) => {
      const files = Object.fromEntries(teams.map((t) => [`${t.id}.yaml`, teamYaml(t)]));
      const result = validateRegistry(registryWith({ ...files, [EXAMPLE_TEAM_FILE]: exampleTeamYaml() }));
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const loaded = result.registry!.teams.filter((t) => t.id !== 'benefits-screener');
      expect(loaded.map((t) => t.id).sort()).toEqual(teams.map((t) => t.id).sort());
      for (const team of loaded) expect(team.environments[team.environments.length - 1].name).toBe('prod');
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

/** Every path to a scalar in the example, and every key that may be renamed (not environment names). */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, [...path, k]));
}
function renamableKeys(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    ...(path[path.length - 1] === 'environments' ? [] : [[...path, k]]),
    ...renamableKeys(v, [...path, k]),
  ]);
}
function edit(root: any, path: string[], change: (parent: any, key: string) => void): any {
  const copy = structuredClone(root);
  const parent = path.slice(0, -1).reduce((node, key) => node[key], copy);
  change(parent, path[path.length - 1]);
  return copy;
}

const example = parse(exampleTeamYaml());

test('a scalar replaced by a mapping gives exactly one error, at that field', () => {
  fc.assert(
    fc.property(fc.constantFrom(...leaves(example)), (path) => {
      const corrupted = edit(example, path, (parent, key) => (parent[key] = { unexpected: true }));
      const errors = validateRegistry(registryWith({ [EXAMPLE_TEAM_FILE]: stringify(corrupted) })).diagnostics.filter((d) => d.severity === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0].field).toBe(path.join('.'));
      expect(errors[0].message).toMatch(/expected .*received a mapping/);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('a misspelt key gives exactly one error that names the key it meant', () => {
  fc.assert(
    fc.property(fc.constantFrom(...renamableKeys(example)), (path) => {
      const key = path[path.length - 1];
      const corrupted = edit(example, path, (parent, k) => {
        const entries = Object.entries(parent).map(([name, v]) => [name === k ? `${k}x` : name, v]);
        for (const name of Object.keys(parent)) delete parent[name];
        Object.assign(parent, Object.fromEntries(entries));
      });
      const errors = validateRegistry(registryWith({ [EXAMPLE_TEAM_FILE]: stringify(corrupted) })).diagnostics.filter((d) => d.severity === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toContain(`unknown key '${key}x'; did you mean '${key}'?`);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
