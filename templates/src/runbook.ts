import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import { table } from './markdown';
import { link, names, pipelineLink } from './service-links';
import { ALARM_CATALOGUE, AlarmCatalogueEntry, runbookAnchor, thresholdFor } from './shared/contract/alarm-catalogue';
import type { TeamSettings } from './team-settings';

export interface RunbookOptions {
  readonly team: TeamSettings;
}

/**
 * RUNBOOK.md: one entry per alarm of the catalogue, under a heading whose anchor is
 * `runbookAnchor(id)`, because every alarm's description links `RUNBOOK.md#<anchor>`.
 */
export class Runbook extends Component {
  constructor(project: Project, options: RunbookOptions) {
    super(project);
    new ManagedFile(project, 'RUNBOOK.md', { comment: 'html', contents: render(options.team) });
  }
}

function render(team: TeamSettings): string {
  const contacts = [
    team.onCall && `- On-call: ${team.onCall.name} <${team.onCall.email}>`,
    team.owner && `- Service owner: ${team.owner.name} <${team.owner.email}>`,
  ].filter(Boolean);
  return `# Runbook: ${team.displayName}

What to do when an alarm of team \`${team.id}\` fires. Alarms notify the environment's topic
(\`${names.alertTopicName(team.id, '<environment>')}\`); each alarm's description links its entry below.
Outside production every alarm is at most a warning.

${contacts.length ? contacts.join('\n') : '- Contacts: see the team\'s entry in the Springboard registry.'}
- Service logs: \`${names.serviceLogGroupName(team.id, '<environment>')}\` (Logs Insights: \`filter level = "error"\`)
- Pipeline: ${link(`\`${names.pipelineName(team.id)}\``, pipelineLink(team))}

## Alarms

${ALARM_CATALOGUE.map((entry) => renderEntry(entry, team)).join('\n\n')}
`;
}

function renderEntry(entry: AlarmCatalogueEntry, team: TeamSettings): string {
  // The heading is the id itself so that GitHub's anchor for it is runbookAnchor(id).
  const lines = [`### ${entry.id}`, '', `**${entry.title}**: ${entry.severity} in production.`, '', entry.meaning];
  if (entry.requiresDatabase && team.hasDatabase === false) {
    lines.push('', '_Not created for this team: it has no database in the registry._');
  }
  if (entry.threshold) {
    const rows = team.environments.map((env) => [env.name, thresholdFor(entry, env.isProd, env.alarms), entry.unit]);
    lines.push('', table(['Environment', 'Threshold', 'Unit'], rows));
  }
  lines.push('', 'First steps:', '', ...entry.firstSteps.map((step, i) => `${i + 1}. ${step}`));
  lines.push('', `Link: \`RUNBOOK.md#${runbookAnchor(entry.id)}\``);
  return lines.join('\n');
}
