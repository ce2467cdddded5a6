import { PLATFORM_SOURCE_FILES, PLATFORM_TEST_FILES } from '../src/platform-code';
import { bothShapes, MARKER } from './support/fixtures';
import { REQUIRED_REPOSITORY_FILES } from '../src/shared/contract/repository';

const { defaults, registry } = bothShapes();

test.each([...PLATFORM_SOURCE_FILES.map((f) => `src/platform/${f}`), 'src/platform/team.ts', ...PLATFORM_TEST_FILES.map((f) => `test/platform/${f}`), 'test/platform/contract.test.ts'])(
  '%s is platform-owned TypeScript',
  (path) => {
    const text: string = defaults[path];
    expect(text.split('\n')[0]).toMatch(new RegExp(`^// ${MARKER}`));
    expect(text).not.toContain('{{');
  },
);

test('src/platform/team.ts carries the team id, port and health check path', () => {
  expect(defaults['src/platform/team.ts']).toContain("id: 'pay-portal',\n  port: 8080,\n  healthCheckPath: '/health',");
  expect(registry['src/platform/team.ts']).toContain("id: 'permit-portal',\n  port: 9090,\n  healthCheckPath: '/healthz',");
});

test('the logger writes the level field the appLogErrors alarm counts', () => {
  expect(defaults['src/platform/logger.ts']).toContain('{ time: now().toISOString(), level, message }');
});

test('the service reads every environment variable of the contract and shuts down on SIGTERM', () => {
  for (const name of ['PORT', 'HEALTH_CHECK_PATH', 'SPRINGBOARD_ENVIRONMENT', 'SPRINGBOARD_TEAM']) {
    expect(defaults['src/platform/config.ts']).toContain(`env.${name}`);
  }
  expect(defaults['src/platform/http-service.ts']).toContain("process.once('SIGTERM', stop)");
});

test('the contract test is generated from the repository contract', () => {
  const test: string = defaults['test/platform/contract.test.ts'];
  expect(test).toContain(`test.each([${REQUIRED_REPOSITORY_FILES.map((f) => `'${f}'`).join(', ')}])`);
  expect(test).toContain("['imagedefinitions.json', 'release.json', 'sbom.cdx.json']");
  expect(test).toContain("name: 'springboard-service'");
});
