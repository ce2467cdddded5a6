/**
 * Realizes one planned pipeline: a CodePipeline V2 in the tooling account, never polling, whose
 * actions are exactly the plan's. A CodeBuild project has one role, so each stage kind has its own
 * project: Synth (reads its source, writes its artifact, assumes nothing), non-prod deploys (may
 * assume only the non-prod accounts' bootstrap roles) and prod deploys (prod and tooling accounts,
 * run only after the approval). The deploy actions assume the CDK bootstrap roles of the target
 * account, so the artifacts never leave the tooling account.
 */
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { APPROVED_PREFIX, BROADENING_REPORT_FILE, buildspecObject, REPORTS_PREFIX, SYNTH_ARTIFACT } from './buildspec';
import { projectFor, unapprovedProdActions } from './plan';
import type { PlannedAction, PlannedPipeline, StageProject } from './plan';
import { acknowledge } from '../compliance/acknowledgments';
import { SECURE_BUCKET_DEFAULTS } from '../construct-kit/bucket-defaults';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { approvalTopicName, bootstrapRolesArnPattern, consoleHost, DEFAULT_BOOTSTRAP_QUALIFIER, platformDeployRoleName, teamPlatformPipelineName } from '../contract';
import { AlertTopic } from '../observability/alert-topic';
import type { ApproverSettings, SourceRepository } from '../registry/types';

export interface PlannedPipelineProps {
  /** The plan of this pipeline. */
  readonly plan: PlannedPipeline;
  /** The Springboard repository. */
  readonly repository: SourceRepository;
  /** Accounts whose CDK bootstrap roles the deploy actions assume. */
  readonly targetAccounts: readonly string[];
  /** Accounts that hold production (registry-wide): the tooling account and every account with a prod environment. */
  readonly prodAccounts: ReadonlySet<string>;
  /** Days the build logs stay in CloudWatch Logs. */
  readonly logRetentionDays: number;
  /**
   * Where approval requests are announced (e-mail, chat), as alarms are routed.
   * @default - the topic has no subscription
   */
  readonly approvers?: ApproverSettings;
  /**
   * CDK bootstrap qualifier of the target accounts.
   * @default DEFAULT_BOOTSTRAP_QUALIFIER ('hnb659fds', the CDK default)
   */
  readonly bootstrapQualifier?: string;
}

export class PlannedPipelineConstruct extends Construct {
  readonly pipeline: codepipeline.Pipeline;
  /** One project per stage kind, each with a role of its own. */
  readonly projects: Readonly<Record<StageProject, codebuild.PipelineProject>>;
  readonly key: kms.Key;
  /** Every approval of this pipeline is announced here. */
  readonly approvals: AlertTopic;
  private readonly bucket: s3.IBucket;

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
    const unapproved = unapprovedProdActions(plan, props.prodAccounts);
    if (unapproved.length > 0) {
      throw new Error(`${plan.name}: ${unapproved.join('; ')}. Put non-prod environments in accounts that host no prod environment and are not the tooling account.`);
    }
    this.bucket = bucket;
    this.approvals = new AlertTopic(this, 'Approvals', {
      topicName: approvalTopicName(plan.name),
      key: this.key,
      owner: props.approvers?.contact,
      chat: props.approvers?.chat,
      chatConfigurationName: approvalTopicName(plan.name),
      // Published to by the pipeline's own role when an approval starts; no AWS service publishes.
      publishers: [],
    });
    this.projects = this.buildProjects(props, bucket);
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
      + 'roles (cdk-<qualifier>-*) of the non-prod accounts (non-prod project) or prod and tooling accounts (prod project) this pipeline '
      + 'deploys to; the Synth project may assume nothing.');
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
          // No codepipeline:PutApprovalResult: no role of the pipeline may approve its own prod deploys.
          'codepipeline:StartPipelineExecution',
          // The approvals announce themselves on the pipeline's own topic.
          'sns:Publish',
          's3:GetObject*', 's3:PutObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*',
          'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey',
          'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sts:AssumeRole',
        ],
        resources: ['*'],
      })],
    });
    iam.PermissionsBoundary.of(this).apply(boundary);
  }

  private buildProjects(props: PlannedPipelineProps, bucket: s3.IBucket): Record<StageProject, codebuild.PipelineProject> {
    const logGroup = new logs.LogGroup(this, 'BuildLogs', {
      encryptionKey: this.key, retention: retentionDays(props.logRetentionDays), removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`));
    const project = (kind: StageProject, id: string, description: string, env: Record<string, string>) => new codebuild.PipelineProject(this, id, {
      description: `${description} of ${props.plan.name}`,
      // The deploy roles are named: each account's bootstrap trusts exactly them (bootstrap/).
      role: kind === 'synth' ? undefined : new iam.Role(this, `${id}Role`, {
        roleName: platformDeployRoleName(props.plan.name, kind),
        assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      }),
      buildSpec: codebuild.BuildSpec.fromObject(buildspecObject(kind, { synthTeams: props.plan.synthTeams, synthScope: props.plan.synthScope })),
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.MEDIUM },
      encryptionKey: this.key,
      timeout: Duration.hours(2),
      logging: { cloudWatch: { logGroup } },
      environmentVariables: Object.fromEntries(Object.entries({ PIPELINE: props.plan.name, ...env }).map(([k, value]) => [k, { value }])),
    });
    const synth = project('synth', 'Synth', 'Provenance check and synth', { SOURCE_BRANCH: props.repository.branch });
    const nonProd = project('non-prod', 'NonProdDeploy', 'Non-prod deploys and the broadening check', { ARTIFACT_BUCKET: bucket.bucketName });
    const prod = project('prod', 'ProdDeploy', 'Prod and tooling deploys, pipeline updates and release, after the approval', { ARTIFACT_BUCKET: bucket.bucketName });
    const approved = bucket.arnForObjects(`${APPROVED_PREFIX}/${props.plan.name}/*`);
    nonProd.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadApprovedAssembly', actions: ['s3:GetObject'], resources: [approved] }));
    nonProd.addToRolePolicy(new iam.PolicyStatement({
      sid: 'WriteBroadeningReport', actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${REPORTS_PREFIX}/${props.plan.name}/*`)],
    }));
    prod.addToRolePolicy(new iam.PolicyStatement({ sid: 'RecordApprovedAssembly', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [approved] }));
    for (const p of [nonProd, prod]) {
      p.addToRolePolicy(new iam.PolicyStatement({ sid: 'ListApprovedAssembly', actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': `${APPROVED_PREFIX}/${props.plan.name}/*` } } }));
    }
    // Decrypt the approved assembly; encrypt the broadening report.
    this.key.grantEncryptDecrypt(nonProd);
    this.key.grantEncryptDecrypt(prod);
    const qualifier = props.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    const accounts = [...new Set(props.targetAccounts)].sort();
    const assume = (p: codebuild.PipelineProject, sid: string, targets: string[]) => {
      if (targets.length === 0) return;
      p.addToRolePolicy(new iam.PolicyStatement({
        sid, actions: ['sts:AssumeRole'], resources: targets.map(a => bootstrapRolesArnPattern(Aws.PARTITION, a, qualifier)),
      }));
    };
    assume(nonProd, 'AssumeNonProdCdkBootstrapRoles', accounts.filter(a => !props.prodAccounts.has(a)));
    assume(prod, 'AssumeProdCdkBootstrapRoles', accounts.filter(a => props.prodAccounts.has(a)));
    if (props.plan.stages.some(s => s.actions.some(a => a.kind === 'release'))) {
      prod.addToRolePolicy(new iam.PolicyStatement({
        sid: 'StartTeamPlatformPipelines',
        actions: ['codepipeline:StartPipelineExecution'],
        resources: [`arn:${Aws.PARTITION}:codepipeline:${Aws.REGION}:${Aws.ACCOUNT_ID}:${teamPlatformPipelineName('*')}`],
      }));
    }
    return { 'synth': synth, 'non-prod': nonProd, 'prod': prod };
  }

  private action(a: PlannedAction, props: PlannedPipelineProps, source: codepipeline.Artifact, synth: codepipeline.Artifact): codepipeline.IAction {
    const common = { actionName: a.name, runOrder: a.runOrder };
    switch (a.kind) {
      case 'source':
        return sourceAction(this, props.repository, source, props.plan.trigger === 'push');
      case 'approval':
        return new actions.ManualApprovalAction({
          ...common,
          notificationTopic: this.approvals.topic,
          // The custom data and the review link both lead to this execution's broadening report.
          additionalInformation: `${props.plan.name}: the broadening check passed; read its report before approving production `
            + `from this commit: ${this.reportUrl(props.plan.name)}`,
          externalEntityLink: this.reportUrl(props.plan.name),
        });
      case 'synth':
        return new actions.CodeBuildAction({ ...common, project: this.projects.synth, input: source, outputs: [synth], environmentVariables: step('synth') });
      default:
        return new actions.CodeBuildAction({
          ...common,
          project: this.projects[projectFor(a, props.prodAccounts)!],
          input: source,
          extraInputs: [synth],
          environmentVariables: this.stepVariables(a, props),
        });
    }
  }

  /** Console link of this execution's broadening report (CodePipeline resolves the execution id when the approval starts). */
  private reportUrl(pipelineName: string): string {
    const region = Stack.of(this).region;
    const key = `${REPORTS_PREFIX}/${pipelineName}/#{codepipeline.PipelineExecutionId}/${BROADENING_REPORT_FILE}`;
    return `https://${consoleHost(region)}/s3/object/${this.bucket.bucketName}?region=${region}&prefix=${key}`;
  }

  private stepVariables(a: PlannedAction, props: PlannedPipelineProps): Record<string, codebuild.BuildEnvironmentVariable> {
    const subset = props.plan.team ? `--team ${props.plan.team}` : '--baselines';
    switch (a.kind) {
      case 'deploy':
        return { ...step('deploy'), STACK: { value: a.target!.artifactId }, GUARDED: { value: String(a.target!.prod) } };
      case 'broadening-check':
        return { ...step(a.kind), SUBSET: { value: subset }, EXECUTION_ID: { value: '#{codepipeline.PipelineExecutionId}' } };
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
      // A full clone, so the Synth step can check that the commit is on the branch.
      codeBuildCloneOutput: true,
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
    // A full clone through the connection, so the Synth step can check that the commit is on the branch.
    codeBuildCloneOutput: true,
  });
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0).sort((x, y) => x - y);
  return (allowed.find(v => v >= days) ?? logs.RetentionDays.INFINITE) as logs.RetentionDays;
}

