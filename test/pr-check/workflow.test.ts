/**
 * The CI workflow that posts the registry check on Springboard's own pull requests: it runs the
 * command the CLI defines with flags it accepts, holds no AWS credentials and only the token scopes it
 * needs, finds its earlier comment by the summary's marker, and fails the run when the check fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { buildProgram } from '../../lib/cli';
import { SUMMARY_MARKER } from '../../lib/pr-check';

const FILE = path.join(__dirname, '..', '..', '.github', 'workflows', 'registry-pull-request.yml');
const workflow = parse(fs.readFileSync(FILE, 'utf8'));
const steps: any[] = workflow.jobs['pr-check'].steps;
const step = (name: string) => steps.find(s => s.name === name);

test('runs on pull requests to main, with read access to the code and write access to pull requests only', () => {
  expect(workflow.on).toEqual({ pull_request: { branches: ['main'] } });
  expect(workflow.permissions).toEqual({ 'contents': 'read', 'pull-requests': 'write' });
  expect(JSON.stringify(workflow)).not.toMatch(/aws-actions|AWS_ACCESS_KEY|role-to-assume|id-token/);
  expect(steps.find(s => String(s.uses).startsWith('actions/checkout')).with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
});

test('the command line is one the CLI accepts: pr-check with --base-ref and --out', () => {
  const run: string = step('springboard pr-check').run;
  expect(run).toBe('npx springboard pr-check --base-ref "origin/${BASE_REF}" --out pr-check');
  const command = buildProgram({ io: {} as any, settings: {}, setExitCode: () => undefined }).commands.find(c => c.name() === 'pr-check')!;
  const flags = command.options.map(o => o.long);
  for (const flag of run.match(/--[a-z-]+/g)!) expect([flag, flags.includes(flag)]).toEqual([flag, true]);
});

test('posts the summary on the run page and as one comment found by its marker; the run fails when the check does', () => {
  expect(step('summary on the run\'s page').run).toContain('pr-check/summary.md >> "$GITHUB_STEP_SUMMARY"');
  const comment = step('summary as the pull request\'s comment');
  expect(comment.run).toContain(`startswith("${SUMMARY_MARKER}")`);
  expect(comment.run).toContain('-X PATCH');
  expect(comment.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  expect(step('springboard pr-check')['continue-on-error']).toBe(true);
  expect(step('verdict')).toEqual({ name: 'verdict', if: 'steps.check.outcome != \'success\'', run: 'exit 1' });
});
