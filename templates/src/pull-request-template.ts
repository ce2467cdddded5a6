import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import type { TeamSettings } from './team-settings';

export interface PullRequestTemplateOptions {
  readonly team: TeamSettings;
}

/** The pull-request (merge-request on GitLab) template: the checks every change to the service goes through. */
export class PullRequestTemplate extends Component {
  /** Where the provider looks for it. */
  public readonly path: string;

  constructor(project: Project, options: PullRequestTemplateOptions) {
    super(project);
    this.path = options.team.repository.provider === 'gitlab' ? '.gitlab/merge_request_templates/Default.md' : '.github/pull_request_template.md';
    new ManagedFile(project, this.path, { comment: 'html', contents: CONTENTS });
  }
}

const CONTENTS = `## What changes and why

## How it was tested

- [ ] \`npm test\` passes (type-check, unit tests, lint)
- [ ] New behaviour has a test

## Before merging

- [ ] No secrets, tokens or personal data in code, tests or log lines
- [ ] Logs go through the platform logger (\`src/platform/logger.ts\`); failures are logged at level error
- [ ] New dependencies are needed, maintained, and licensed for government use
- [ ] If on-call needs to know about this change, it is described in \`docs/\`
- [ ] If it records a decision, there is an architecture decision record in \`docs/adr/\`
`;
