import { project, registryWith, synth, teamYaml } from './support/fixtures';

test('without a registry, --team-id and typed defaults are enough', () => {
  const files = synth({ teamId: 'pay-portal' });
  expect(files['springboard.json'].teamId).toBe('pay-portal');
  expect(files['src/platform/team.ts']).toContain('port: 8080');
});

test('an id missing from the registry is a clear error with a suggestion and the way out', () => {
  const registry = registryWith({ 'permit-portal': teamYaml('permit-portal') });
  expect(() => project({ teamId: 'permit-portl', registry })).toThrow(
    new RegExp(
      "team 'permit-portl' is not in the registry at .*; did you mean 'permit-portal'\\? \\(teams there: permit-portal\\)\\. " +
        'Add the team first with `npx springboard team add permit-portl`, merge it, then scaffold; or check --team-id\\.',
    ),
  );
});

test('a registry with errors is reported with its diagnostics', () => {
  const registry = registryWith({ 'permit-portal': teamYaml('permit-portal').replace('costCenter: CC-1200\n', '') });
  expect(() => project({ teamId: 'permit-portal', registry })).toThrow(/has errors; fix them \(npx springboard validate\)[\s\S]*costCenter/);
});

test('a registry path that does not exist is reported', () => {
  expect(() => project({ teamId: 'permit-portal', registry: '/nonexistent/teams' })).toThrow(/registry directory not found/);
});

test('options that contradict the registry are refused', () => {
  const registry = registryWith({ 'permit-portal': teamYaml('permit-portal') });
  expect(() => project({ teamId: 'permit-portal', registry, port: 8080 })).toThrow(
    '--port 8080 but the registry entry has service.port: 9090',
  );
  // Agreeing options are fine.
  expect(() => project({ teamId: 'permit-portal', registry, port: 9090 })).not.toThrow();
});

test.each([
  [{ teamId: 'Pay_Portal' }, '--team-id must be lower-case words joined by single hyphens'],
  [{ teamId: 'pay-portal', port: 80 }, '--port must be a whole number from 1024 to 65535'],
  [{ teamId: 'pay-portal', healthCheckPath: 'health' }, '--health-check-path must start with /'],
  [{ teamId: 'pay-portal', repositoryProvider: 'svn' }, '--repository-provider must be one of github, gitlab, bitbucket, codecommit'],
])('bad option %j is refused', (options, message) => {
  expect(() => project(options)).toThrow(message);
});

test('environments keep prod last', () => {
  const files = synth({ teamId: 'pay-portal', environments: ['prod', 'qa'] });
  const readme: string = files['README.md'];
  expect(readme.indexOf('| qa |')).toBeLessThan(readme.indexOf('| prod (production) |'));
});
