/**
 * The repository contract: what a team's service repository provides and what the platform's build
 * produces from it. The templates scaffold the repository side; the delivery pipeline relies on it.
 * See docs/repository-contract.md.
 */

/** Files the repository must have at its root. */
export const REQUIRED_REPOSITORY_FILES = ['Dockerfile', 'package.json', 'package-lock.json', 'springboard.json'] as const;

/** The repository's manifest: ties it to its team and records the template it came from. */
export const REPOSITORY_MANIFEST_FILE = 'springboard.json';
export interface RepositoryManifest {
  readonly teamId: string;
  /** The projen project type and version the repository was scaffolded from (null when hand-made). */
  readonly template: { readonly name: string; readonly version: string } | null;
  /**
   * The schema migration command, in exec form (like `["npm", "run", "migrate"]`): run once in the
   * released image before each environment's deploy (docs/migrations.md). Absent: nothing runs.
   */
  readonly migrate?: string[];
}

/** The manifest key of the migration command. */
export const MIGRATE_MANIFEST_KEY = 'migrate';

/** Commands the build runs in the repository, in order. */
export const BUILD_COMMANDS = { install: 'npm ci', test: 'npm test' } as const;

/** JUnit XML the tests must write; the build publishes it as a CodeBuild test report. */
export const TEST_REPORT_DIRECTORY = 'test-reports';
export const TEST_REPORT_FILE = 'test-reports/junit.xml';

/** Name of the service container in every task definition and in imagedefinitions.json. */
export const SERVICE_CONTAINER_NAME = 'service';

/** Environment variables every service container receives from the platform. */
export const SERVICE_ENVIRONMENT = {
  port: 'PORT',
  healthCheckPath: 'HEALTH_CHECK_PATH',
  environment: 'SPRINGBOARD_ENVIRONMENT',
  teamId: 'SPRINGBOARD_TEAM',
} as const;

/** What the platform's build outputs (the deploy artifact), never written by the team. */
export const BUILD_OUTPUTS = {
  /** ECS standard deployment input: [{ name: SERVICE_CONTAINER_NAME, imageUri }]. */
  imageDefinitions: 'imagedefinitions.json',
  /** The release record: image URI with digest, commit id, build id, SBOM location. */
  release: 'release.json',
  /** Software bill of materials (CycloneDX JSON). */
  sbom: 'sbom.cdx.json',
} as const;
