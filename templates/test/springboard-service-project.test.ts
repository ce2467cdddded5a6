import { synth } from './support/fixtures';

const files = synth({ teamId: 'pay-portal', deps: ['pg@^8'] });
const pkg = files['package.json'];

test('package.json: npm test is the contract\'s test command and writes JUnit to test-reports', () => {
  expect(pkg.name).toBe('pay-portal');
  expect(pkg.scripts.test).toBe('projen test');
  expect(pkg.jest.reporters).toEqual(['default', ['jest-junit', { outputDirectory: 'test-reports' }]]);
  expect(pkg.dependencies.pg).toBe('^8');
  expect(pkg.devDependencies.typescript).toBe('~5.9.3');
  expect(pkg.main).toBe('lib/main.js');
});

test('package.json: the repository needs Node.js 22, the version the platform builds and runs it with', () => {
  expect(pkg.engines.node).toBe('>= 22.0.0');
  expect(pkg.devDependencies['@types/node']).toBe('^22');
});

test('the test task type-checks once, then runs jest (transpile only) and eslint', () => {
  const steps = files['.projen/tasks.json'].tasks.test.steps;
  expect(steps[0].execArgs.slice(0, 2)).toEqual(['tsc', '--noEmit']);
  expect(steps[1].execArgs[0]).toBe('jest');
  expect(steps[2].spawn).toBe('eslint');
  expect(files['test/tsconfig.json'].compilerOptions.isolatedModules).toBe(true);
});

test('dev and start tasks run the service', () => {
  const tasks = files['.projen/tasks.json'].tasks;
  expect(tasks.dev.steps[0].exec).toBe('tsx watch src/main.ts');
  expect(tasks.start.steps[0].exec).toBe('node lib/main.js');
});

test('no GitHub workflows or release machinery: the Springboard pipeline is the build', () => {
  expect(Object.keys(files).filter((f) => f.startsWith('.github/workflows'))).toEqual([]);
  expect(files['.projen/tasks.json'].tasks.release).toBeUndefined();
});

test('.gitignore keeps reports and local secrets out of git, and the lockfile in', () => {
  const gitignore: string = files['.gitignore'];
  expect(gitignore).toContain('/test-reports/');
  expect(gitignore).toContain('.env');
  expect(gitignore).not.toMatch(/^package-lock\.json$/m);
});
