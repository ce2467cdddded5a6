import {
  alertTopicName,
  environmentStackName,
  imageRepositoryName,
  pipelineName,
  serviceLogGroupName,
} from './shared/contract/naming';
import type { EnvironmentSettings, TeamSettings } from './team-settings';

/** AWS console addresses for the team's resources, derived from the naming contract only. */
export function consoleBase(region: string): string {
  const host = region.startsWith('us-gov-') ? 'console.amazonaws-us-gov.com' : 'console.aws.amazon.com';
  return `https://${region}.${host}`;
}

export function pipelineLink(team: TeamSettings): string | undefined {
  if (!team.tooling) return undefined;
  const { region } = team.tooling;
  return `${consoleBase(region)}/codesuite/codepipeline/pipelines/${pipelineName(team.id)}/view?region=${region}`;
}

export function logGroupLink(team: TeamSettings, env: EnvironmentSettings): string | undefined {
  if (!env.region) return undefined;
  const group = encodeURIComponent(encodeURIComponent(serviceLogGroupName(team.id, env.name))).replace(/%/g, '$');
  return `${consoleBase(env.region)}/cloudwatch/home?region=${env.region}#logsV2:log-groups/log-group/${group}`;
}

export function stackLink(team: TeamSettings, env: EnvironmentSettings): string | undefined {
  if (!env.region) return undefined;
  return `${consoleBase(env.region)}/cloudformation/home?region=${env.region}#/stacks?filteringText=${environmentStackName(team.id, env.name)}`;
}

export function dashboardsLink(team: TeamSettings, env: EnvironmentSettings): string | undefined {
  if (!env.region) return undefined;
  return `${consoleBase(env.region)}/cloudwatch/home?region=${env.region}#dashboards?search=${encodeURIComponent(team.id)}`;
}

export function link(text: string, href: string | undefined): string {
  return href ? `[${text}](${href})` : text;
}

export const names = { alertTopicName, environmentStackName, imageRepositoryName, pipelineName, serviceLogGroupName };
