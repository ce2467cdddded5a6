/**
 * The escalation closure on the example registry (teams/): the example's team and a second team
 * synthesized from a copy of its entry with another id, in the same accounts. Each team's principal,
 * holding the broadest grant its boundary permits, must reach nothing of the other team, nothing
 * platform-owned or untagged (CDK's roles), and no administrator.
 */
import * as path from 'path';
import { Closure, Principal, closureOf } from '../../lib/escalation';
import { loadRegistry } from '../../lib/registry';
import type { Registry, TeamSpec } from '../../lib/registry/types';
import { escalationGraph, evaluateWithSimulator, forbiddenInClosure, teamClosures, teamStarts } from '../support/iam/escalation';
import { synthesizePlatform } from '../support/iam/platform';

const EXAMPLE = loadRegistry(path.join(__dirname, '..', '..', 'teams'));
const FIRST = EXAMPLE.teams[0];
const SECOND_ID = `${FIRST.id}-copy`;
/** The example entry under another id: same accounts, regions, classification and database. */
const SECOND: TeamSpec = {
  ...FIRST,
  id: SECOND_ID,
  displayName: `${FIRST.displayName} (copy)`,
  repository: { ...FIRST.repository, name: `${FIRST.repository.name}-copy` },
  sourceFile: `teams/${SECOND_ID}.yaml`,
};
const REG: Registry = { ...EXAMPLE, teams: [...EXAMPLE.teams, SECOND].sort((a, b) => a.id.localeCompare(b.id)) };
// Synthesized once for the file: the graph and both teams' closures are shared by every test.
const { model } = synthesizePlatform(REG);
const graph = escalationGraph(model, REG.platform.tooling.account);
const region = REG.platform.tooling.region;
const closures = new Map<string, Closure[]>();

beforeAll(async () => {
  for (const id of [FIRST.id, SECOND_ID]) closures.set(id, await teamClosures(graph, id, region));
});

test('the candidate filter changes nothing: every start\'s closure equals the search that asks the evaluator about every pair', async () => {
  for (const start of teamStarts(graph, FIRST.id)) {
    const filtered = closures.get(FIRST.id)!.find(c => c.start === start.arn)!;
    const exhaustive = await closureOf(graph, start, evaluateWithSimulator, { region, exhaustive: true });
    const shape = (c: Closure) => ({ reached: c.reached.map(p => p.arn).sort(), edges: c.edges.map(e => `${e.from} ${e.kind} ${e.via} ${e.to}`).sort() });
    expect(shape(filtered)).toEqual(shape(exhaustive));
  }
}, 600_000);

test('the example registry has one team, the copy shares its accounts', () => {
  expect(EXAMPLE.teams.map(t => t.id)).toEqual([FIRST.id]);
  expect(SECOND.environments.map(e => e.account)).toEqual(FIRST.environments.map(e => e.account));
  expect(model.roles.some(r => r.tags.Team === SECOND_ID)).toBe(true);
});

describe.each([FIRST.id, SECOND_ID])('team %s of the example registry, holding everything its boundaries permit', (id) => {
  const found = () => closures.get(id)!;
  const otherId = id === FIRST.id ? SECOND_ID : FIRST.id;

  test('starts from a principal in each account and boundary it has: dev/staging, prod and tooling', () => {
    const accounts = new Set(found().map(c => graph.principals.find(p => p.arn === c.start)!.account));
    expect([...accounts].sort()).toEqual([...new Set([...FIRST.environments.map(e => e.account), REG.platform.tooling.account])].sort());
  });

  test('reaches nothing of the other team', () => {
    const reached = found().flatMap(c => c.reached.map(p => p.arn));
    expect(reached.filter(arn => graph.principals.find(p => p.arn === arn)?.tags.Team === otherId)).toEqual([]);
  });

  test('reaches nothing platform-owned, nothing untagged (CDK\'s roles) and no administrator', () => {
    expect(found().flatMap(c => forbiddenInClosure(c, id))).toEqual([]);
  });

  test('does reach its own deploy roles (the closure is not empty)', () => {
    // By its Team tag: the copy's id extends the example's, so a name prefix would match both teams.
    const own = (arn: string) => graph.principals.find(p => p.arn === arn)?.tags.Team === id;
    expect(found().some(c => c.edges.some(e => e.kind === 'assume-role' && e.to.includes('role/springboard-') && own(e.to)))).toBe(true);
  });
});

test('mutation: with DenyRolesOfOthers and DenyBootstrapResources removed, the example team reaches CDK\'s execution role, an administrator', async () => {
  const weaken = (p: Principal): Principal => (p.boundary
    ? { ...p, boundary: { ...p.boundary, Statement: p.boundary.Statement.filter(st => !['DenyRolesOfOthers', 'DenyBootstrapResources'].includes(st.Sid)) } } : p);
  const broken = { ...graph, principals: graph.principals.map(weaken) };
  const dev = FIRST.environments[0].account;
  const start = teamStarts(broken, FIRST.id).find(p => p.account === dev)!;
  const closure = await closureOf(broken, start, evaluateWithSimulator, { region });
  expect(forbiddenInClosure(closure, FIRST.id)).toEqual(expect.arrayContaining([
    expect.stringMatching(new RegExp(`^arn:aws:iam::${dev}:role/cdk-hnb659fds-cfn-exec-role-${dev}-${region}: administrator$`)),
  ]));
});
