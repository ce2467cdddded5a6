import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildPlatform } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import type { Registry } from '../../lib/registry/types';
import { normalized } from '../environment/helpers';
import { govCloudRegistry, registry, team } from '../support/registry-fixtures';

function synth(reg: Registry, teams?: string[]) {
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-')) });
  const built = buildPlatform(app, reg, { teams });
  const assembly = app.synth();
  const templates = Object.fromEntries(assembly.stacks.map(s => [s.stackName, fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8')]));
  return { app, built, assembly, templates };
}

const fleet = registry([team('a', { withDatabase: true }), team('b'), team('c', { environments: ['dev', 'prod'] })]);

describe('buildPlatform', () => {
  const full = synth(fleet);

  test('one environment stack per team environment, one delivery stack per team, one baseline per account and region', () => {
    expect(Object.keys(full.templates).sort()).toEqual([
      'springboard-baseline-111111111111-us-east-1', 'springboard-baseline-222222222222-us-east-1', 'springboard-baseline-333333333333-us-east-1',
      'springboard-delivery-a', 'springboard-delivery-b', 'springboard-delivery-c',
      'springboard-env-a-dev', 'springboard-env-a-prod', 'springboard-env-a-staging',
      'springboard-env-b-dev', 'springboard-env-b-prod', 'springboard-env-b-staging',
      'springboard-env-c-dev', 'springboard-env-c-prod', 'springboard-platform-portfolio',
    ]);
    expect(full.built.note).toBeUndefined();
  });

  test('environment stacks deploy to the registry account and region, after their baseline', () => {
    const prod = full.assembly.getStackByName('springboard-env-a-prod');
    expect(prod.environment).toMatchObject({ account: '333333333333', region: 'us-east-1' });
    expect(prod.dependencies.map(d => d.id)).toContain('springboard-baseline-333333333333-us-east-1');
  });

  test('the tooling baseline holds the observability sink for every team account in its region', () => {
    const tooling = JSON.parse(full.templates['springboard-baseline-111111111111-us-east-1']);
    const sink = Object.values<any>(tooling.Resources).find(r => r.Type === 'AWS::Oam::Sink');
    expect(sink.Properties.Policy.Statement[0].Principal.AWS).toEqual(['222222222222', '333333333333']);
  });

  test('a team filter builds only that team and the baselines it uses, and says fleet-wide stacks are left out', () => {
    const filtered = synth(fleet, ['b']);
    expect(Object.keys(filtered.templates).sort()).toEqual([
      'springboard-baseline-111111111111-us-east-1', 'springboard-baseline-222222222222-us-east-1', 'springboard-baseline-333333333333-us-east-1',
      'springboard-delivery-b', 'springboard-env-b-dev', 'springboard-env-b-prod', 'springboard-env-b-staging',
    ]);
    expect(filtered.app.node.children.map(c => c.node.id).filter(id => /-(a|c)(-|$)/.test(id))).toEqual([]);
    expect(filtered.built.note).toMatch(/built only b .*fleet-wide stacks .* are left out/);
    // The baselines do not depend on which teams were selected.
    for (const name of Object.keys(filtered.templates).filter(n => n.includes('baseline'))) {
      expect(filtered.templates[name]).toBe(full.templates[name]);
    }
  });

  test('a filter naming an unknown team fails with the known ids', () => {
    expect(() => buildPlatform(createApp(), fleet, { teams: ['zz'] })).toThrow('teams filter names unknown team(s) zz; expected ids from teams: a, b, c');
  });

  test('synthesis is deterministic: the same registry gives byte-identical templates', () => {
    const again = synth(fleet);
    expect(again.templates).toEqual(full.templates);
  });

  test('the delivery stack snapshot', () => {
    expect(normalized(JSON.parse(full.templates['springboard-delivery-a']))).toMatchSnapshot();
  });
});

describe('GovCloud', () => {
  const gov = govCloudRegistry();
  const { templates } = synth(gov);

  test('synthesizes without a hard-coded commercial ARN', () => {
    // Three baselines, three environments, the delivery stack and the portfolio.
    expect(Object.keys(templates)).toHaveLength(8);
    for (const [name, text] of Object.entries(templates)) {
      expect({ name, commercialArns: text.match(/arn:aws:[^"]*/g) ?? [] }).toEqual({ name, commercialArns: [] });
    }
  });

  test('uses GovCloud service endpoints and the GovCloud partition (literal where the region is known)', () => {
    Template.fromJSON(JSON.parse(templates['springboard-env-a-prod'])).resourceCountIs('AWS::ECS::Service', 1);
    expect(templates['springboard-env-a-prod']).toContain('logs.us-gov-west-1.amazonaws.com');
    expect(templates['springboard-env-a-prod']).toContain('arn:aws-us-gov:iam::');
    expect(templates['springboard-env-a-prod']).toContain('AWS::Partition');
  });
});
