import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import {
  BUILD_OUTPUTS,
  REPOSITORY_MANIFEST_FILE,
  REQUIRED_REPOSITORY_FILES,
  TEST_REPORT_DIRECTORY,
} from './shared/contract/repository';
import type { TeamSettings } from './team-settings';
import { renderAsset } from './template-assets';
import { tsString } from './typescript-literal';

export interface PlatformCodeOptions {
  readonly team: TeamSettings;
  readonly templateName: string;
}

/** Source files under src/platform and their tests under test/platform: the platform's side of the service. */
export const PLATFORM_SOURCE_FILES = ['config.ts', 'http-service.ts', 'index.ts', 'logger.ts'];
export const PLATFORM_TEST_FILES = ['dockerfile.test.ts', 'http-service.test.ts', 'logger.test.ts'];

/**
 * The service's platform layer (configuration from the contract's environment variables, JSON logs,
 * health check, graceful shutdown) and the tests that hold the repository to the contract.
 */
export class PlatformCode extends Component {
  public readonly paths: string[] = [];

  constructor(project: Project, options: PlatformCodeOptions) {
    super(project);
    const add = (path: string, contents: string) => {
      new ManagedFile(project, path, { comment: 'slash', contents });
      this.paths.push(path);
    };
    add('src/platform/team.ts', teamModule(options.team));
    for (const file of PLATFORM_SOURCE_FILES) add(`src/platform/${file}`, renderAsset(`springboard-service/platform/src/platform/${file}`));
    add('test/platform/contract.test.ts', contractTest(options.templateName));
    for (const file of PLATFORM_TEST_FILES) add(`test/platform/${file}`, renderAsset(`springboard-service/platform/test/platform/${file}`));
  }
}

function teamModule(team: TeamSettings): string {
  return `/** This repository's team and service settings${team.registryFile ? `, from ${team.registryFile} in the Springboard registry` : ''}. */
export const TEAM = {
  id: ${tsString(team.id)},
  port: ${team.port},
  healthCheckPath: ${tsString(team.healthCheckPath)},
} as const;
`;
}

/** Generated from lib/contract/repository.ts so that the check and the contract cannot drift apart. */
function contractTest(templateName: string): string {
  const list = (values: readonly string[]) => `[${values.map(tsString).join(', ')}]`;
  return `import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEAM } from '../../src/platform/team';

// The repository contract: what the platform's build relies on (see README.md).
const root = join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));

test.each(${list(REQUIRED_REPOSITORY_FILES)})('%s is at the repository root', (file) => {
  expect(existsSync(join(root, file))).toBe(true);
});

test('${REPOSITORY_MANIFEST_FILE} names this team and the template it came from', () => {
  const manifest = readJson(${tsString(REPOSITORY_MANIFEST_FILE)});
  expect(manifest.teamId).toBe(TEAM.id);
  expect(manifest.template).toEqual({ name: ${tsString(templateName)}, version: expect.stringMatching(/^\\d+\\.\\d+\\.\\d+/) });
});

test('npm test writes the JUnit report that the build publishes', () => {
  const pkg = readJson('package.json');
  expect(pkg.scripts.test).toBeDefined();
  const reporters = JSON.stringify(pkg.jest?.reporters ?? []);
  expect(reporters).toContain('jest-junit');
  expect(reporters).toContain(${tsString(TEST_REPORT_DIRECTORY)});
});

test('build outputs are the platform build\\'s, never committed by the team', () => {
  for (const output of ${list(Object.values(BUILD_OUTPUTS))}) {
    expect(existsSync(join(root, output))).toBe(false);
  }
});
`;
}
