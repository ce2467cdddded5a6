/**
 * Checks on a team's pull requests: one CodeBuild project per team runs the platform's build
 * (tests, image, scan gate, SBOM) on the pull request's head commit, with no deploy. GitHub, GitLab
 * and Bitbucket start it by a pull-request webhook through the team's connection, and CodeBuild
 * reports the build's status on the pull request; CodeCommit has no webhooks, so an EventBridge
 * rule on its pull-request events starts it, and the build comments its verdict.
 *
 * Its role can reach no environment account: it holds no sts:AssumeRole, no deploy role trusts it,
 * and it pushes only to the team's pull-request image repository, never to the release repository.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  BuildSpec, CfnProject, ComputeType, ISource, LinuxBuildImage, Project, ReportGroup, ReportGroupType, Source,
} from 'aws-cdk-lib/aws-codebuild';
import { Repository as CodeCommitRepository } from 'aws-cdk-lib/aws-codecommit';
import { Repository, RepositoryEncryption, TagMutability, TagStatus } from 'aws-cdk-lib/aws-ecr';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { CodeBuildProject } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_BLOCKING_SEVERITIES, ImageScanType } from './build-projects';
import { pullRequestBuildSpec } from './buildspecs';
import { DEFAULT_TEST_IMAGE, SYFT_PIN } from './pins';
import { codeCommitPullRequestPattern, pullRequestBuildPolicy, pullRequestFilterGroup } from './pull-request-policy';
import { acknowledge } from '../compliance/acknowledgments';
import { PLATFORM_PREFIX, deliveryProjectName, pullRequestImageRepositoryName } from '../contract';
import type { SourceRepository } from '../registry/types';

/** How long a pull request's image is kept: long enough to look at its scan, never deployed. */
export const PULL_REQUEST_IMAGE_DAYS = 14;

export interface PullRequestChecksProps {
  readonly teamId: string;
  /** The registry's repository: its provider, name, branch (the pull requests' base) and connection. */
  readonly source: SourceRepository;
  /** Encrypts the build's logs and the pull-request images (the tooling region's delivery key). */
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /** @default 'BASIC' */
  readonly scanType?: ImageScanType;
}

export class PullRequestChecks extends Construct {
  readonly project: Project;
  readonly role: Role;
  readonly images: Repository;
  readonly reportGroup: ReportGroup;
  /** CodeCommit only: the rule that starts a build on a pull request. */
  readonly rule?: Rule;

  constructor(scope: Construct, id: string, props: PullRequestChecksProps) {
    super(scope, id);
    const name = deliveryProjectName(props.teamId, 'pull-requests');
    const codeCommit = props.source.provider === 'codecommit';
    this.role = new Role(this, 'Role', {
      roleName: name,
      assumedBy: new ServicePrincipal('codebuild.amazonaws.com'),
      description: `Springboard pull-request checks of ${props.teamId}: push to its pull-request image repository, write its test reports; no deploy`,
    });
    this.images = new Repository(this, 'Images', {
      repositoryName: pullRequestImageRepositoryName(props.teamId),
      imageTagMutability: TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: RepositoryEncryption.KMS,
      encryptionKey: props.key,
      // Kept like every image repository; its images expire by the lifecycle rule.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ description: 'Pull-request images are never deployed', tagStatus: TagStatus.ANY, maxImageAge: Duration.days(PULL_REQUEST_IMAGE_DAYS) }],
    });
    this.reportGroup = new ReportGroup(this, 'Tests', { reportGroupName: `${name}-tests`, type: ReportGroupType.TEST, removalPolicy: RemovalPolicy.RETAIN });
    this.project = new Project(this, 'Project', {
      projectName: name,
      description: `Springboard pull-request checks of ${props.teamId}: tests, image, scan gate, SBOM; no deploy (platform buildspec)`,
      role: this.role,
      source: sourceOf(this, props.source),
      encryptionKey: props.key,
      timeout: Duration.minutes(60),
      environment: { buildImage: LinuxBuildImage.STANDARD_7_0, computeType: ComputeType.MEDIUM, privileged: true },
      environmentVariables: {
        TEAM_ID: { value: props.teamId },
        REPOSITORY_URI: { value: this.images.repositoryUri },
        REPOSITORY_NAME: { value: this.images.repositoryName },
        TEST_IMAGE: { value: DEFAULT_TEST_IMAGE },
        BLOCKING_SEVERITIES: { value: DEFAULT_BLOCKING_SEVERITIES.join(',') },
        SCAN_TIMEOUT_SECONDS: { value: String(Duration.minutes(20).toSeconds()) },
        SYFT_VERSION: { value: SYFT_PIN.version },
        SYFT_SHA256: { value: SYFT_PIN.sha256 },
        EXPECTED_SCAN_TYPE: { value: props.scanType ?? 'BASIC' },
        ...(codeCommit ? { SOURCE_REPOSITORY: { value: props.source.name } } : {}),
      },
      buildSpec: BuildSpec.fromObject(pullRequestBuildSpec({ reportGroupArn: this.reportGroup.reportGroupArn, commentOnCodeCommit: codeCommit })),
      logging: {
        cloudWatch: {
          logGroup: new LogGroup(this, 'Logs', {
            logGroupName: `/${PLATFORM_PREFIX}/${props.teamId}/delivery/pull-requests`,
            encryptionKey: props.key,
            retention: props.logRetention,
            removalPolicy: RemovalPolicy.RETAIN,
          }),
        },
      },
    });
    if (codeCommit) this.rule = this.startOnCodeCommitPullRequests(props.source);
    else this.useConnection(props.source);
    this.grantChecks(props.source);
    const privileged = 'Building a container image needs the Docker daemon, which CodeBuild runs only in privileged mode; the buildspec is the '
      + 'platform\'s, and the team\'s tests and Dockerfile steps run in nested containers that cannot reach the credentials endpoints (CM-7).';
    for (const rule of ['AwsSolutions-CB3', 'CT.CODEBUILD.PR.4']) acknowledge(this.project, rule, privileged);
  }

  /** The connection authenticates the source and the webhook; the fork policy and filter decide what builds. */
  private useConnection(source: SourceRepository): void {
    const cfn = this.project.node.defaultChild as CfnProject;
    if (source.provider === 'gitlab') {
      cfn.addPropertyOverride('Source.Type', 'GITLAB');
      cfn.addPropertyOverride('Source.Location', `https://gitlab.com/${source.name}.git`);
    }
    cfn.addPropertyOverride('Source.Auth', { Type: 'CODECONNECTIONS', Resource: source.connectionArn });
    cfn.addPropertyOverride('Triggers.PullRequestBuildPolicy', pullRequestBuildPolicy(source.provider as 'github' | 'gitlab' | 'bitbucket'));
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'UseSourceConnection',
      actions: [
        'codeconnections:UseConnection', 'codeconnections:GetConnection', 'codeconnections:GetConnectionToken',
        'codestar-connections:UseConnection', 'codestar-connections:GetConnection', 'codestar-connections:GetConnectionToken',
      ],
      resources: [source.connectionArn!],
    }));
  }

  /** CodeCommit: the pull request's head commit, its id and the base commit go to the build. */
  private startOnCodeCommitPullRequests(source: SourceRepository): Rule {
    const arn = Stack.of(this).formatArn({ service: 'codecommit', resource: source.name });
    const rule = new Rule(this, 'PullRequests', {
      description: `Springboard pull-request checks: starts ${this.project.projectName} on a pull request into ${source.branch}`,
      eventPattern: codeCommitPullRequestPattern(arn, source.branch),
    });
    const variable = (name: string, path: string) => ({ name, value: EventField.fromPath(path), type: 'PLAINTEXT' });
    rule.addTarget(new CodeBuildProject(this.project, {
      event: RuleTargetInput.fromObject({
        sourceVersion: EventField.fromPath('$.detail.sourceCommit'),
        environmentVariablesOverride: [
          variable('PULL_REQUEST_ID', '$.detail.pullRequestId'),
          variable('DESTINATION_COMMIT', '$.detail.destinationCommit'),
        ],
      }),
    }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ sid: 'CommentOnPullRequests', actions: ['codecommit:PostCommentForPullRequest'], resources: [arn] }));
    return rule;
  }

  private grantChecks(source: SourceRepository): void {
    this.images.grantPullPush(this.role);
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'ReadScanOfPullRequestImages',
      actions: ['ecr:DescribeImages', 'ecr:DescribeImageScanFindings'],
      resources: [this.images.repositoryArn],
    }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ sid: 'ReadRegistryScanType', actions: ['ecr:GetRegistryScanningConfiguration'], resources: ['*'] }));
    this.reportGroup.grantWrite(this.role);
    acknowledge(this.role, 'AwsSolutions-IAM5', 'Wildcards come from CDK\'s grants and are each bounded to this team: its delivery key (GenerateDataKey*, '
      + 'ReEncrypt*), its pull-request project\'s log streams and report groups; ecr:GetAuthorizationToken and ecr:GetRegistryScanningConfiguration '
      + `(read-only) have no resource-level permissions; pushes go only to the team's pull-request repository (${source.provider}) (AC-6).`);
  }
}

function sourceOf(scope: Construct, repo: SourceRepository): ISource {
  if (repo.provider === 'codecommit') {
    return Source.codeCommit({ repository: CodeCommitRepository.fromRepositoryName(scope, 'SourceRepository', repo.name) });
  }
  const cut = repo.name.lastIndexOf('/');
  const [owner, name] = [repo.name.slice(0, cut), repo.name.slice(cut + 1)];
  const filter = pullRequestFilterGroup(repo.provider, repo.branch);
  // GitLab has no L2 source: the GitHub source's shape with the type and location overridden (useConnection).
  return repo.provider === 'bitbucket'
    ? Source.bitBucket({ owner, repo: name, webhook: true, reportBuildStatus: true, webhookFilters: [filter] })
    : Source.gitHub({ owner, repo: name, webhook: true, reportBuildStatus: true, webhookFilters: [filter] });
}
