/**
 * --baseline: the change since an approved assembly, with the CDK's own diff. Renaming the prod
 * database replaces it (flagged); adding a public bucket, an administrator role and SSH from the
 * internet is a security-relevant change (flagged, listed first).
 */
import { synthFixture } from './support/assemblies';
import { AuditResult, runAudit } from '../../lib/audit';
import { Evaluation } from '../../lib/compliance/evaluate';

// The rule packs are exercised elsewhere; here only the comparison decides the exit status.
const noPackFindings = (): Evaluation => ({
  findings: [], acknowledgments: [], disabledRules: [], stats: { templates: 0, distinctTemplates: 0, cacheHits: 0, seconds: 0 },
});

let approved: string;
let renamed: AuditResult;
let widened: AuditResult;
let same: AuditResult;

beforeAll(() => {
  approved = synthFixture({ inStage: false });
  renamed = runAudit({ assembly: synthFixture({ inStage: false, renameDatabase: true }), baseline: approved, evaluate: noPackFindings });
  widened = runAudit({ assembly: synthFixture({ inStage: false, insecure: true }), baseline: approved, evaluate: noPackFindings });
  same = runAudit({ assembly: approved, baseline: approved, evaluate: noPackFindings });
});

test('a prod database that would be replaced is flagged, with its path and the property that forces it', () => {
  const replacement = renamed.report.baseline!.changes.find(c => c.category === 'stateful-replacement' && c.environment === 'prod');
  expect(replacement).toMatchObject({
    flagged: true,
    strict: true,
    resourceType: 'AWS::RDS::DBInstance',
    resourcePath: 'springboard-env-casework-prod/Database/Resource',
  });
  expect(replacement?.detail).toContain('DBInstanceIdentifier');
  expect(replacement?.detail).toContain('in production');
  expect(renamed.exitCode).toBe(1);
  expect(renamed.report.reasons).toEqual([expect.stringMatching(/flagged changes? since the baseline/)]);
});

test('the dev database replacement is called out too', () => {
  expect(renamed.report.baseline!.changes.some(c => c.category === 'stateful-replacement' && c.environment === 'dev' && c.flagged)).toBe(true);
});

test('security-relevant changes come first: IAM broadening, new internet exposure, security groups', () => {
  const changes = widened.report.baseline!.changes;
  const categories = changes.map(c => c.category);
  expect(categories.slice(0, 2)).toEqual(['iam-broadening', 'iam-broadening']);
  expect(categories).toEqual(expect.arrayContaining(['internet-exposure', 'security-group']));
  const exposure = changes.filter(c => c.category === 'internet-exposure').map(c => c.detail);
  expect(exposure).toEqual(expect.arrayContaining([expect.stringContaining('tcp 22 from 0.0.0.0/0'), 'new internet exposure: bucket policy open to everyone']));
  const iam = changes.find(c => c.category === 'iam-broadening')!;
  expect(iam.table?.[0]).toEqual(expect.arrayContaining(['Resource', 'Effect', 'Action']));
  expect(iam.table?.some(row => row.includes('*'))).toBe(true);
  const firstOther = categories.indexOf('other');
  expect(changes.slice(0, firstOther).every(c => c.flagged)).toBe(true);
  expect(widened.exitCode).toBe(1);
});

test('the CDK diff text of each changed stack is kept, without terminal colours', () => {
  const diff = renamed.report.baseline!.diffs.find(d => d.stack === 'springboard-env-casework-prod')!;
  expect(diff.text).toMatch(/AWS::RDS::DBInstance .* replace\n.*DBInstanceIdentifier \(requires replacement\)/);
  expect(diff.text).not.toContain('\u001b[');
});

test('an unchanged assembly has no change and exits 0', () => {
  expect(same.report.baseline!.changes).toEqual([]);
  expect(same.exitCode).toBe(0);
});
