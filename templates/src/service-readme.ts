import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import { table } from './markdown';
import { dashboardsLink, link, logGroupLink, names, pipelineLink, stackLink } from './service-links';
import { BUILD_COMMANDS, BUILD_OUTPUTS, REPOSITORY_MANIFEST_FILE, TEST_REPORT_FILE } from './shared/contract/repository';
import type { TeamSettings } from './team-settings';

export interface ServiceReadmeOptions {
  readonly team: TeamSettings;
  readonly templateVersion: string;
  /** Paths of the platform-owned files, listed so nobody edits them by mistake. */
  readonly platformFiles: readonly string[];
  /** Paths of the team-owned sample files. */
  readonly teamFiles: readonly string[];
  /** Whether the service has the database sample (migrations, `migrate` in springboard.json). */
  readonly database: boolean;
  /** The environment variable the sample reads its signing key from. */
  readonly secretName: string;
}

/** README.md: how to run the service locally, where it runs, and which files are whose. */
export class ServiceReadme extends Component {
  constructor(project: Project, options: ServiceReadmeOptions) {
    super(project);
    new ManagedFile(project, 'README.md', { comment: 'html', contents: render(options) });
  }
}

function secretsSection(options: ServiceReadmeOptions): string {
  const { team, secretName } = options;
  const declared = team.secretNames?.includes(secretName);
  return `## Secrets

The sample signs its responses (header \`x-signature: sha256=<HMAC of the body>\`) with the key in
\`${secretName}\` (\`src/main.ts\`, \`src/secrets.ts\`). In AWS the container receives it from the registry's
\`service.secrets\` entry of the same name${declared ? ` (declared in \`${team.registryFile}\`)` : ''}; ECS reads it from SSM or Secrets Manager when
the task starts, so its value is in no file, image or log:

\`\`\`yaml
service:
  secrets:
    ${secretName}: /${team.id}/${secretName.toLowerCase().replace(/_/g, '-')}   # an SSM SecureString the team creates (docs/secrets.md in Springboard)
\`\`\`

${declared ? '' : `The registry does not declare \`${secretName}\` yet: add the entry above before the first deploy. `}In AWS a
missing secret stops the service at start with a message saying what to add. Locally, \`export ${secretName}=...\`,
or the service signs with a random key and warns. Never log a secret's value.
`;
}

function databaseSection(): string {
  return `## Database migrations

Migrations are in \`src/migrations/\` (node-pg-migrate, one file per change, a timestamp first);
\`npm run migrate\` (\`src/migrate.ts\`, compiled to \`lib/\`) applies the pending ones in one transaction,
in the schema \`app\`, recording them in \`app.pgmigrations\`. \`springboard.json\` tells the pipeline to run it
(\`"migrate": ["npm", "run", "migrate"]\`): once in the released image before each environment's deploy, as the
\`migrator\` database identity, which owns the schema; the service connects as \`app\` (data only). Both sign
in with IAM tokens (\`src/database.ts\`); locally, set \`DATABASE_URL\`:

\`\`\`sh
npx projen compile
DATABASE_URL=postgres://postgres@localhost:5432/postgres npm run migrate        # up
DATABASE_URL=postgres://postgres@localhost:5432/postgres npm run migrate down   # revert the last one
\`\`\`

The release running now keeps serving while a migration runs, and a rollback returns to it: write
expand/contract migrations (add, backfill, switch the code, drop a release later; docs/migrations.md in
Springboard), and never edit one that has run: add a new file.

`;
}

function render(options: ServiceReadmeOptions): string {
  const { team } = options;
  const envRows = team.environments.map((env) => [
    `${env.name}${env.isProd ? ' (production)' : ''}`,
    env.account,
    env.region,
    link(`\`${names.environmentStackName(team.id, env.name)}\``, stackLink(team, env)),
    link(`\`${names.serviceLogGroupName(team.id, env.name)}\``, logGroupLink(team, env)),
    `\`${names.alertTopicName(team.id, env.name)}\``,
    link('dashboards', dashboardsLink(team, env)),
  ]);
  const pipeline = link(`\`${names.pipelineName(team.id)}\``, pipelineLink(team));
  const where = team.registryFile
    ? `Settings come from the Springboard registry entry \`${team.registryFile}\`; change them there, not here.`
    : 'Accounts and regions are filled in when the repository is scaffolded with `--registry`; the names below are fixed by the team id.';
  const owners = [team.owner && `owner ${team.owner.name} <${team.owner.email}>`, team.onCall && `on-call ${team.onCall.name} <${team.onCall.email}>`]
    .filter(Boolean)
    .join(', ');

  return `# ${team.displayName}

The service of Springboard team \`${team.id}\`${team.programOffice ? ` (${team.programOffice})` : ''}: a TypeScript HTTP service
in a container, built and deployed by the team's Springboard pipeline. ${owners ? `Contacts: ${owners}.` : ''}

## Run it locally

\`\`\`sh
npm ci
npx projen dev        # runs src/main.ts and restarts on change, on port ${team.port}
curl http://localhost:${team.port}${team.healthCheckPath}
npm test              # type-check, unit tests (JUnit report in ${TEST_REPORT_FILE}) and lint
\`\`\`

\`npx projen build\` compiles to \`lib/\`; \`node lib/main.js\` runs the compiled service. The platform sets
\`PORT\`, \`HEALTH_CHECK_PATH\`, \`SPRINGBOARD_ENVIRONMENT\` and \`SPRINGBOARD_TEAM\` in AWS; locally the
registry's values apply. Logs are JSON lines on stdout (\`src/platform/logger.ts\`).

${secretsSection(options)}
${options.database ? databaseSection() : ''}## Where it runs

Every push to \`${team.repository.branch}\` of \`${team.repository.name}\` (${team.repository.provider}) starts the pipeline ${pipeline}${team.tooling ? ` in the tooling account ${team.tooling.account} (${team.tooling.region})` : ' in the platform\'s tooling account'}.
It runs \`${BUILD_COMMANDS.install}\` and \`${BUILD_COMMANDS.test}\`, builds the image from the \`Dockerfile\` into the image
repository \`${names.imageRepositoryName(team.id)}\`, writes \`${BUILD_OUTPUTS.imageDefinitions}\`, \`${BUILD_OUTPUTS.release}\` and \`${BUILD_OUTPUTS.sbom}\`,
then promotes the image through the environments in this order. ${where}

${table(['Environment', 'Account', 'Region', 'Stack', 'Service logs', 'Alarm topic', 'Dashboards'], envRows)}

Alarms link their entry in [RUNBOOK.md](RUNBOOK.md). Run \`npx springboard fleet status\` from the platform
repository for the state of the pipeline.

## What is whose

Platform-owned files are generated by the template (\`springboard-service\` ${options.templateVersion}, recorded in
\`${REPOSITORY_MANIFEST_FILE}\`). They are read-only, \`npx projen\` rewrites them, and a template upgrade replaces
them: propose changes to the platform team instead of editing them.

${options.platformFiles.map((f) => `- \`${f}\``).join('\n')}

Team-owned files were written once when the repository was created and are never overwritten; change,
rename or delete them freely:

${options.teamFiles.map((f) => `- \`${f}\``).join('\n')}

Project settings (dependencies, extra tasks) live in \`.projenrc.ts\`, which is the team's too.

## Upgrading the template

Change the version of \`springboard-templates\` in \`.projenrc.ts\`, then run \`npx projen\` twice: the first run
installs the new version, the second regenerates the platform-owned files with it. Review the diff, run
\`npm test\` and open a pull request.
`;
}
