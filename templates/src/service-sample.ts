import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Component, Project, SampleFile } from 'projen';
import { REPOSITORY_MANIFEST_FILE } from './shared/contract/repository';
import type { TeamSettings } from './team-settings';
import { renderAsset } from './template-assets';

export interface ServiceSampleOptions {
  readonly team: TeamSettings;
  /** Whether to write the database sample (connection, migrations). */
  readonly database: boolean;
}

/** The team-owned starting point: service entry point, routes, the secret they sign with, and their tests. */
export const SAMPLE_FILES = ['src/main.ts', 'src/app.ts', 'src/secrets.ts', 'src/signing.ts', 'test/app.test.ts'];
/** The database sample: connection (IAM in AWS, DATABASE_URL locally), the migration runner, one migration. */
export const DATABASE_SAMPLE_FILES = ['src/database.ts', 'src/migrate.ts', 'src/migrations/1767225600000_create-greetings.ts', 'test/database.test.ts'];
/** The sample's secret when the registry names none: what the team adds under `service.secrets`. */
export const DEFAULT_SECRET_NAME = 'SIGNING_KEY';
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
    const values = { secretName: sampleSecretName(options.team) };
    for (const file of [...SAMPLE_FILES, ...(options.database ? DATABASE_SAMPLE_FILES : [])]) {
      new SampleFile(project, file, { contents: renderAsset(`springboard-service/sample/${file}`, values) });
    }
    new SampleFile(project, DECISION_RECORD, { contents: decisionRecord(options.team) });
  }
}

/** The registry's first `service.secrets` name, so the sample reads a secret the platform really sets. */
export function sampleSecretName(team: TeamSettings): string {
  return team.secretNames?.[0] ?? DEFAULT_SECRET_NAME;
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
