import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Component, Project, SampleFile } from 'projen';
import { REPOSITORY_MANIFEST_FILE } from './shared/contract/repository';
import type { TeamSettings } from './team-settings';
import { renderAsset } from './template-assets';

export interface ServiceSampleOptions {
  readonly team: TeamSettings;
}

/** The team-owned starting point: service entry point, routes and their tests. */
export const SAMPLE_FILES = ['src/main.ts', 'src/app.ts', 'test/app.test.ts'];
export const DECISION_RECORD = 'docs/adr/0001-run-the-service-on-springboard.md';

/**
 * Team-owned files, written on the repository's first synth only (before springboard.json exists).
 * After that they are the team's: never overwritten, and not recreated if the team deletes them.
 */
export class ServiceSample extends Component {
  /** True when this synth wrote the samples. */
  public readonly written: boolean;

  constructor(project: Project, options: ServiceSampleOptions) {
    super(project);
    this.written = !existsSync(join(project.outdir, REPOSITORY_MANIFEST_FILE));
    if (!this.written) return;
    for (const file of SAMPLE_FILES) {
      new SampleFile(project, file, { contents: renderAsset(`springboard-service/sample/${file}`) });
    }
    new SampleFile(project, DECISION_RECORD, { contents: decisionRecord(options.team) });
  }
}

function decisionRecord(team: TeamSettings): string {
  return `# 1. Run the service on Springboard

Status: accepted

## Context

Team \`${team.id}\` needs to run ${team.displayName} on AWS with the agency's security controls, a
delivery pipeline and alarms, without building and operating that platform itself.

## Decision

The service is a TypeScript HTTP service in a container, scaffolded from the \`springboard-service\`
template and deployed by the Springboard pipeline of team \`${team.id}\`. The team owns \`src/\` outside
\`src/platform/\`, its tests and \`docs/\`; the platform owns the files listed in README.md and updates
them through template upgrades.

## Consequences

- The repository keeps the Springboard repository contract (Dockerfile, lockfile, \`springboard.json\`,
  \`npm ci\` and \`npm test\` with a JUnit report); its own tests check it.
- Changes to platform-owned files are proposed to the platform team rather than made here.
- Later decisions are recorded next to this one as \`docs/adr/NNNN-title.md\`.
`;
}
