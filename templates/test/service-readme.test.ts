import { bothShapes, MARKER } from './support/fixtures';

const { defaults, registry } = bothShapes();

test('README is platform-owned and says how to run the service locally', () => {
  const readme: string = defaults['README.md'];
  expect(readme.split('\n')[0]).toBe(`<!-- ${MARKER}. To modify, edit .projenrc.ts and run "npx projen". Platform-owned: a template upgrade replaces this file, local edits are lost. -->`);
  expect(readme).toContain('npx projen dev');
  expect(readme).toContain('curl http://localhost:8080/health');
  expect(readme).toContain('npm test');
});

test('README names the pipeline, stacks, log groups and topics derived from the team id', () => {
  const readme: string = defaults['README.md'];
  expect(readme).toContain('`springboard-pay-portal`');
  expect(readme).toContain('`springboard/pay-portal`');
  for (const env of ['dev', 'staging', 'prod']) {
    expect(readme).toContain(`\`springboard-env-pay-portal-${env}\``);
    expect(readme).toContain(`\`/springboard/pay-portal/${env}/service\``);
    expect(readme).toContain(`\`springboard-pay-portal-${env}-alerts\``);
  }
});

test('with a registry, README has accounts, regions and console links (GovCloud console for us-gov regions)', () => {
  const readme: string = registry['README.md'];
  expect(readme).toContain('registry entry `springboard-registry-');
  expect(readme).toContain('| test | 222222222222 | us-gov-west-1 |');
  expect(readme).toContain('| prod (production) | 333333333333 | us-gov-west-1 |');
  expect(readme).toContain('https://us-gov-west-1.console.amazonaws-us-gov.com/codesuite/codepipeline/pipelines/springboard-permit-portal/view?region=us-gov-west-1');
  expect(readme).toContain('in the tooling account 111111111111 (us-gov-west-1)');
  expect(readme).toContain('Every push to `trunk` of `example-state/permit-portal` (gitlab)');
});

test('README lists which files are platform-owned and which are the team\'s', () => {
  const readme: string = defaults['README.md'];
  const platform = readme.slice(readme.indexOf('## What is whose'), readme.indexOf('Team-owned files'));
  const team = readme.slice(readme.indexOf('Team-owned files'));
  expect(platform).toContain('- `Dockerfile`');
  expect(platform).toContain('- `src/platform/logger.ts`');
  expect(team).toContain('- `src/app.ts`');
  expect(team).toContain('- `test/app.test.ts`');
});
