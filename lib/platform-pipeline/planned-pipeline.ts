/**
 * Realizes one planned pipeline: a CodePipeline V2 in the tooling account, never polling, whose
 * actions are exactly the plan's. Every action runs in one CodeBuild project of the pipeline; the
 * deploy actions assume the CDK bootstrap roles of the target account, so the artifacts never leave
 * the tooling account.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { buildspecObject, SYNTH_ARTIFACT } from './buildspec';
import type { PlannedAction, PlannedPipeline } from './plan';
import { acknowledge } from '../compliance/acknowledgments';
import { SECURE_BUCKET_DEFAULTS } from '../construct-kit/bucket-defaults';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { bootstrapRolesArnPattern, DEFAULT_BOOTSTRAP_QUALIFIER, teamPlatformPipelineName } from '../contract';
import type { SourceRepository } from '../registry/types';

export interface PlannedPipelineProps {
  /** The plan of this pipeline. */
  readonly plan: PlannedPipeline;
  /** The Springboard repository. */
  readonly repository: SourceRepository;
  /** Accounts whose CDK bootstrap roles the deploy actions assume. */
  readonly targetAccounts: readonly string[];
  /** Days the build logs stay in CloudWatch Logs. */
  readonly logRetentionDays: number;
  /**
   * CDK bootstrap qualifier of the target accounts.
   * @default DEFAULT_BOOTSTRAP_QUALIFIER ('hnb659fds', the CDK default)
   */
  readonly bootstrapQualifier?: string;
}

export class PlannedPipelineConstruct extends Construct {
  readonly pipeline: codepipeline.Pipeline;
  readonly project: codebuild.PipelineProject;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PlannedPipelineProps) {
    super(scope, id);
    const { plan } = props;
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Artifacts and logs of ${plan.name}`, removalPolicy: RemovalPolicy.RETAIN });
    const bucket = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...SECURE_BUCKET_DEFAULTS,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    });
    limitGrantsToAwsServices(this.key);
    const why = 'Pipeline artifacts are intermediates written and read only by this pipeline and its one CodeBuild project; S3 cannot '
      + 'deliver server access logs into the KMS-encrypted log archive, and each execution records the artifacts it used (AU-2).';
    for (const rule of ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'CT.S3.PR.2']) acknowledge(bucket, rule, why);
    this.project = this.buildProject(props, bucket);
    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: plan.name,
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: bucket,
      // The platform pipeline restarts on the definition it has just deployed; a team pipeline's
      // definition is updated before the platform pipeline starts it, so it never needs to.
      restartExecutionOnUpdate: plan.trigger === 'push',
    });
    const source = new codepipeline.Artifact('Source');
    const synth = new codepipeline.Artifact(SYNTH_ARTIFACT);
    for (const stage of plan.stages) {
      this.pipeline.addStage({ stageName: stage.name, actions: stage.actions.map(a => this.action(a, props, source, synth)) });
    }
    this.bound();
    acknowledge(this, 'AwsSolutions-IAM5', 'Wildcards come from CDK\'s pipeline and CodeBuild grants and are bounded to this pipeline: objects '
      + 'of its own artifact bucket, its own key, its own log group and report groups; sts:AssumeRole is limited to the CDK bootstrap '
      + 'roles (cdk-<qualifier>-*) of the accounts this pipeline deploys to, which the bootstrap trusts only from the tooling account.');
  }

  /**
   * A boundary of the pipeline's own roles: the team boundary would deny CodeBuild, CodePipeline and
   * CodeConnections, so these roles get one that allows only what a platform pipeline does.
   */
  private bound(): void {
    const boundary = new iam.ManagedPolicy(this, 'Boundary', {
      description: 'Most a platform pipeline role may ever do',
      statements: [new iam.PolicyStatement({
        sid: 'PlatformPipelineActions',
        actions: [
          'codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild', 'codebuild:CreateReportGroup', 'codebuild:CreateReport',
          'codebuild:UpdateReport', 'codebuild:BatchPutTestCases', 'codebuild:BatchPutCodeCoverages',
          'codestar-connections:UseConnection', 'codeconnections:UseConnection', 'codecommit:GitPull', 'codecommit:Get*', 'codecommit:UploadArchive',
          'codepipeline:StartPipelineExecution', 'codepipeline:PutApprovalResult',
          's3:GetObject*', 's3:PutObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*',
          'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey',
          'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sts:AssumeRole',
        ],
        resources: ['*'],
      })],
    });
    iam.PermissionsBoundary.of(this).apply(boundary);
  }

  private buildProject(props: PlannedPipelineProps, bucket: s3.IBucket): codebuild.PipelineProject {
    const logGroup = new logs.LogGroup(this, 'BuildLogs', {
      encryptionKey: this.key, retention: retentionDays(props.logRetentionDays), removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`));
    const project = new codebuild.PipelineProject(this, 'Steps', {
      description: `Steps of ${props.plan.name}: synth, deploy, broadening check, release`,
      buildSpec: codebuild.BuildSpec.fromObject(buildspecObject({ synthTeams: props.plan.synthTeams, synthScope: props.plan.synthScope })),
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.MEDIUM },
      encryptionKey: this.key,
      timeout: Duration.hours(2),
      logging: { cloudWatch: { logGroup } },
      environmentVariables: { PIPELINE: { value: props.plan.name }, ARTIFACT_BUCKET: { value: bucket.bucketName } },
    });
    bucket.grantReadWrite(project);
    const qualifier = props.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    project.addToRolePolicy(new iam.PolicyStatement({
      sid: 'AssumeCdkBootstrapRoles',
      actions: ['sts:AssumeRole'],
      resources: [...new Set(props.targetAccounts)].sort().map(a => bootstrapRolesArnPattern(Aws.PARTITION, a, qualifier)),
    }));
    if (props.plan.stages.some(s => s.actions.some(a => a.kind === 'release'))) {
      project.addToRolePolicy(new iam.PolicyStatement({
        sid: 'StartTeamPlatformPipelines',
        actions: ['codepipeline:StartPipelineExecution'],
        resources: [`arn:${Aws.PARTITION}:codepipeline:${Aws.REGION}:${Aws.ACCOUNT_ID}:${teamPlatformPipelineName('*')}`],
      }));
    }
    return project;
  }

  private action(a: PlannedAction, props: PlannedPipelineProps, source: codepipeline.Artifact, synth: codepipeline.Artifact): codepipeline.IAction {
    const common = { actionName: a.name, runOrder: a.runOrder };
    switch (a.kind) {
      case 'source':
        return sourceAction(this, props.repository, source, props.plan.trigger === 'push');
      case 'approval':
        return new actions.ManualApprovalAction({
          ...common,
          additionalInformation: `${props.plan.name}: the broadening check passed; approve to deploy production from this commit.`,
        });
      case 'synth':
        return new actions.CodeBuildAction({ ...common, project: this.project, input: source, outputs: [synth], environmentVariables: step('synth') });
      default:
        return new actions.CodeBuildAction({
          ...common, project: this.project, input: source, extraInputs: [synth], environmentVariables: this.stepVariables(a, props),
        });
    }
  }

  private stepVariables(a: PlannedAction, props: PlannedPipelineProps): Record<string, codebuild.BuildEnvironmentVariable> {
    const subset = props.plan.team ? `--team ${props.plan.team}` : '--baselines';
    switch (a.kind) {
      case 'deploy':
        return { ...step('deploy'), STACK: { value: a.target!.artifactId }, GUARDED: { value: String(a.target!.prod) } };
      case 'broadening-check':
      case 'record-approved':
        return { ...step(a.kind), SUBSET: { value: subset } };
      case 'release':
        return { ...step('release'), COMMIT_ID: { value: '#{SourceVariables.CommitId}' } };
      default:
        return step(a.kind);
    }
  }
}

function step(name: string): Record<string, codebuild.BuildEnvironmentVariable> {
  return { STEP: { value: name } };
}

/** The Springboard repository as a source: a push triggers the platform pipeline; team pipelines are started with a commit id. */
function sourceAction(scope: Construct, repo: SourceRepository, output: codepipeline.Artifact, onPush: boolean): codepipeline.IAction {
  if (repo.provider === 'codecommit') {
    return new actions.CodeCommitSourceAction({
      actionName: 'Source',
      variablesNamespace: 'SourceVariables',
      output,
      branch: repo.branch,
      repository: codecommit.Repository.fromRepositoryName(scope, 'SourceRepository', repo.name),
      trigger: onPush ? actions.CodeCommitTrigger.EVENTS : actions.CodeCommitTrigger.NONE,
    });
  }
  const [owner, ...rest] = repo.name.split('/');
  return new actions.CodeStarConnectionsSourceAction({
    actionName: 'Source',
    variablesNamespace: 'SourceVariables',
    output,
    connectionArn: repo.connectionArn!,
    owner,
    repo: rest.join('/'),
    branch: repo.branch,
    triggerOnPush: onPush,
    codeBuildCloneOutput: false,
  });
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0).sort((x, y) => x - y);
  return (allowed.find(v => v >= days) ?? logs.RetentionDays.INFINITE) as logs.RetentionDays;
}

