/**
 * Random valid registries (team ids chosen to overlap as prefixes, shared accounts, optional
 * databases, any classification, any environment set with prod) synthesize and hold every
 * invariant: nothing cross-team, prod data safety, team tags everywhere, boundary on every team
 * role. Synth costs seconds, so the runs are few and the seed fixed; the compliance gate, which
 * costs most, runs on one generated registry.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { buildPlatform } from '../../lib/app';
import { applyComplianceGate, readReport } from '../../lib/compliance';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { readDeployedStacks } from '../../lib/escalation/assembly/deployed';
import { buildIamModel } from '../../lib/escalation/assembly/iam-model';
import type { DataClassification, Registry } from '../../lib/registry/types';
import { escalationGraph, forbiddenInClosure, teamClosures } from '../support/iam/escalation';
import { allViolations, boundaryViolations, describeViolations } from '../support/iam/invariants';
import { registry, team } from '../support/registry-fixtures';

const SEED = 20261128;
const RUNS = 3;

/** Ids that are prefixes of each other, to catch a cross-team scan or policy that matches by prefix. */
const TEAM_IDS = ['a', 'a-b', 'pay', 'pay-dev', 'benefits'];

const registryArb: fc.Arbitrary<Registry> = fc.uniqueArray(fc.record({
  id: fc.constantFrom(...TEAM_IDS),
  withDatabase: fc.boolean(),
  environments: fc.subarray(['dev', 'staging'], { minLength: 0 }).map(e => [...e, 'prod']),
  classification: fc.constantFrom<DataClassification>('low', 'moderate', 'high'),
}), { minLength: 2, maxLength: 2, selector: t => t.id }).map(teams => registry(teams.map(t => ({
  ...team(t.id, { withDatabase: t.withDatabase, environments: t.environments }), dataClassification: t.classification,
}))));

function synth(reg: Registry, gate: boolean): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-prop-'));
  const app = createApp({ outdir: directory, context: { 'aws:cdk:enable-path-metadata': true } });
  buildPlatform(app, reg);
  if (gate) applyComplianceGate(app, { log: () => undefined });
  app.synth();
  return directory;
}

describe('random valid registries', () => {
  test('synthesize and hold every invariant; no team\'s escalation closure reaches another team, the platform, CDK or an administrator', async () => {
    await fc.assert(fc.asyncProperty(registryArb, async reg => {
      const stacks = readDeployedStacks(synth(reg, false));
      expect(describeViolations(allViolations(stacks, reg))).toEqual([]);
      const model = buildIamModel(stacks);
      // Every team role carries the team boundary, or (the pipeline's roles) the delivery boundary that keeps all of its denies.
      expect(describeViolations(boundaryViolations(model, reg))).toEqual([]);
      const graph = escalationGraph(model, reg.platform.tooling.account);
      for (const t of reg.teams) {
        const closures = await teamClosures(graph, t.id, reg.platform.tooling.region);
        expect([t.id, closures.flatMap(c => forbiddenInClosure(c, t.id))]).toEqual([t.id, []]);
      }
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  }, 600_000);

  test('pass the compliance gate', () => {
    const [reg] = fc.sample(registryArb, { seed: SEED + 1, numRuns: 1 });
    const directory = synth(reg, true);
    expect(readReport(directory)?.verdict).toBe('pass');
  });
});
