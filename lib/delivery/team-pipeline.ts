/**
 * A team's delivery pipeline (CodePipeline V2), named and staged by the naming contract:
 * Source → Build → one stage per environment (Deploy, Verify; prod: Approve, Deploy, Verify), with a
 * Migrate action before Deploy where the environment has a database.
 * Triggered by a push to the registry's branch (a CodeConnections trigger or a CodeCommit
 * EventBridge rule), never by polling. Deploy is CodePipeline's ECS action, run as the
 * environment's deploy role; Verify is the platform's smoke check, which also records the release;
 * Migrate runs the repository's migrate command as a one-off task (migrate-step.ts, docs/migrations.md).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Repository as CodeCommitRepository } from 'aws-cdk-lib/aws-codecommit';
import {
  Action, Artifact, IAction, Pipeline, PipelineType, ProviderType,
} from 'aws-cdk-lib/aws-codepipeline';
import {
  CodeBuildAction, CodeBuildActionType, CodeCommitSourceAction, CodeCommitTrigger, CodeStarConnectionsSourceAction, EcsDeployAction,
  LambdaInvokeAction, ManualApprovalAction,
} from 'aws-cdk-lib/aws-codepipeline-actions';
import { IRepository } from 'aws-cdk-lib/aws-ecr';
import { FargateService } from 'aws-cdk-lib/aws-ecs';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ServiceBuild, VerifyProject } from './build-projects';
import { BUILD_VARIABLES } from './buildspecs';
import { MIGRATOR_DATABASE_USER, MigrateStep } from './migrate-step';
import { DeliveryNotifications } from './notifications';
import { imageScanType } from './registry-scanning';
import { DeployTarget, deployTargets } from './targets';
import { acknowledge } from '../compliance/acknowledgments';
import {
  APPROVAL_ACTION_NAME, BUILD_STAGE_NAME, DEPLOY_ACTION_NAME, MIGRATE_ACTION_NAME, SERVICE_CONTAINER_NAME, SOURCE_STAGE_NAME, VERIFY_ACTION_NAME,
  deliveryKeyAlias, codeCommitCommitUrl, deliveryProjectName, environmentStageName, pipelineExecutionUrl, pipelineName, pipelineRoleName,
} from '../contract';
import type { PlatformSettings, SourceRepository, TeamSpec } from '../registry/types';

/** Namespace of the source action's variables (`#{SourceVariables.CommitId}`). */
export const SOURCE_VARIABLES = 'SourceVariables';
const COMMIT_ID = `#{${SOURCE_VARIABLES}.CommitId}`;
/** Namespace of the build's exported variables (BUILD_VARIABLES), which the Migrate actions read. */
export const BUILD_VARIABLES_NAMESPACE = 'BuildVariables';

export interface TeamPipelineProps {
  readonly team: TeamSpec;
  readonly platform: PlatformSettings;
  /** The team's image repository (same stack). */
  readonly repository: IRepository;
  /** Encrypts the topic and the build logs (the tooling region's delivery key). */
  readonly key: IKey;
  /**
   * The artifact store per region, each bucket with its encryption key: the tooling region and
   * every region of the team's environments.
   */
  readonly artifactStores: Readonly<Record<string, IBucket>>;
  readonly logRetention: RetentionDays;
  /**
   * How long an ECS rollout may take before the Deploy action fails.
   * @default Duration.minutes(30)
   */
  readonly deploymentTimeout?: Duration;
  /**
   * How long a migration task may run before the Migrate step stops it and fails the action (under
   * CodePipeline's 24-hour limit of a Lambda invoke action).
   * @default Duration.minutes(30)
   */
  readonly migrationTimeout?: Duration;
}

export class TeamPipeline extends Construct {
  readonly pipeline: Pipeline;
  readonly role: Role;
  readonly build: ServiceBuild;
  readonly verify: VerifyProject;
  readonly notifications: DeliveryNotifications;
  /** The Migrate step's function, when an environment of the team has a database. */
  readonly migrate?: MigrateStep;

  constructor(scope: Construct, id: string, props: TeamPipelineProps) {
    super(scope, id);
    const { team, platform } = props;
    validateStores(team, platform, props.artifactStores);
    const stack = Stack.of(this);
    this.role = this.pipelineRole(team.id);
    this.build = new ServiceBuild(this, 'Build', {
      teamId: team.id,
      repository: props.repository,
      key: props.key,
      logRetention: props.logRetention,
      scanType: imageScanType(platform.imageScanning),
    });
    this.verify = new VerifyProject(this, 'Verify', {
      teamId: team.id, role: this.role, repositoryUri: props.repository.repositoryUri, key: props.key, logRetention: props.logRetention,
    });
    this.notifications = new DeliveryNotifications(this, 'Notifications', {
      teamId: team.id, key: props.key, contacts: [team.contacts.owner, team.contacts.onCall],
    });

    const migrated = deployTargets(team).filter(t => t.migratorTaskRoleArn);
    if (migrated.length > 0) {
      this.migrate = new MigrateStep(this, 'Migrate', { teamId: team.id, targets: migrated, key: props.key, logRetention: props.logRetention });
    }
    validateMigrationTimeout(props.migrationTimeout);

    const source = new Artifact('Source');
    const built = new Artifact('Built');
    const sourceAction = sourceActionFor(this, team.repository, source);
    this.pipeline = new Pipeline(this, 'Pipeline', {
      pipelineName: pipelineName(team.id),
      pipelineType: PipelineType.V2,
      role: this.role,
      usePipelineRoleForActions: true,
      crossRegionReplicationBuckets: { ...props.artifactStores },
      restartExecutionOnUpdate: false,
      triggers: sourceAction instanceof CodeStarConnectionsSourceAction ? [{
        providerType: ProviderType.CODE_STAR_SOURCE_CONNECTION,
        gitConfiguration: { sourceAction, pushFilter: [{ branchesIncludes: [team.repository.branch] }] },
      }] : undefined,
    });
    this.pipeline.addStage({ stageName: SOURCE_STAGE_NAME, actions: [sourceAction] });
    this.pipeline.addStage({
      stageName: BUILD_STAGE_NAME,
      actions: [new CodeBuildAction({
        actionName: 'Build',
        project: this.build.project,
        input: source,
        outputs: [built],
        environmentVariables: { COMMIT_ID: { value: COMMIT_ID } },
        variablesNamespace: BUILD_VARIABLES_NAMESPACE,
      })],
    });
    const link = revisionLink(team.repository, platform.tooling.region);
    for (const target of deployTargets(team)) {
      const stageName = environmentStageName(target.environment.name);
      this.pipeline.addStage({ stageName, actions: this.environmentActions(target, built, link, props) });
    }
    this.notifications.watch(this.pipeline, executionId => pipelineExecutionUrl(stack.region, this.pipeline.pipelineName, executionId));
    this.grantDelivery(team, platform);
    acknowledge(this.role, 'AwsSolutions-IAM5', 'Wildcards come from CDK\'s pipeline and CodeBuild grants and are each bounded to this team: objects '
      + 'of its own artifact buckets, its delivery keys (in other regions by their alias, the only stable name of a key there), the Verify '
      + 'project\'s log streams and report groups (AC-6).');
  }

  /** The role every deploy role trusts, by this exact name. CodeBuild may assume it only for the Verify project. */
  private pipelineRole(teamId: string): Role {
    const stack = Stack.of(this);
    const role = new Role(this, 'Role', {
      roleName: pipelineRoleName(teamId),
      assumedBy: new ServicePrincipal('codepipeline.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
      description: `Springboard pipeline of ${teamId}: runs its pipeline and assumes its environments' deploy roles`,
    });
    role.assumeRolePolicy!.addStatements(new PolicyStatement({
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal('codebuild.amazonaws.com')],
      actions: ['sts:AssumeRole'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': stack.formatArn({ service: 'codebuild', resource: 'project', resourceName: deliveryProjectName(teamId, 'verify') }) },
      },
    }));
    return role;
  }

  private environmentActions(target: DeployTarget, built: Artifact, link: string, props: TeamPipelineProps): IAction[] {
    const env = target.environment;
    const actions: IAction[] = [];
    if (env.isProd) {
      actions.push(new ManualApprovalAction({
        actionName: APPROVAL_ACTION_NAME,
        runOrder: 1,
        notificationTopic: this.notifications.topic,
        additionalInformation: `Release ${COMMIT_ID} of ${props.team.id} to ${env.name} (${env.account}, ${env.region})? `
          + 'It passed every earlier environment\'s smoke check. Review the change, then approve or reject.',
        externalEntityLink: link,
      }));
    }
    if (target.migratorTaskRoleArn && this.migrate) {
      actions.push(this.migrateAction(target, actions.length + 1, props.migrationTimeout ?? Duration.minutes(30)));
    }
    const services = `${environmentStageName(env.name)}Service`;
    actions.push(new EcsDeployAction({
      actionName: DEPLOY_ACTION_NAME,
      runOrder: actions.length + 1,
      service: FargateService.fromServiceArnWithCluster(this, services, target.serviceArn),
      input: built,
      role: Role.fromRoleArn(this, `${environmentStageName(env.name)}DeployRole`, target.deployRoleArn, { mutable: false }),
      deploymentTimeout: props.deploymentTimeout ?? Duration.minutes(30),
    }));
    actions.push(new CodeBuildAction({
      actionName: VERIFY_ACTION_NAME,
      runOrder: actions.length + 1,
      type: CodeBuildActionType.TEST,
      project: this.verify.project,
      input: built,
      environmentVariables: {
        ENVIRONMENT_NAME: { value: env.name },
        DEPLOY_ROLE_ARN: { value: target.deployRoleArn },
        TARGET_REGION: { value: env.region },
        CLUSTER: { value: target.clusterName },
        SERVICE: { value: target.serviceName },
        RELEASE_PARAMETER: { value: target.releaseParameterName },
        HEALTH_CHECK_PATH: { value: env.service.healthCheckPath },
        DESIRED_COUNT: { value: String(env.service.desiredCount) },
        HTTPS: { value: String(Boolean(env.certificateArn)) },
        // CodeBuild cannot call an internal load balancer, nor one narrowed to allowed ranges.
        LOAD_BALANCER_REACHABLE: { value: String(!env.loadBalancer.internal && env.loadBalancer.allowedCidrs === undefined) },
      },
    }));
    return actions;
  }

  /**
   * The Migrate action of one environment: the step's function, given where to run (through the
   * environment's deploy role) and what (the built image by digest, the repository's command).
   */
  private migrateAction(target: DeployTarget, runOrder: number, timeout: Duration): LambdaInvokeAction {
    const variable = (name: string) => `#{${BUILD_VARIABLES_NAMESPACE}.${name}}`;
    return new LambdaInvokeAction({
      actionName: MIGRATE_ACTION_NAME,
      runOrder,
      lambda: this.migrate!.function,
      userParameters: {
        deployRoleArn: target.deployRoleArn,
        region: target.environment.region,
        cluster: target.clusterName,
        service: target.serviceName,
        containerName: SERVICE_CONTAINER_NAME,
        imageUri: variable(BUILD_VARIABLES.imageUri),
        migrateCommand: variable(BUILD_VARIABLES.migrateCommand),
        timeoutSeconds: timeout.toSeconds(),
        migratorTaskRoleArn: target.migratorTaskRoleArn,
        migratorUser: MIGRATOR_DATABASE_USER,
      },
    });
  }

  /**
   * What the pipeline role needs beyond CDK's own grants: the artifact keys of other regions (an
   * alias names them; KMS authorizes by the key's aliases), the source connection and the topic's key.
   */
  private grantDelivery(team: TeamSpec, platform: PlatformSettings): void {
    const stack = Stack.of(this);
    const regions = Object.keys(this.pipeline.crossRegionSupport).concat(platform.tooling.region);
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'UseArtifactKeysByAlias',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      resources: [...new Set(regions)].sort().map(region => `arn:${stack.partition}:kms:${region}:${stack.account}:key/*`),
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': deliveryKeyAlias(team.id) } },
    }));
    if (team.repository.provider !== 'codecommit') {
      this.role.addToPrincipalPolicy(new PolicyStatement({
        sid: 'UseSourceConnection',
        actions: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'],
        resources: [team.repository.connectionArn!],
      }));
    }
  }
}

function sourceActionFor(scope: Construct, repo: SourceRepository, output: Artifact): Action {
  if (repo.provider === 'codecommit') {
    return new CodeCommitSourceAction({
      actionName: 'Source',
      repository: CodeCommitRepository.fromRepositoryName(scope, 'SourceRepository', repo.name),
      branch: repo.branch,
      output,
      trigger: CodeCommitTrigger.EVENTS,
      variablesNamespace: SOURCE_VARIABLES,
    });
  }
  const cut = repo.name.lastIndexOf('/');
  if (cut <= 0 || cut === repo.name.length - 1) {
    throw new Error(`repository.name must be "owner/name" for ${repo.provider}, received "${repo.name}"`);
  }
  if (!repo.connectionArn) throw new Error(`repository.connectionArn is required for ${repo.provider} (a CodeConnections connection), received none`);
  return new CodeStarConnectionsSourceAction({
    actionName: 'Source',
    connectionArn: repo.connectionArn,
    owner: repo.name.slice(0, cut),
    repo: repo.name.slice(cut + 1),
    branch: repo.branch,
    output,
    // The pipeline's push trigger (branch filter) starts it; with a trigger, change detection is off anyway.
    triggerOnPush: false,
    variablesNamespace: SOURCE_VARIABLES,
  });
}

/** A link to the commit being released, for the approver. */
export function revisionLink(repo: SourceRepository, toolingRegion: string): string {
  switch (repo.provider) {
    case 'github': return `https://github.com/${repo.name}/commit/${COMMIT_ID}`;
    case 'gitlab': return `https://gitlab.com/${repo.name}/-/commit/${COMMIT_ID}`;
    case 'bitbucket': return `https://bitbucket.org/${repo.name}/commits/${COMMIT_ID}`;
    case 'codecommit': return codeCommitCommitUrl(toolingRegion, repo.name, COMMIT_ID);
  }
}

/** CodePipeline fails a Lambda invoke action after 24 hours; the step must stop the task and report before that. */
function validateMigrationTimeout(timeout: Duration | undefined): void {
  if (timeout === undefined) return;
  const hours = timeout.toHours({ integral: false });
  if (hours < 1 / 60 || hours > 23) {
    throw new Error(`migrationTimeout must be between 1 minute and 23 hours (CodePipeline ends a Lambda invoke action after 24 hours), received ${timeout.toHumanString()}`);
  }
}

function validateStores(team: TeamSpec, platform: PlatformSettings, stores: Readonly<Record<string, IBucket>>): void {
  const needed = [...new Set([platform.tooling.region, ...team.environments.map(e => e.region)])].sort();
  const missing = needed.filter(r => !stores[r]);
  if (missing.length > 0) {
    throw new Error(`pipeline of ${team.id} needs an artifact store in ${missing.join(', ')}; received stores for ${Object.keys(stores).sort().join(', ') || 'no region'}`);
  }
  const unencrypted = Object.entries(stores).filter(([, b]) => !b.encryptionKey).map(([r]) => r);
  if (unencrypted.length > 0) throw new Error(`artifact stores must have an encryption key (cross-account deploys), received none in ${unencrypted.join(', ')}`);
}
