/**
 * The audit on a small assembly with an injected open bucket, administrator role and SSH open to
 * the internet, inside a Stage (a nested assembly), evaluated with the real rule packs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ACK_REASON, TEAM, synthFixture } from './support/assemblies';
import { AuditResult, runAudit } from '../../lib/audit';

let assembly: string;
let out: string;
let result: AuditResult;

beforeAll(() => {
  assembly = synthFixture({ insecure: true });
  out = path.join(assembly, '..', `${path.basename(assembly)}-audit`);
  result = runAudit({ assembly, out, cache: false });
});

const open = () => result.report.findings.filter(f => f.status === 'open');
const on = (pathPart: string) => open().filter(f => f.constructPath.includes(pathPart));

test('reads the stacks of the nested stage assembly and places them by the naming contract', () => {
  const team = result.report.teams.find(t => t.team === TEAM);
  expect(team?.environments.map(e => e.environment)).toEqual(['dev', 'prod']);
  expect(team?.environments[1].strict).toBe(true);
  expect(result.report.assembly.stacks).toBe(2);
});

test('the open bucket is flagged by Springboard and by the rule packs, with NIST controls named', () => {
  const policy = on('/OpenBucket/Policy/').find(f => f.ruleId === 'Springboard-PublicBucketPolicy');
  expect(policy?.controls).toEqual(expect.arrayContaining(['AC-3', 'SC-7']));
  expect(on('/OpenBucket/Resource').map(f => f.ruleId)).toEqual(expect.arrayContaining(['Springboard-BucketPublicAccessBlock', 'CT.S3.PR.1']));
  expect(on('/OpenBucket/').filter(f => f.pack === 'NIST.800.53.R5').every(f => f.controls.length > 0)).toBe(true);
});

test('the administrator role is flagged with AC-6, by Springboard and by the NIST pack', () => {
  const admin = on('/AdminRole/');
  expect(admin.find(f => f.ruleId === 'Springboard-AdminPrivileges')?.controls).toContain('AC-6');
  const nist = admin.filter(f => f.pack === 'NIST.800.53.R5');
  expect(nist.length).toBeGreaterThan(0);
  expect(nist.some(f => f.controls.includes('AC-6'))).toBe(true);
});

test('SSH open to the internet is flagged and drawn as reachable from the internet', () => {
  expect(on('/Bastion/').map(f => f.ruleId)).toContain('Springboard-OpenIngress');
  const prod = result.report.teams.find(t => t.team === TEAM)!.environments[1];
  expect(prod.diagram.edges).toEqual(expect.arrayContaining([
    expect.objectContaining({ from: 'internet', label: 'HTTP 80 (redirect)' }),
    expect.objectContaining({ from: expect.stringMatching(/^Web/), to: expect.stringMatching(/^Database/) }),
  ]));
  expect(prod.diagram.svg).toMatch(/^<svg [^>]*role="img"/);
});

test('the compliant parts are evidenced, not flagged', () => {
  const prod = result.report.teams.find(t => t.team === TEAM)!.environments[1];
  const db = prod.evidence.encryption.find(r => r.resourcePath.endsWith('/Database/Resource'));
  expect(db).toMatchObject({ status: 'compliant', facts: { store: 'RDS instance' } });
  expect(db?.facts.key).toMatch(/^customer-managed KMS key/);
  expect(prod.evidence.resilience.find(r => r.check === 'Springboard-DatabaseProtection')?.status).toBe('compliant');
  expect(on('/TaskRole/').filter(f => f.pack === 'Springboard')).toEqual([]);
  expect(prod.evidence.logging.find(r => r.check === 'Springboard-VpcFlowLogs')?.status).toBe('compliant');
});

test('exits non-zero on open findings and says why', () => {
  expect(result.exitCode).toBe(1);
  expect(result.report.reasons[0]).toMatch(/^\d+ open findings/);
});

test('findings.json lists acknowledgments with rule, resource path and reason, and the disabled rules with theirs', () => {
  const json = JSON.parse(fs.readFileSync(result.files.json!, 'utf8'));
  expect(json.acknowledgments).toEqual(expect.arrayContaining([
    expect.objectContaining({ rule: 'AwsSolutions-S1', resourcePath: `Platform/${'springboard-env-casework-prod'}/Documents/Resource`, reason: ACK_REASON }),
  ]));
  expect(json.findings.find((f: { ruleId: string; constructPath: string }) => f.ruleId === 'AwsSolutions-S1' && f.constructPath.includes('/Documents/'))?.status).toBe('acknowledged');
  expect(json.disabledRules.length).toBeGreaterThan(0);
  for (const rule of json.disabledRules) expect(rule.reason.length).toBeGreaterThanOrEqual(20);
});

test('every pack reports evaluated = passed + failed + acknowledged + disabled', () => {
  for (const pack of result.report.packs) {
    expect(pack.evaluated).toBe(pack.passed + pack.failed + pack.acknowledged + pack.disabled);
    expect(pack.evaluated).toBeGreaterThan(0);
  }
  expect(result.report.packs.find(p => p.pack === 'Springboard')?.failed).toBeGreaterThanOrEqual(4);
});

test('the control map names the focus controls and counts the open findings against them', () => {
  const control = (id: string) => result.report.controls.find(c => c.control === id);
  for (const id of ['AC-6', 'AU-2', 'AU-11', 'CM-2', 'CP-9', 'SC-8', 'SC-13', 'SC-28']) expect(control(id)?.rulesEvaluated).toBeGreaterThan(0);
  expect(control('AC-6')?.open).toBeGreaterThan(0);
  expect(control('SC-28')?.compliantResults).toBeGreaterThan(0);
});

test('report.md carries the same verdict and the flagged resources', () => {
  const md = fs.readFileSync(result.files.markdown!, 'utf8');
  expect(md).toContain('**Verdict: FAIL**');
  expect(md).toContain('Platform/springboard-env-casework-prod/AdminRole/Resource');
  expect(md).toContain('Springboard-PublicBucketPolicy');
});

test('index.html is self-contained: no external URL, inline style and script', () => {
  const html = fs.readFileSync(result.files.html!, 'utf8');
  expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  expect(html).not.toMatch(/<link /);
  expect(html).toContain('<style>');
});

test('the same assembly without the injected resources and without rule-pack findings is clean (exit 0)', () => {
  const stats = { templates: 2, distinctTemplates: 2, cacheHits: 0, seconds: 0 };
  const clean = runAudit({ assembly: synthFixture(), evaluate: () => ({ findings: [], acknowledgments: [], disabledRules: [], stats }) });
  expect(clean.report.findings).toEqual([]);
  expect(clean.exitCode).toBe(0);
  expect(clean.report.verdict).toBe('pass');
});
