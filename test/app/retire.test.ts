/**
 * Retiring one team of three: the registry file goes, the procedure deletes only that team's
 * stacks in order and lists its retained prod data, and no other team's template changes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatform } from '../../lib/app';
import { lostResources, retainedResources } from '../../lib/app/retire';
import { runTeamRetire } from '../../lib/cli/team-retire';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry } from '../../lib/registry';
import { registryWith, secondTeamYaml } from '../support/registry-files';

function threeTeams(): string {
  const other = (id: string, cidr: number) => secondTeamYaml(id)
    .replace('  dev:\n', `  dev:\n    cidr: 10.${cidr}.0.0/20\n`)
    .replace('  staging:\n', `  staging:\n    cidr: 10.${cidr}.16.0/20\n`)
    .replace('  prod:\n', `  prod:\n    cidr: 10.${cidr}.32.0/20\n`);
  return registryWith({ 'child-care.yaml': other('child-care', 201), 'snap-renewals.yaml': other('snap-renewals', 202) });
}

function templates(dir: string): Record<string, string> {
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-retire-test-')) });
  buildPlatform(app, loadRegistry(dir));
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map(s => [s.id, fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8')]));
}

describe('springboard team retire', () => {
  const dir = threeTeams();
  const before = templates(dir);
  const out: string[] = [];
  const err: string[] = [];
  const planFile = path.join(dir, '..', `retire-${path.basename(dir)}.md`);
  const code = runTeamRetire('child-care', { registry: dir, plan: planFile }, { stdout: t => out.push(t), stderr: t => err.push(t) });
  const after = templates(dir);
  const text = out.join('');

  test('removes the team\'s registry file and writes the procedure it prints', () => {
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'child-care.yaml'))).toBe(false);
    expect(fs.readFileSync(planFile, 'utf8')).toBe(text);
    expect(err.join('')).toMatch(/removed \S*child-care\.yaml; wrote the procedure to /);
  });

  test('nothing of another team changes: their templates are byte for byte the same', () => {
    const others = Object.keys(before).filter(id => /benefits-screener|snap-renewals/.test(id));
    expect(others.length).toBeGreaterThanOrEqual(10);
    for (const id of others) expect(after[id]).toBe(before[id]);
    // The shared baselines lose only the retired team's own resources; every other resource is identical.
    for (const id of Object.keys(before).filter(i => i.startsWith('springboard-baseline-'))) {
      const [was, is] = [before[id], after[id]].map(t => JSON.parse(t).Resources as Record<string, unknown>);
      const unrelated = Object.keys(was).filter(r => !JSON.stringify(was[r]).includes('child-care') && !/childcare/i.test(r));
      for (const r of unrelated) expect(JSON.stringify(is[r])).toBe(JSON.stringify(was[r]));
      expect(Object.keys(is).filter(r => !(r in was))).toEqual([]);
    }
    expect(Object.keys(after).filter(id => id.includes('child-care'))).toEqual([]);
  });

  test('the procedure deletes the team\'s pipelines first, then its environments, never another team\'s stack or a baseline', () => {
    const deletes = [...text.matchAll(/delete-stack --region (\S+) --stack-name (\S+) --role-arn (\S+)/g)].map(m => m[2]);
    expect(deletes).toEqual([
      'springboard-platform-deploy-child-care', 'springboard-delivery-child-care',
      'springboard-env-child-care-staging', 'springboard-env-child-care-dev', 'springboard-env-child-care-prod',
    ]);
    expect(text).toContain('--role-arn arn:aws:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-us-east-1');
    expect(text).toMatch(/CDK and the platform pipelines never delete a stack by themselves/);
    expect(text).not.toMatch(/benefits-screener|snap-renewals|delete-stack[^\n]*baseline/);
  });

  test('it lists the prod data that is retained, with its retention', () => {
    expect(text).toMatch(/\| springboard-env-child-care-prod \| \w+ \| AWS::RDS::DBInstance \| Snapshot \|[^\n]*final snapshot/);
    expect(text).toMatch(/AWS::KMS::Key \| Retain/);
    expect(text).toMatch(/AWS::Logs::LogGroup \| Retain \| \/springboard\/child-care\/prod\/service \| log events kept \d+ days/);
    // Nothing stateful in the prod stack would be deleted with it.
    expect(text).not.toContain('would delete these stateful resources');
  });

  test('an unknown team is refused and nothing is removed', () => {
    const e: string[] = [];
    expect(runTeamRetire('nobody', { registry: dir }, { stdout: () => undefined, stderr: t => e.push(t) })).toBe(1);
    expect(e.join('')).toContain('no team \'nobody\'');
    expect(fs.readdirSync(dir).sort()).toEqual(['_platform.yaml', 'benefits-screener.yaml', 'snap-renewals.yaml']);
  });
});

test('retained resources: only those whose policy outlives the stack, IAM left out', () => {
  expect(retainedResources('s', {
    Resources: {
      Db: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot', Properties: { BackupRetentionPeriod: 35 } },
      Logs: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: '/x', RetentionInDays: 365 } },
      Gone: { Type: 'AWS::SNS::Topic', DeletionPolicy: 'Delete' },
      Role: { Type: 'AWS::IAM::Role', DeletionPolicy: 'Retain' },
    },
  }).map(r => [r.logicalId, r.policy, r.name, r.retention])).toEqual([
    ['Logs', 'Retain', '/x', 'log events kept 365 days, then expire; the archive copy per the baseline'],
    ['Db', 'Snapshot', undefined, 'final snapshot kept until deleted by hand (automated backups: 35 days; AWS Backup recovery points per the baseline plan)'],
  ]);
});

test('stateful resources (the contract\'s table) whose deletion policy keeps nothing are named as lost; defaults count', () => {
  const template = {
    Resources: {
      Secret: { Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'Delete' },
      Bucket: { Type: 'AWS::S3::Bucket' },
      StandAloneDb: { Type: 'AWS::RDS::DBInstance' },
      Kept: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain' },
      Topic: { Type: 'AWS::SNS::Topic' },
    },
  };
  expect(lostResources('s', template).map(r => r.logicalId)).toEqual(['Secret', 'Bucket']);
  // CloudFormation snapshots a stand-alone database on delete: it is retained, as a snapshot.
  expect(retainedResources('s', template).map(r => [r.logicalId, r.policy])).toEqual([['Kept', 'Retain'], ['StandAloneDb', 'Snapshot']]);
});
