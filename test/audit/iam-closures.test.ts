/**
 * The audit's IAM section: each team's escalation closure over the example registry's assembly
 * (synthesized once for the file), the same assembly with the boundary's denies on other roles and
 * CDK's bootstrap resources removed (flagged, with the path), and the evaluator not installed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runAudit, runAuditWithClosures } from '../../lib/audit';
import { renderHtml } from '../../lib/audit/render-html';
import { renderMarkdown } from '../../lib/audit/render-markdown';
import { RELEASE_RECORDS_RESOURCE_TYPE } from '../../lib/baseline/release-records';
import { TeamClosureEvidence, loadSimulator, teamClosureEvidence } from '../../lib/escalation';
import { RELEASE_RECORDS_RESOURCE_TYPE as MODEL_TYPE } from '../../lib/escalation/assembly/iam-model';
import { loadRegistry } from '../../lib/registry';
import { evaluateWithSimulator } from '../support/iam/escalation';
import { synthesizePlatform } from '../support/iam/platform';

const EXAMPLE = loadRegistry(path.join(__dirname, '..', '..', 'teams'));
const TEAM = EXAMPLE.teams[0].id;
const stats = { templates: 0, distinctTemplates: 0, cacheHits: 0, seconds: 0 };
/** The rule packs are not what this file tests: no pack finding. */
const evaluate = () => ({ findings: [], acknowledgments: [], disabledRules: [], stats });
const REMOVED = ['DenyRolesOfOthers', 'DenyBootstrapResources'];

/** A copy of the assembly whose boundary policies lack the REMOVED statements. */
function withoutBoundaryDenies(directory: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-closure-mutated-'));
  fs.cpSync(directory, copy, { recursive: true });
  for (const file of fs.readdirSync(copy).filter(f => f.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(copy, file), 'utf8'));
    for (const r of Object.values<any>(template.Resources ?? {})) {
      const doc = r.Type === 'AWS::IAM::ManagedPolicy' ? r.Properties?.PolicyDocument : undefined;
      if (doc) doc.Statement = doc.Statement.filter((s: any) => !REMOVED.includes(s.Sid));
    }
    fs.writeFileSync(path.join(copy, file), JSON.stringify(template));
  }
  return copy;
}

const { directory } = synthesizePlatform(EXAMPLE);
let clean: TeamClosureEvidence;
let broken: TeamClosureEvidence;

beforeAll(async () => {
  clean = await teamClosureEvidence(directory, evaluateWithSimulator);
  broken = await teamClosureEvidence(withoutBoundaryDenies(directory), evaluateWithSimulator);
}, 300_000);

test('the example assembly: the team\'s closures are shown, from each of its accounts, and nothing is flagged', () => {
  expect(clean.computed && clean.teams.map(t => t.team)).toEqual([TEAM]);
  const starts = clean.computed ? clean.teams[0].starts : [];
  expect(new Set(starts.map(s => s.account)).size).toBe(3);
  expect(starts.flatMap(s => s.flagged)).toEqual([]);
  expect(starts.some(s => s.reached.some(arn => arn.includes(':role/springboard-')))).toBe(true);
  const { report, exitCode } = runAudit({ assembly: directory, evaluate, iamClosures: clean });
  expect(exitCode).toBe(0);
  const md = renderMarkdown(report);
  expect(md).toContain(`### Team ${TEAM}`);
  expect(md).toContain('| contained |');
  expect(md).not.toContain('FLAGGED');
  expect(renderHtml(report)).toContain('id="closures"');
});

test('mutation: without DenyRolesOfOthers and DenyBootstrapResources, the closure reaches CDK\'s execution role; flagged red with its path, and the audit fails', () => {
  const starts = broken.computed ? broken.teams[0].starts : [];
  const flagged = starts.flatMap(s => s.flagged);
  expect(flagged).toEqual(expect.arrayContaining([expect.stringMatching(/:role\/cdk-hnb659fds-cfn-exec-role-.*: administrator$/)]));
  const execRole = Object.keys(starts.find(s => s.flagged.length)!.paths).find(arn => arn.includes('cfn-exec-role'))!;
  const chain = starts.find(s => s.paths[execRole])!.paths[execRole];
  expect(chain[chain.length - 1]).toMatch(/-\[pass-role: iam:PassRole to cloudformation\.amazonaws\.com.*\]-> .*cfn-exec-role/);
  const { report, exitCode } = runAudit({ assembly: directory, evaluate, iamClosures: broken });
  expect(exitCode).toBe(1);
  expect(report.reasons.join(' ')).toMatch(/escalation closure reaches/);
  expect(renderMarkdown(report)).toContain(`Path to \`${execRole}\``);
  expect(renderHtml(report)).toMatch(/<span class="badge fail">fail<\/span>/);
});

test('not installed: the section says plainly the closure was not computed and how to get it, never a clean result', async () => {
  expect(await loadSimulator('@cloud-copilot/not-an-installed-package')).toBeUndefined();
  expect(await loadSimulator()).toEqual(expect.any(Function));
  const { report } = await runAuditWithClosures({ assembly: directory, evaluate }, Promise.resolve(undefined));
  expect(report.iamClosures).toEqual(expect.objectContaining({ computed: false }));
  const md = renderMarkdown(report);
  expect(md).toContain('**Not computed**: the IAM evaluator @cloud-copilot/iam-simulate is not installed');
  expect(md).toContain('npm ci');
  expect(md).not.toContain('contained');
  expect(renderHtml(report)).toContain('<strong>Not computed</strong>');
});

test('the IAM model\'s copy of the release records\' resource type matches the baseline\'s', () => {
  expect(MODEL_TYPE).toBe(RELEASE_RECORDS_RESOURCE_TYPE);
});
