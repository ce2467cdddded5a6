/**
 * Pull-request checks, read from the synthesized delivery stacks of four teams (GitHub, GitLab,
 * Bitbucket, CodeCommit): the webhook's events and refs, the fork policy, the connection, the
 * build (the pipeline's steps, no deploy artifact), the role (no AssumeRole, no release repository)
 * and CodeCommit's event rule and comment. Each property has a check and a mutation that breaks it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeliveryStack } from '../../lib/app/delivery-stack';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { deliveryProjectName, imageRepositoryName, pullRequestImageRepositoryName } from '../../lib/contract';
import { APPROVER_ROLES, baseRefPattern, deliveryBoundaryName, FORK_POLICY_COMMENT_APPROVAL, HEAD_REF_PATTERN } from '../../lib/delivery';
import type { SourceRepository, TeamSpec } from '../../lib/registry/types';
import { TOOLING_ACCOUNT, platformSettings, team } from '../support/registry-fixtures';

type Template = { Resources: Record<string, any> };
const connection = `arn:aws:codeconnections:us-east-1:${TOOLING_ACCOUNT}:connection/11111111-2222-3333-4444-555555555555`;
const withRepo = (id: string, repository: SourceRepository): TeamSpec => ({ ...team(id, { environments: ['dev', 'prod'] }), repository });
const TEAMS: TeamSpec[] = [
  withRepo('gh', { provider: 'github', name: 'example-state/gh', branch: 'main', connectionArn: connection }),
  withRepo('gl', { provider: 'gitlab', name: 'state/sub/gl', branch: 'release.v2', connectionArn: connection }),
  withRepo('bb', { provider: 'bitbucket', name: 'state/bb', branch: 'main', connectionArn: connection }),
  withRepo('cc', { provider: 'codecommit', name: 'cc-service', branch: 'main' }),
];
const templates: Record<string, Template> = {};

beforeAll(() => {
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pr-checks-')) });
  for (const t of TEAMS) new DeliveryStack(app, `springboard-delivery-${t.id}`, { team: t, platform: platformSettings() });
  const assembly = app.synth();
  for (const t of TEAMS) templates[t.id] = assembly.getStackByName(`springboard-delivery-${t.id}`).template;
});

const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const project = (t: Template, teamId: string) => ofType(t, 'AWS::CodeBuild::Project').map(([, r]) => r)
  .find(r => r.Properties.Name === deliveryProjectName(teamId, 'pull-requests'));
const clone = (t: Template): Template => JSON.parse(JSON.stringify(t));
const specOf = (p: any) => {
  const spec = p.Properties.Source.BuildSpec;
  return JSON.parse(typeof spec === 'string' ? spec : spec['Fn::Join'][1].map((x: unknown) => (typeof x === 'string' ? x : 'TOKEN')).join(''));
};
/** The role's statements, with the ARNs they name as text (intrinsics included). */
const roleStatements = (t: Template, teamId: string) => {
  const roleId = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === deliveryProjectName(teamId, 'pull-requests'))![0];
  return ofType(t, 'AWS::IAM::Policy').filter(([, r]) => JSON.stringify(r.Properties.Roles).includes(roleId))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as any[]);
};

/**
 * The webhook policy of one team's pull-request project, as violations: only pull-request events
 * (opened, updated, reopened), only into the registry's branch (anchored), only from a branch, the
 * connection as the source's authentication, and the fork policy (no build without write access).
 */
function webhookViolations(t: Template, spec: TeamSpec): string[] {
  const p = project(t, spec.id);
  if (!p) return ['no pull-request project'];
  const found: string[] = [];
  const { Triggers: triggers, Source: source } = p.Properties;
  if (triggers?.Webhook !== true) found.push('no webhook');
  const groups: any[][] = triggers?.FilterGroups ?? [];
  if (groups.length === 0) found.push('no filter group: every event of the repository builds');
  for (const group of groups) {
    const pattern = (type: string) => group.find(f => f.Type === type && !f.ExcludeMatchedPattern)?.Pattern;
    const events = String(pattern('EVENT') ?? '').split(/,\s*/);
    const allowed = ['PULL_REQUEST_CREATED', 'PULL_REQUEST_UPDATED', 'PULL_REQUEST_REOPENED'];
    if (events.some(e => !allowed.includes(e))) found.push(`events ${events.join(',')}: only ${allowed.join(',')} may build`);
    if (pattern('BASE_REF') !== baseRefPattern(spec.repository.branch)) found.push(`base ref ${pattern('BASE_REF')}: expected ${baseRefPattern(spec.repository.branch)}`);
    if (pattern('HEAD_REF') !== HEAD_REF_PATTERN) found.push(`head ref ${pattern('HEAD_REF')}: expected ${HEAD_REF_PATTERN}`);
  }
  if (source.Auth?.Type !== 'CODECONNECTIONS' || source.Auth?.Resource !== spec.repository.connectionArn) found.push(`source auth ${JSON.stringify(source.Auth)}: expected the team's connection`);
  if (source.ReportBuildStatus !== true) found.push('the build status is not reported to the pull request');
  const policy = triggers?.PullRequestBuildPolicy;
  if (policy?.RequiresCommentApproval !== FORK_POLICY_COMMENT_APPROVAL) found.push(`comment approval ${policy?.RequiresCommentApproval}: expected ${FORK_POLICY_COMMENT_APPROVAL}`);
  const readOnly = (policy?.ApproverRoles ?? []).filter((r: string) => /_(READ|TRIAGE|GUEST|PLANNER|REPORTER)$/.test(r));
  if (readOnly.length > 0) found.push(`approver roles without write access: ${readOnly.join(', ')}`);
  return found;
}

const connected = TEAMS.filter(t => t.repository.provider !== 'codecommit');

describe('the webhook of a team on a connection', () => {
  test.each(connected.map(t => [t.repository.provider, t] as const))('%s: pull-request events into its branch only, through its connection, fork policy on', (provider, spec) => {
    expect(webhookViolations(templates[spec.id], spec)).toEqual([]);
    const p = project(templates[spec.id], spec.id).Properties;
    expect(p.Source.Type).toBe(provider.toUpperCase());
    expect(p.Source.Location).toBe(`https://${provider}.${provider === 'bitbucket' ? 'org' : 'com'}/${spec.repository.name}.git`);
    expect(p.Triggers.PullRequestBuildPolicy.ApproverRoles).toEqual(APPROVER_ROLES[provider as keyof typeof APPROVER_ROLES]);
  });

  test('the exact filter of GitHub: created, updated, reopened; base main; head a branch. Bitbucket has no reopened event', () => {
    expect(project(templates.gh, 'gh').Properties.Triggers.FilterGroups).toEqual([[
      { Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
      { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
      { Type: 'HEAD_REF', Pattern: '^refs/heads/' },
    ]]);
    expect(project(templates.bb, 'bb').Properties.Triggers.FilterGroups[0][0].Pattern).toBe('PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED');
    // A branch name's dots are literal: release.v2 does not match releaseXv2.
    expect(project(templates.gl, 'gl').Properties.Triggers.FilterGroups[0][1].Pattern).toBe('^refs/heads/release\\.v2$');
  });

  const gh = TEAMS[0];
  const mutate = (edit: (triggers: any) => void) => {
    const t = clone(templates.gh);
    edit(project(t, 'gh').Properties.Triggers);
    return webhookViolations(t, gh);
  };
  test('mutation: a push event in the filter is reported', () => {
    expect(mutate(tr => { tr.FilterGroups[0][0].Pattern = 'PUSH, PULL_REQUEST_CREATED'; })).toEqual([expect.stringContaining('events PUSH,PULL_REQUEST_CREATED')]);
  });
  test('mutation: pull requests into any branch (no base ref) are reported', () => {
    expect(mutate(tr => { tr.FilterGroups[0].splice(1, 1); })).toEqual([expect.stringContaining('base ref undefined')]);
  });
  test('mutation: a second filter group without refs is reported', () => {
    expect(mutate(tr => { tr.FilterGroups.push([{ Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED' }]); })).toEqual([
      expect.stringContaining('base ref undefined'), expect.stringContaining('head ref undefined'),
    ]);
  });
  test('mutation: forks built without approval (policy disabled), or approved by read-only roles, are reported', () => {
    expect(mutate(tr => { tr.PullRequestBuildPolicy = { RequiresCommentApproval: 'DISABLED' }; })).toEqual([expect.stringContaining('comment approval DISABLED')]);
    expect(mutate(tr => { delete tr.PullRequestBuildPolicy; })).toEqual([expect.stringContaining('comment approval undefined')]);
    expect(mutate(tr => { tr.PullRequestBuildPolicy.ApproverRoles.push('GITHUB_READ'); })).toEqual(['approver roles without write access: GITHUB_READ']);
  });
});

describe('the build: the pipeline\'s steps, no deploy', () => {
  test.each(TEAMS.map(t => [t.repository.provider, t.id] as const))('%s: tests, image, scan gate and SBOM from the platform buildspec; nothing uploaded', (_p, id) => {
    const p = project(templates[id], id).Properties;
    const spec = specOf({ Properties: p });
    const text = JSON.stringify(spec.phases);
    expect(spec.phases.install.commands[0]).toBe('export COMMIT_ID="$CODEBUILD_RESOLVED_SOURCE_VERSION"');
    expect(spec.phases.install.commands[1]).toContain('cp -a "$CODEBUILD_SRC_DIR/."');
    for (const step of ['npm ci', 'npm test', 'docker build --pull', 'describe-image-scan-findings', 'cyclonedx-json']) expect([step, text.includes(step)]).toEqual([step, true]);
    expect(spec.artifacts).toBeUndefined();
    expect(p.Artifacts).toEqual({ Type: 'NO_ARTIFACTS' });
    expect(p.Environment.EnvironmentVariables).toEqual(expect.arrayContaining([
      expect.objectContaining({ Name: 'TEAM_ID', Value: id }),
      expect.objectContaining({ Name: 'REPOSITORY_NAME', Value: expect.anything() }),
    ]));
    // No deploy: the build assumes no role and starts no pipeline.
    expect(JSON.stringify(p)).not.toMatch(/DEPLOY_ROLE_ARN|assume-role|codepipeline/);
  });

  test('the commit checked is the head commit CodeBuild resolved: the contract check accepts it, and refuses a branch name', () => {
    const spec = specOf(project(templates.gh, 'gh'));
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pr-commit-'));
    const checkout = path.join(root, 'checkout');
    fs.mkdirSync(checkout);
    for (const file of ['Dockerfile', 'package.json', 'package-lock.json']) fs.writeFileSync(path.join(checkout, file), '{}\n');
    fs.writeFileSync(path.join(checkout, 'springboard.json'), JSON.stringify({ teamId: 'gh' }));
    // Buildspec 0.2 runs every command of the build in one shell (an exported variable reaches the later phases), and a failing command stops the build.
    const script = ['set -e', spec.phases.install.commands[0], spec.phases.install.commands[1], spec.phases.pre_build.commands[0], 'echo "checked $COMMIT_ID"'].join('\n');
    const run = (resolved: string) => spawnSync('bash', ['-c', script], {
      cwd: checkout,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, CODEBUILD_SRC_DIR: checkout, SPRINGBOARD_WORK: path.join(root, 'work'), TEAM_ID: 'gh', CODEBUILD_RESOLVED_SOURCE_VERSION: resolved },
    });
    const head = 'c'.repeat(40);
    expect(run(head)).toMatchObject({ status: 0, stdout: expect.stringContaining(`checked ${head}`) });
    expect(run('refs/heads/feature')).toMatchObject({ status: 1, stdout: expect.stringContaining('COMMIT_ID must be a git commit id, received "refs/heads/feature"') });
  });

  test('images go to the pull-request repository, kept 14 days, scanned on push', () => {
    const repos = ofType(templates.gh, 'AWS::ECR::Repository').map(([, r]) => r.Properties);
    const pr = repos.find(r => r.RepositoryName === pullRequestImageRepositoryName('gh'))!;
    expect(pr.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
    expect(pr.ImageTagMutability).toBe('IMMUTABLE');
    expect(JSON.parse(pr.LifecyclePolicy.LifecyclePolicyText).rules[0].selection).toEqual(expect.objectContaining({ countType: 'sinceImagePushed', countNumber: 14 }));
  });
});

describe('the role reaches no environment account and cannot touch the release', () => {
  /** Grants that would let a pull request's build act beyond its checks. */
  function roleViolations(t: Template, teamId: string): string[] {
    const statements = roleStatements(t, teamId);
    if (statements.length === 0) return ['no statements'];
    const found: string[] = [];
    for (const s of statements) {
      const actions = ([] as string[]).concat(s.Action);
      const text = JSON.stringify(s.Resource);
      if (actions.some(a => /^(sts:|iam:PassRole|codepipeline:|codebuild:StartBuild)|^\*$/.test(a))) found.push(`${s.Sid ?? ''} grants ${actions.join(',')}`);
      if (actions.some(a => a.startsWith('ecr:') && !['ecr:GetAuthorizationToken', 'ecr:GetRegistryScanningConfiguration'].includes(a)) && !text.includes('PullRequestsImages')) {
        found.push(`${s.Sid ?? ''} grants ${actions.join(',')} on ${text}`);
      }
    }
    return found;
  }
  test.each(TEAMS.map(t => [t.repository.provider, t.id] as const))('%s: no AssumeRole, PassRole, pipeline or build start; ECR writes only on the pull-request repository', (_p, id) => {
    expect(roleViolations(templates[id], id)).toEqual([]);
    const ecrWrites = roleStatements(templates[id], id).filter(s => [].concat(s.Action).some((a: string) => a === 'ecr:PutImage'));
    expect(ecrWrites).toHaveLength(1);
    expect(JSON.stringify(ecrWrites[0].Resource)).toMatch(/PullRequestsImages/);
    expect(JSON.stringify(templates[id])).not.toContain(`repository/${imageRepositoryName(id)}"`);
  });

  test('it carries the team\'s delivery boundary', () => {
    const role = ofType(templates.gh, 'AWS::IAM::Role').map(([, r]) => r.Properties).find(r => r.RoleName === deliveryProjectName('gh', 'pull-requests'))!;
    const policy = templates.gh.Resources[role.PermissionsBoundary.Ref];
    expect(policy.Properties.ManagedPolicyName).toBe(deliveryBoundaryName('gh'));
  });

  test('mutation: a grant on the release repository or an AssumeRole is reported', () => {
    const t = clone(templates.gh);
    const [, policy] = ofType(t, 'AWS::IAM::Policy').find(([, r]) => JSON.stringify(r.Properties.PolicyDocument).includes('ReadScanOfPullRequestImages'))!;
    policy.Properties.PolicyDocument.Statement.push(
      { Sid: 'Injected', Effect: 'Allow', Action: 'ecr:PutImage', Resource: { 'Fn::GetAtt': ['ImagesRepository', 'Arn'] } },
      { Sid: 'Assume', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
    );
    expect(roleViolations(t, 'gh')).toEqual([expect.stringContaining('Injected grants ecr:PutImage'), 'Assume grants sts:AssumeRole']);
  });
});

describe('CodeCommit: an EventBridge rule starts the build, the build comments its verdict', () => {
  const rule = () => ofType(templates.cc, 'AWS::Events::Rule').map(([, r]) => r.Properties)
    .find(r => JSON.stringify(r.EventPattern).includes('Pull Request State Change'))!;

  test('the rule: open, unmerged pull requests into the branch of the team\'s repository; the head commit is built', () => {
    const r = rule();
    expect(r.EventPattern).toEqual({
      'source': ['aws.codecommit'],
      'detail-type': ['CodeCommit Pull Request State Change'],
      'resources': [`arn:aws:codecommit:us-east-1:${TOOLING_ACCOUNT}:cc-service`],
      'detail': {
        event: ['pullRequestCreated', 'pullRequestSourceBranchUpdated', 'pullRequestStatusChanged'],
        destinationReference: ['refs/heads/main'],
        pullRequestStatus: ['Open'],
        isMerged: ['False'],
      },
    });
    expect(r.Targets).toHaveLength(1);
    const input = r.Targets[0].InputTransformer;
    expect(input.InputPathsMap).toEqual(expect.objectContaining({ 'detail-sourceCommit': '$.detail.sourceCommit', 'detail-pullRequestId': '$.detail.pullRequestId' }));
    expect(input.InputTemplate).toContain('"sourceVersion":<detail-sourceCommit>');
    const p = project(templates.cc, 'cc').Properties;
    expect(p.Source.Type).toBe('CODECOMMIT');
    expect(p.Triggers).toBeUndefined();
  });

  test('post_build posts the verdict on the pull request, passed or failed, with the build link', () => {
    const post = specOf(project(templates.cc, 'cc')).phases.post_build.commands as string[];
    expect(specOf(project(templates.gh, 'gh')).phases.post_build).toBeUndefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pr-comment-'));
    fs.writeFileSync(path.join(dir, 'aws'), '#!/bin/bash\nprintf "%s\\n" "$@" > "$AWS_ARGS"\n', { mode: 0o755 });
    const run = (succeeding: string) => {
      const env = {
        PATH: `${dir}:${process.env.PATH}`,
        AWS_ARGS: path.join(dir, `args-${succeeding}`),
        CODEBUILD_BUILD_SUCCEEDING: succeeding,
        PULL_REQUEST_ID: '17',
        SOURCE_REPOSITORY: 'cc-service',
        DESTINATION_COMMIT: 'b'.repeat(40),
        COMMIT_ID: 'a'.repeat(40),
        CODEBUILD_BUILD_URL: 'https://console.example/build/1',
      };
      expect(spawnSync('bash', ['-c', post.join('\n')], { env, encoding: 'utf8' }).status).toBe(0);
      return fs.readFileSync(env.AWS_ARGS, 'utf8').split('\n');
    };
    const passed = run('1');
    expect(passed.slice(0, 10)).toEqual(['codecommit', 'post-comment-for-pull-request', '--pull-request-id', '17', '--repository-name', 'cc-service',
      '--before-commit-id', 'b'.repeat(40), '--after-commit-id', 'a'.repeat(40)]);
    expect(passed[11]).toMatch(/^Springboard pull-request check passed for a{40}: .* Build: https:\/\/console.example\/build\/1$/);
    expect(run('0')[11]).toMatch(/check failed/);
    const comment = roleStatements(templates.cc, 'cc').find(s => s.Sid === 'CommentOnPullRequests')!;
    expect(comment.Action).toBe('codecommit:PostCommentForPullRequest');
  });
});
