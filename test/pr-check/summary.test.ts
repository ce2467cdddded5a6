/** The reviewer's summary, from hand-made results: sections, table cells, and the limits of a comment. */
import type { BaselineChange } from '../../lib/audit';
import { LIST_LIMIT, PullRequestCheckResult, SUMMARY_LIMIT, SUMMARY_MARKER, pullRequestSummary } from '../../lib/pr-check';

const change = (i: number, category: BaselineChange['category'], flagged = true): BaselineChange => ({
  category,
  flagged,
  strict: false,
  stack: `springboard-env-t${i}-prod`,
  logicalId: `Role${i}`,
  detail: `change ${i}`,
  table: [['', 'Resource', 'Action'], ['+', `arn:aws:s3:::bucket-${i}|x`, 's3:GetObject']],
});

function result(changes: BaselineChange[]): PullRequestCheckResult {
  return {
    verdict: changes.some(c => c.flagged) ? 'review' : 'pass',
    registry: { ok: true, teams: ['t'], diagnostics: [] },
    baseline: { assembly: 'approved', ref: 'main', commit: 'a'.repeat(40) },
    out: 'pr-check',
    audit: { verdict: 'fail', reasons: ['1 flagged change since the baseline'], summary: { open: 0, baselineFlagged: 1 }, baseline: { changes } } as any,
    synthesis: { assembly: 'pr-check/cdk.out', errors: [], gate: { verdict: 'pass', summary: { templates: 3, open: 0, acknowledged: 2, disabled: 1 }, findings: [] } as any },
  };
}

test('IAM broadening comes first with its statement table, pipes escaped; other flagged changes after; unflagged ones counted', () => {
  const text = pullRequestSummary(result([change(1, 'other', false), change(2, 'internet-exposure'), change(3, 'iam-broadening')]));
  expect(text.startsWith(`${SUMMARY_MARKER}\n## Springboard registry check: REVIEW`)).toBe(true);
  expect(text.indexOf('### IAM broadening (1)')).toBeLessThan(text.indexOf('### Other flagged changes (1)'));
  expect(text).toContain('  | + | arn:aws:s3:::bucket-3\\|x | s3:GetObject |');
  expect(text).toContain('- **springboard-env-t2-prod Role2**: change 2 _(internet-exposure)_');
  expect(text).toContain('1 other change, unflagged');
  expect(text).toContain(`(${'a'.repeat(12)}), synthesized with this code`);
});

test(`lists stop at ${LIST_LIMIT} items, and the whole text at ${SUMMARY_LIMIT} characters`, () => {
  const many = Array.from({ length: LIST_LIMIT + 5 }, (_, i) => change(i, 'iam-broadening'));
  const text = pullRequestSummary(result(many));
  expect(text).toContain(`### IAM broadening (${LIST_LIMIT + 5})`);
  expect(text).toContain('- ... and 5 more (see the audit report)');
  const huge = Array.from({ length: LIST_LIMIT }, (_, i) => ({ ...change(i, 'iam-broadening'), detail: 'x'.repeat(3000) }));
  const cut = pullRequestSummary(result(huge));
  expect(cut.length).toBeLessThan(65_536);
  expect(cut).toMatch(/cut at 60000 characters; the full report is in `pr-check\/audit`/);
});
