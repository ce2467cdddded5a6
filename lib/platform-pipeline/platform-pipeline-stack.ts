/**
 * The stacks that hold the platform pipelines, in the tooling account: `springboard-platform-pipeline`
 * (the platform pipeline) and `springboard-platform-deploy-<team>` (one team's). One stack per
 * pipeline, so adding or retiring a team changes no other team's pipeline stack.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApproversRole } from './approvers';
import type { PlannedPipeline, PlatformPlan } from './plan';
import { deployersByStack } from './plan';
import { PlannedPipelineConstruct } from './planned-pipeline';
import { applyTags } from '../construct-kit/tags';
import { DEFAULT_APPROVERS_ROLE_NAME } from '../contract/naming';
import { platformOwnerTags } from '../contract/ownership';
import type { PlatformSettings } from '../registry/types';

export interface PlatformPipelineStackProps extends StackProps {
  readonly pipeline: PlannedPipeline;
  readonly platform: PlatformSettings;
  /** Accounts the pipeline deploys into (their CDK bootstrap roles). */
  readonly targetAccounts: readonly string[];
  /** Accounts that hold production, registry-wide (`prodAccounts`). */
  readonly prodAccounts: ReadonlySet<string>;
}

export class PlatformPipelineStack extends Stack {
  readonly pipeline: PlannedPipelineConstruct;
  /** The platform pipeline's stack holds the approvers role; undefined in a team's. */
  readonly approvers?: ApproversRole;

  constructor(scope: App | Construct, id: string, props: PlatformPipelineStackProps) {
    const { pipeline, platform } = props;
    if (!platform.pipeline) throw new Error(`${id}: the registry configures no platform pipeline (pipeline: in _platform.yaml)`);
    super(scope, id, {
      ...props,
      stackName: pipeline.stackName,
      env: { account: platform.tooling.account, region: platform.tooling.region },
      description: pipeline.team
        ? `Springboard platform pipeline of ${pipeline.team}: deploys its delivery and environment stacks`
        : 'Springboard platform pipeline: pipeline definitions, baselines, release of the team pipelines',
      terminationProtection: true,
      analyticsReporting: false,
      // At 200 teams the platform pipeline's template nears CloudFormation's 1 MB: an unindented
      // template keeps it well under.
      suppressTemplateIndentation: true,
    });
    this.pipeline = new PlannedPipelineConstruct(this, 'Pipeline', {
      plan: pipeline,
      repository: platform.pipeline.repository,
      targetAccounts: props.targetAccounts,
      prodAccounts: props.prodAccounts,
      logRetentionDays: platform.logRetention.searchableDays,
      approvers: platform.pipeline.approvers,
    });
    if (!pipeline.team) {
      this.approvers = new ApproversRole(this, 'Approvers', { roleName: platform.pipeline.approvers?.roleName ?? DEFAULT_APPROVERS_ROLE_NAME });
    }
    // A team's platform pipeline deploys with administrator-equivalent roles: it is the platform's, never the team's.
    applyTags(this, platformOwnerTags(), platform.tags);
  }
}

export interface DeployedStack {
  readonly artifactId: string;
  readonly account?: string;
  readonly region?: string;
}

/**
 * Problems with the plan against the stacks actually built: each must be deployed by exactly one
 * pipeline, to the account and region it is built for. Empty when they agree.
 */
export function coverageProblems(plan: PlatformPlan, built: readonly DeployedStack[]): string[] {
  const deployers = deployersByStack(plan);
  const actions = plan.pipelines.flatMap(p => p.stages.flatMap(s => s.actions));
  const targets = new Map(actions.filter(a => a.target).map(a => [a.target!.artifactId, a.target!]));
  const problems: string[] = [];
  for (const stack of built) {
    const by = deployers.get(stack.artifactId) ?? [];
    if (by.length !== 1) problems.push(`${stack.artifactId} is deployed by ${by.length} pipelines (${by.join(', ') || 'none'}); expected exactly one`);
    const t = targets.get(stack.artifactId);
    if (t && (t.account !== stack.account || t.region !== stack.region)) {
      problems.push(`${stack.artifactId} is built for ${stack.account}/${stack.region} but planned for ${t.account}/${t.region}`);
    }
  }
  const builtIds = new Set(built.map(s => s.artifactId));
  for (const id of deployers.keys()) if (!builtIds.has(id)) problems.push(`${id} is planned but not built`);
  return problems;
}
