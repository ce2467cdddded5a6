/**
 * Which pull requests a team's pull-request project builds, as data: the webhook's filter group
 * (CodeConnections providers) and the EventBridge pattern (CodeCommit). Pure functions, so the
 * synthesized template can be compared with them and the policy read in one place.
 */
import { EventAction, FilterGroup } from 'aws-cdk-lib/aws-codebuild';
import { EventPattern } from 'aws-cdk-lib/aws-events';
import type { SourceProvider } from '../registry/types';

/**
 * Pull-request events that start a build: opened, new commits pushed, reopened. Closed and merged
 * never build (the pipeline builds the merge). Bitbucket has no reopened event in CodeBuild.
 */
export function pullRequestEvents(provider: Exclude<SourceProvider, 'codecommit'>): EventAction[] {
  const events = [EventAction.PULL_REQUEST_CREATED, EventAction.PULL_REQUEST_UPDATED];
  return provider === 'bitbucket' ? events : [...events, EventAction.PULL_REQUEST_REOPENED];
}

/** Only a branch as the head (never a tag), and only pull requests into the registry's branch. */
export const HEAD_REF_PATTERN = '^refs/heads/';

/** Anchored, with the branch's regular-expression characters escaped: `main` must not match `main-old`. */
export function baseRefPattern(branch: string): string {
  return `^refs/heads/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** The one filter group of a team's pull-request webhook. */
export function pullRequestFilterGroup(provider: Exclude<SourceProvider, 'codecommit'>, branch: string): FilterGroup {
  return FilterGroup.inEventOf(...pullRequestEvents(provider)).andBaseRefIs(baseRefPattern(branch)).andHeadRefIs(HEAD_REF_PATTERN);
}

/**
 * The fork policy, as CodeBuild's pull-request build policy: no pull request builds on its own
 * unless its author has write access to the repository (and could push to the branch anyway); any
 * other, which includes every pull request from a fork by an outside contributor, is not built
 * until a person with write access reviews it and comments `/codebuild_run(<commit>)` for that commit.
 */
export const FORK_POLICY_COMMENT_APPROVAL = 'ALL_PULL_REQUESTS';

/** Repository roles that can push to the branch, per provider: they alone start or approve a build. */
export const APPROVER_ROLES: Readonly<Record<Exclude<SourceProvider, 'codecommit'>, readonly string[]>> = {
  github: ['GITHUB_WRITE', 'GITHUB_MAINTAIN', 'GITHUB_ADMIN'],
  gitlab: ['GITLAB_DEVELOPER', 'GITLAB_MAINTAINER', 'GITLAB_OWNER'],
  bitbucket: ['BITBUCKET_WRITE', 'BITBUCKET_ADMIN'],
};

/** CodeBuild's pull-request build policy of a team's project (CloudFormation shape). */
export function pullRequestBuildPolicy(provider: Exclude<SourceProvider, 'codecommit'>): { RequiresCommentApproval: string; ApproverRoles: string[] } {
  return { RequiresCommentApproval: FORK_POLICY_COMMENT_APPROVAL, ApproverRoles: [...APPROVER_ROLES[provider]] };
}

/** CodeCommit pull-request events that start a build: created, source branch updated, reopened. */
export const CODECOMMIT_PULL_REQUEST_EVENTS = ['pullRequestCreated', 'pullRequestSourceBranchUpdated', 'pullRequestStatusChanged'] as const;

/**
 * EventBridge pattern of a CodeCommit repository's pull requests into `branch` that are open and
 * unmerged. CodeCommit has no forks: every pull request comes from a branch of the same repository,
 * which only principals allowed to push there can create.
 */
export function codeCommitPullRequestPattern(repositoryArn: string, branch: string): EventPattern {
  return {
    source: ['aws.codecommit'],
    detailType: ['CodeCommit Pull Request State Change'],
    resources: [repositoryArn],
    detail: {
      event: [...CODECOMMIT_PULL_REQUEST_EVENTS],
      destinationReference: [`refs/heads/${branch}`],
      pullRequestStatus: ['Open'],
      isMerged: ['False'],
    },
  };
}
