import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import type { TeamSettings } from './team-settings';

export interface CodeOwnersOptions {
  readonly team: TeamSettings;
}

/**
 * CODEOWNERS from the registry's contacts: the service owner and the on-call review every change.
 * At the repository root, where GitHub and GitLab both read it.
 */
export class CodeOwners extends Component {
  constructor(project: Project, options: CodeOwnersOptions) {
    super(project);
    const { team } = options;
    const owners = [...new Set([team.owner?.email, team.onCall?.email].filter((e): e is string => Boolean(e)))];
    const lines = [
      `# Reviewers of team ${team.id}, from its contacts in the Springboard registry.`,
      owners.length
        ? `* ${owners.join(' ')}`
        : '# No contacts known: scaffold with --registry (or --owner-email) so that every change has a reviewer.',
    ];
    new ManagedFile(project, 'CODEOWNERS', { comment: 'hash', contents: lines.join('\n') });
  }
}
