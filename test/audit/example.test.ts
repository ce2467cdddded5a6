/**
 * The audit on the real platform: the example registry (teams/) and a three-team registry, built
 * with buildPlatform and synthesized without the gate, so the audit's own evaluation is what judges.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatform } from '../../lib/app';
import { AuditReport, runAudit } from '../../lib/audit';
import { answers } from '../../lib/audit/format';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry } from '../../lib/registry';
import type { Registry } from '../../lib/registry/types';
import { registry, team } from '../support/registry-fixtures';

function synthRegistry(reg: Registry): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-audit-platform-'));
  const app = createApp({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  buildPlatform(app, reg);
  app.synth();
  return outdir;
}

let example: AuditReport;
let exampleExit: number;
let fleet: AuditReport;

beforeAll(() => {
  const first = runAudit({ assembly: synthRegistry(loadRegistry(path.join(__dirname, '..', '..', 'teams'))) });
  example = first.report;
  exampleExit = first.exitCode;
  fleet = runAudit({ assembly: synthRegistry(registry([team('alpha', { withDatabase: true }), team('bravo'), team('charlie', { withDatabase: true })])) }).report;
}, 300_000);

const environments = (r: AuditReport) => r.teams.flatMap(t => t.environments);
const springboardOpen = (r: AuditReport) => r.findings.filter(f => f.pack === 'Springboard' && f.status === 'open');

describe.each([['the example registry', () => example], ['a three-team registry', () => fleet]])('%s', (_name, report) => {
  test('every team environment is a section with the stacks of the naming contract', () => {
    const r = report();
    for (const t of r.teams.filter(x => !x.team.startsWith('Shared') && !x.team.startsWith('Stacks outside'))) {
      expect(t.environments.map(e => e.environment)).toEqual(['dev', 'staging', 'prod', 'delivery']);
      expect(t.environments[0].stacks).toEqual([`springboard-env-${t.team}-dev`]);
    }
  });

  test('the platform meets Springboard\'s own checks: no open Springboard finding', () => {
    expect(springboardOpen(report()).map(f => `${f.ruleId} ${f.constructPath}: ${f.description}`)).toEqual([]);
  });

  test('every role has a boundary, every data store is encrypted, production logs are kept a year', () => {
    const envs = environments(report());
    expect(envs.flatMap(e => e.evidence.iam).filter(r => r.check === 'Springboard-RoleBoundary').every(r => r.facts.boundary !== 'none')).toBe(true);
    expect(envs.flatMap(e => e.evidence.encryption).every(r => r.status === 'compliant')).toBe(true);
    const prodLogs = envs.filter(e => e.environment === 'prod').flatMap(e => e.evidence.logging).filter(r => r.check === 'Springboard-LogRetention');
    expect(prodLogs.length).toBeGreaterThan(0);
    prodLogs.forEach(r => expect(r.facts.retention === 'never expires' || parseInt(r.facts.retention, 10) >= 365).toBe(true));
  });

  test('each prod environment is drawn reachable from the internet through its load balancer only', () => {
    for (const env of environments(report()).filter(e => e.environment === 'prod')) {
      const fromInternet = env.diagram.edges.filter(e => e.from === 'internet');
      expect(fromInternet.length).toBeGreaterThan(0);
      fromInternet.forEach(e => expect(env.diagram.nodes.find(n => n.id === e.to)?.kind).toBe('load balancer'));
      expect(env.diagram.edges.some(e => env.diagram.nodes.find(n => n.id === e.to)?.kind === 'ECS service')).toBe(true);
    }
  });

  test('every stack is far below the CloudFormation quotas', () => {
    report().quotas.forEach(q => expect(q.flagged).toBe(false));
  });

  test('the exit status follows the open findings', () => {
    const r = report();
    expect(r.verdict).toBe(r.summary.open > 0 ? 'fail' : 'pass');
  });
});

test('the example (moderate data): every environment serves HTTPS and its web ACL blocks a client above 2000 requests in 5 minutes', () => {
  const envs = environments(example).filter(e => ['dev', 'staging', 'prod'].includes(e.environment));
  expect(envs).toHaveLength(3);
  for (const env of envs) {
    const exposure = env.evidence.reachability.filter(r => r.check === 'Springboard-LoadBalancerExposure');
    expect(exposure.map(r => [r.status, r.facts.listeners])).toEqual([['compliant', 'HTTP 80 (redirect), HTTPS 443']]);
    const rate = env.evidence.reachability.filter(r => r.check === 'Springboard-WebAclRateLimit');
    expect(rate.map(r => [r.status, r.facts['rate limit']])).toEqual([['compliant', '2000 per IP in 300 s']]);
  }
  const reach = answers(example).find(a => a.question === 'Who can reach it?')!.answer;
  expect(reach).toContain('3 internet-facing load balancers; 3 security groups with ingress from anywhere, 0 admitting listed ranges only; 3 web ACLs blocking a client above its rate limit');
});

test('the example: one team, and the exit status follows its findings', () => {
  expect(example.summary.teams).toBe(1);
  expect(exampleExit).toBe(example.summary.open > 0 ? 1 : 0);
});

test('three teams: databases only where the registry asks, protected in prod', () => {
  expect(fleet.summary.teams).toBe(3);
  const withDb = environments(fleet).filter(e => e.inventory.some(i => i.type === 'AWS::RDS::DBInstance' || i.type === 'AWS::RDS::DBCluster')).map(e => e.team);
  expect([...new Set(withDb)].sort()).toEqual(['alpha', 'charlie']);
  const prodDb = environments(fleet).filter(e => e.team === 'alpha' && e.environment === 'prod').flatMap(e => e.evidence.resilience).find(r => r.check === 'Springboard-DatabaseProtection');
  expect(prodDb).toMatchObject({ status: 'compliant', facts: { 'deletion protection': 'on', 'multi-AZ': 'yes' } });
});
