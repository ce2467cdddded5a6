/**
 * Where a team's pipeline deploys: the names and ARNs of each environment's deploy role, cluster,
 * service and release record, all derived from the naming contract. The pipeline (tooling account)
 * and the deploy role (environment account) are built in different stacks and find each other
 * only through these strings: no CloudFormation export, no lookup.
 */
import {
  deployRoleName, migrateStepRoleName, migratorTaskRoleName, partitionOf, pipelineRoleName, releaseParameterName, serviceName,
} from '../contract';
import type { EnvironmentSpec, PlatformSettings, TeamSpec } from '../registry/types';

/** ARN of the team's pipeline role in the tooling account: what every deploy role trusts. */
export function pipelineRoleArn(teamId: string, platform: PlatformSettings): string {
  return `arn:${partitionOf(platform.tooling.region)}:iam::${platform.tooling.account}:role/${pipelineRoleName(teamId)}`;
}

/** ARN of the team's Migrate step role in the tooling account: trusted by the deploy roles of environments with a database. */
export function migrateStepRoleArn(teamId: string, platform: PlatformSettings): string {
  return `arn:${partitionOf(platform.tooling.region)}:iam::${platform.tooling.account}:role/${migrateStepRoleName(teamId)}`;
}

export interface DeployTarget {
  readonly environment: EnvironmentSpec;
  readonly partition: string;
  readonly deployRoleArn: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly releaseParameterName: string;
  readonly releaseParameterArn: string;
  /** The migration task's role, where the environment has a database (the Migrate step runs only there). */
  readonly migratorTaskRoleArn?: string;
}

export function deployTarget(team: TeamSpec, env: EnvironmentSpec): DeployTarget {
  const partition = partitionOf(env.region);
  const name = serviceName(team.id, env.name);
  const record = releaseParameterName(team.id, env.name);
  return {
    environment: env,
    partition,
    deployRoleArn: `arn:${partition}:iam::${env.account}:role/${deployRoleName(team.id, env.name)}`,
    clusterName: name,
    serviceName: name,
    serviceArn: `arn:${partition}:ecs:${env.region}:${env.account}:service/${name}/${name}`,
    releaseParameterName: record,
    releaseParameterArn: `arn:${partition}:ssm:${env.region}:${env.account}:parameter${record}`,
    migratorTaskRoleArn: env.database ? `arn:${partition}:iam::${env.account}:role/${migratorTaskRoleName(team.id, env.name)}` : undefined,
  };
}

/** Deploy targets of a team, in promotion order. */
export function deployTargets(team: TeamSpec): DeployTarget[] {
  return team.environments.map(env => deployTarget(team, env));
}

/** Regions of the team's environments, the tooling region first, each once. */
export function deliveryRegions(team: TeamSpec, platform: PlatformSettings): string[] {
  const others = [...new Set(team.environments.map(e => e.region))].filter(r => r !== platform.tooling.region).sort();
  return [platform.tooling.region, ...others];
}
