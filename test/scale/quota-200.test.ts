/**
 * 200 teams, in the single-account layout (one non-prod account for every dev, test and staging
 * environment, one prod account, one region) and in the bench's layout: every stack stays under
 * half of every CloudFormation quota, and the synth-time quota check agrees.
 *
 * What is synthesized (gate off: the gate is not what is measured): the platform scope of the
 * 200-team registry (every baseline, pipeline stack and fleet-wide stack, the stacks whose size
 * depends on the team count), plus the full stacks of two teams from the same registry. Environment
 * and delivery stacks are per team: the test shows they are byte-identical whether the registry
 * holds 200 teams or 2, so two teams stand for all 200 without a 200-team full synth (~10 min).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generatedTeamId, RegistryLayout, writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { buildPlatform, BuildPlatformOptions } from '../../lib/app';
import {
  applyQuotaCheck, CLOUDFORMATION_QUOTAS, QUOTA_WARN_FRACTION, QuotaName, quotaFindings, templateUsage, TemplateUsage, TOOLING_QUOTAS,
} from '../../lib/app/quota-check';
import { RELEASE_RECORDS_RESOURCE_TYPE } from '../../lib/baseline';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { baselineStackName, deliveryProjectName, deliveryStackName } from '../../lib/contract';
import { loadRegistry } from '../../lib/registry';

const TEAMS = 200;
/** Team 0: three environments and a database; team 1: four environments and a database. */
const SAMPLE_TEAMS = [generatedTeamId(0), generatedTeamId(1)];
const QUOTAS = Object.keys(CLOUDFORMATION_QUOTAS) as QuotaName[];

interface Synth {
  readonly outdir: string;
  readonly usages: TemplateUsage[];
  /** What the synth-time quota check printed. */
  readonly quotaLines: string[];
}

function synth(registryDir: string, options: BuildPlatformOptions): Synth {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-quota200-out-'));
  const app = createApp({ outdir, builtinCloudFormationValidation: false });
  buildPlatform(app, loadRegistry(registryDir), options);
  const quotaLines: string[] = [];
  applyQuotaCheck(app, { log: line => quotaLines.push(line) });
  app.synth();
  const usages = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort().map(f => templateUsage(path.join(outdir, f)));
  return { outdir, usages, quotaLines };
}

function template(s: Synth, stack: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(s.outdir, `${stack}.template.json`), 'utf8'));
}

/** Every quota of every stack, as a share of its limit, for the failure message. */
function overHalf(usages: readonly TemplateUsage[]): string[] {
  return usages.flatMap(u => QUOTAS.filter(q => u[q] > CLOUDFORMATION_QUOTAS[q] * QUOTA_WARN_FRACTION).map(q => `${u.stack}: ${q} ${u[q]} of ${CLOUDFORMATION_QUOTAS[q]}`));
}

describe.each<[RegistryLayout, string, string]>([
  ['single-account', '222222222222', '333333333333'],
  ['bench', '222222222222', '333333333333'],
])('%s layout, 200 teams', (layout, nonProdAccount, prodAccount) => {
  const registryDir = fs.mkdtempSync(path.join(os.tmpdir(), `springboard-quota200-${layout}-`));
  const smallDir = fs.mkdtempSync(path.join(os.tmpdir(), `springboard-quota200-${layout}-small-`));
  let platform: Synth;
  let teams: Synth;
  let teamsInSmallFleet: Synth;

  beforeAll(() => {
    writeGeneratedRegistry(registryDir, TEAMS, layout);
    writeGeneratedRegistry(smallDir, SAMPLE_TEAMS.length, layout);
    platform = synth(registryDir, { scope: 'platform' });
    teams = synth(registryDir, { teams: SAMPLE_TEAMS });
    teamsInSmallFleet = synth(smallDir, {});
  });

  test('the platform scope holds every baseline and no team stack', () => {
    const stacks = platform.usages.map(u => u.stack);
    expect(stacks).toContain(baselineStackName(nonProdAccount, 'us-east-1'));
    expect(stacks).toContain(baselineStackName(prodAccount, 'us-east-1'));
    expect(stacks.filter(s => s.startsWith('springboard-env-') || s.startsWith('springboard-delivery-'))).toEqual([]);
    // One team pipeline stack per team: the per-team part of the platform scope.
    expect(stacks.filter(s => s.startsWith('springboard-platform-deploy-'))).toHaveLength(TEAMS);
  });

  test('every stack of the platform scope is under half of every quota', () => {
    expect(overHalf(platform.usages)).toEqual([]);
  });

  test('every stack of a team is under half of every quota', () => {
    const own = teams.usages.filter(u => SAMPLE_TEAMS.some(t => u.stack.includes(t)));
    expect(own.length).toBeGreaterThanOrEqual(7);
    expect(overHalf(teams.usages)).toEqual([]);
  });

  test('the synth-time quota check agrees: it reports exactly what the test finds, here nothing', () => {
    const expected = [...platform.usages, ...teams.usages].flatMap(quotaFindings);
    expect(expected).toEqual([]);
    expect([...platform.quotaLines, ...teams.quotaLines]).toEqual([]);
  });

  test('team stacks do not grow with the team count: byte-identical in a fleet of 200 and of 2', () => {
    const own = teams.usages.map(u => u.stack).filter(s => s.startsWith('springboard-env-') || s.startsWith('springboard-delivery-'));
    expect(own.length).toBeGreaterThanOrEqual(7);
    const differing = own.filter(s => JSON.stringify(template(teams, s)) !== JSON.stringify(template(teamsInSmallFleet, s)));
    expect(differing).toEqual([]);
  });

  test('CodeBuild projects of 200 teams (build, verify, pull-requests each) and the platform stay under half of the tooling account\'s quota', () => {
    const projects = (s: Synth, stack: string) => Object.values<any>(template(s, stack).Resources).filter(r => r.Type === 'AWS::CodeBuild::Project');
    const perTeam = SAMPLE_TEAMS.map(t => projects(teams, deliveryStackName(t)).map(p => p.Properties.Name).sort());
    for (const [i, t] of SAMPLE_TEAMS.entries()) {
      expect(perTeam[i]).toEqual(['build', 'pull-requests', 'verify'].map(purpose => deliveryProjectName(t, purpose as 'build')));
    }
    // Every platform-scope project counted as if in the tooling account and region: an upper bound.
    const platformProjects = platform.usages.reduce((n, u) => n + projects(platform, u.stack).length, 0);
    const total = TEAMS * perTeam[0].length + platformProjects;
    expect(total).toBeLessThanOrEqual(TOOLING_QUOTAS.codeBuildProjects * QUOTA_WARN_FRACTION);
    expect(total).toBeGreaterThanOrEqual(TEAMS * 3);
  });

  test('the busiest baseline holds all its records in one resource', () => {
    const baseline = template(platform, baselineStackName(nonProdAccount, 'us-east-1'));
    const records = Object.values(baseline.Resources as Record<string, any>).filter(r => r.Type === RELEASE_RECORDS_RESOURCE_TYPE);
    expect(records).toHaveLength(1);
    const expected = loadRegistry(registryDir).teams.flatMap(t => t.environments)
      .filter(e => e.account === nonProdAccount && e.region === 'us-east-1').length;
    expect(records[0].Properties.Records).toHaveLength(expected);
    if (layout === 'single-account') expect(expected).toBe(500);
  });

  test('mutation: two resources per record (the earlier shape) puts the busiest baseline over half, and the check says so', () => {
    const usage = platform.usages.find(u => u.stack === baselineStackName(nonProdAccount, 'us-east-1'))!;
    const records = template(platform, usage.stack).Resources;
    const count = (Object.values(records) as any[]).find(r => r.Type === RELEASE_RECORDS_RESOURCE_TYPE).Properties.Records.length;
    const earlier = { ...usage, resources: usage.resources + 2 * count };
    expect(overHalf([earlier])).toEqual([expect.stringContaining(`resources ${earlier.resources} of 500`)]);
    expect(quotaFindings(earlier)).toEqual([expect.objectContaining({ quota: 'resources' })]);
  });
});
