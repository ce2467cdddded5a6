/**
 * A team's stacks in the tooling account. `springboard-delivery-<team>` in the tooling region holds
 * the image repository, the pipeline, its build and verify projects, the delivery topic and the
 * artifact store; for each other region the team's environments use, a stack of the same name in
 * that region holds the artifact store there (CodePipeline needs one per region it deploys to).
 * They find each other by names CDK derives deterministically: no CloudFormation exports.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { applyPermissionsBoundary } from '../baseline';
import { applyTags } from '../construct-kit';
import { deliveryKeyAlias, deliveryStackName, SHARED_ENVIRONMENT, teamOwnerTags } from '../contract';
import { ArtifactReader, ArtifactStore, DeliveryBoundary, deployTargets, imageScanType, PullRequestChecks, TeamPipeline } from '../delivery';
import { ImageRepository } from '../environment';
import { denyOtherTeamsOnBuckets } from '../environment/bucket-isolation';
import { searchableRetention } from '../environment/classification-controls';
import { DeliveryMonitoring, TeamBudget, payerIsTooling } from '../observability';
import type { PlatformSettings, TeamSpec } from '../registry/types';

export interface DeliveryStackProps extends StackProps {
  readonly team: TeamSpec;
  readonly platform: PlatformSettings;
  /**
   * The team's artifact stores in the other regions of its environments, by region.
   * @default - none (every environment is in the tooling region)
   */
  readonly regionalStores?: readonly DeliveryRegionStack[];
}

export class DeliveryStack extends Stack {
  readonly images: ImageRepository;
  readonly artifacts: ArtifactStore;
  readonly pipeline: TeamPipeline;
  readonly pullRequests: PullRequestChecks;
  readonly monitoring: DeliveryMonitoring;

  constructor(scope: App | Construct, id: string, props: DeliveryStackProps) {
    const { team, platform } = props;
    super(scope, id, {
      ...props,
      stackName: deliveryStackName(team.id),
      env: { account: platform.tooling.account, region: platform.tooling.region },
      description: `Springboard delivery of ${team.id} (${team.displayName}): image repository, pipeline, artifact store`,
      terminationProtection: true,
      analyticsReporting: false,
    });
    this.images = new ImageRepository(this, 'Images', { teamId: team.id, pullAccounts: team.environments.map(e => e.account) });
    this.artifacts = new ArtifactStore(this, 'Artifacts', { teamId: team.id, readers: artifactReaders(team, this.region) });
    this.pipeline = new TeamPipeline(this, 'Delivery', {
      team,
      platform,
      repository: this.images.repository,
      key: this.artifacts.key,
      artifactStores: this.artifactStores(props.regionalStores ?? []),
      logRetention: searchableRetention(platform.logRetention.searchableDays, team.dataClassification, true),
    });
    // Pull requests get the same build, with no deploy and a role that reaches no environment account.
    this.pullRequests = new PullRequestChecks(this, 'PullRequests', {
      teamId: team.id,
      source: team.repository,
      key: this.artifacts.key,
      logRetention: searchableRetention(platform.logRetention.searchableDays, team.dataClassification, true),
      scanType: imageScanType(platform.imageScanning),
    });
    // The team boundary has no CodeBuild, CodePipeline or STS: the pipeline's roles carry the delivery boundary.
    const boundary = new DeliveryBoundary(this, 'Boundary', { teamId: team.id });
    // Build signals, the pipelineFailed route and the team overview; the topic and its e-mail subscriptions are the pipeline's.
    this.monitoring = new DeliveryMonitoring(this, 'Monitoring', {
      team, topic: this.pipeline.notifications.topic, topicKey: this.artifacts.key, subscribeOwner: false,
    });
    this.monitoring.addBuildMonitoring(this.pipeline.build.project);
    if (payerIsTooling(platform)) {
      const tags = { ...platform.tags, ...deliveryTags(team) };
      new TeamBudget(this, 'Budget', { teamId: team.id, monthlyUsd: team.budget.monthlyUsd, owner: team.contacts.owner, tags });
    }
    denyOtherTeamsOnBuckets(this, team.id);
    boundary.applyTo(this);
    applyTags(this, deliveryTags(team), platform.tags);
  }

  /**
   * CodePipeline is given views of the buckets, so it adds no statement to their policies (the
   * stores write their own, naming deploy roles by account and principal ARN) and encrypts with
   * each region's key by its alias, which is the same in every region.
   */
  private artifactStores(regional: readonly DeliveryRegionStack[]): Record<string, IBucket> {
    const stores: Record<string, IBucket> = {
      [this.region]: Bucket.fromBucketAttributes(this, 'ArtifactBucket', {
        bucketArn: this.artifacts.bucket.bucketArn,
        encryptionKey: Key.fromKeyArn(this, 'ArtifactKey', this.artifacts.key.keyArn),
      }),
    };
    for (const stack of regional) {
      stores[stack.region] = Bucket.fromBucketAttributes(this, `ArtifactBucket-${stack.region}`, {
        bucketName: stack.artifacts.bucket.bucketName,
        region: stack.region,
        account: stack.account,
        encryptionKey: Key.fromKeyArn(this, `ArtifactKey-${stack.region}`, `arn:${this.partition}:kms:${stack.region}:${stack.account}:${deliveryKeyAlias(stack.teamId)}`),
      });
    }
    return stores;
  }
}

export interface DeliveryRegionStackProps extends StackProps {
  readonly team: TeamSpec;
  readonly platform: PlatformSettings;
  readonly region: string;
}

/** The team's artifact store in one more region of the tooling account, deployed before the delivery stack. */
export class DeliveryRegionStack extends Stack {
  readonly artifacts: ArtifactStore;
  readonly teamId: string;

  constructor(scope: App | Construct, id: string, props: DeliveryRegionStackProps) {
    const { team, platform } = props;
    if (props.region === platform.tooling.region) {
      throw new Error(`the tooling region ${props.region} holds the delivery stack itself; a regional artifact store is for the other regions of ${team.id}`);
    }
    super(scope, id, {
      ...props,
      stackName: deliveryStackName(team.id),
      env: { account: platform.tooling.account, region: props.region },
      description: `Springboard delivery of ${team.id} (${team.displayName}): artifact store in ${props.region}`,
      terminationProtection: true,
      analyticsReporting: false,
    });
    this.teamId = team.id;
    this.artifacts = new ArtifactStore(this, 'Artifacts', { teamId: team.id, readers: artifactReaders(team, props.region) });
    denyOtherTeamsOnBuckets(this, team.id);
    applyPermissionsBoundary(this, platform.permissionsBoundaryName);
    applyTags(this, deliveryTags(team), platform.tags);
  }
}

/** Deploy roles of the team's environments in `region`, grouped by account. */
function artifactReaders(team: TeamSpec, region: string): ArtifactReader[] {
  const byAccount = new Map<string, string[]>();
  for (const target of deployTargets(team).filter(t => t.environment.region === region)) {
    const list = byAccount.get(target.environment.account) ?? [];
    byAccount.set(target.environment.account, [...list, target.deployRoleArn]);
  }
  return [...byAccount.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([account, roleArns]) => ({ account, roleArns }));
}

/** A delivery stack serves every environment of its team: `Environment=shared`. */
function deliveryTags(team: TeamSpec): Record<string, string> {
  return teamOwnerTags(team, SHARED_ENVIRONMENT);
}
