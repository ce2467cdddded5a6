import { regionalConsoleOrigin } from './shared/contract/aws-addressing';
import {
  alertTopicName,
  environmentStackName,
  imageRepositoryName,
  pipelineName,
  serviceLogGroupName,
} from './shared/contract/naming';
import type { EnvironmentSettings, TeamSettings } from './team-settings';

/** AWS console addresses for the team's resources, derived from the naming and addressing contracts only. */
export function pipelineLink(team: TeamSettings): string | undefined {
  if (!team.tooling) return undefined;
  const { region } = team.tooling;
  return `${regionalConsoleOrigin(region)}/codesuite/codepipeline/pipelines/${pipelineName(team.id)}/view?region=${region}`;
}

export function logGroupLink(team: TeamSettings, env: EnvironmentSettings): string | undefined {
  if (!env.region) return undefined;
  const group = encodeURIComponent(encodeURIComponent(serviceLogGroupName(team.id, env.name))).replace(/%/g, '$');
  return `${regionalConsoleOrigin(env.region)}/cloudwatch/home?region=${env.region}#logsV2:log-groups/log-group/${group}`;
}

export function stackLink(team: TeamSettings, env: EnvironmentSettings): string | undefined {
  if (!env.region) return undefined;
  return `${regionalConsoleOrigin(env.region)}/cloudformation/home?region=${env.region}#/stacks?filteringText=${environmentStackName(team.id, env.name)}`;
}

export function dashboardsLink(team: TeamSettings, env: EnvironmentSettings): string | undefined {
  if (!env.region) return undefined;
  return `${regionalConsoleOrigin(env.region)}/cloudwatch/home?region=${env.region}#dashboards?search=${encodeURIComponent(team.id)}`;
}

export function link(text: string, href: string | undefined): string {
  return href ? `[${text}](${href})` : text;
}

export const names = { alertTopicName, environmentStackName, imageRepositoryName, pipelineName, serviceLogGroupName };
