import { bothShapes, MARKER } from './support/fixtures';

const { defaults, registry } = bothShapes();

test('SECURITY.md is platform-owned and tells where to report a vulnerability', () => {
  const policy: string = registry['SECURITY.md'];
  expect(policy.split('\n')[0]).toContain(MARKER);
  expect(policy).toContain('## Reporting a vulnerability');
  expect(policy).toContain('Permit On-Call <permits-oncall@example.gov> and Ana Owner <ana.owner@example.gov>');
  expect(policy).toContain('FIPS 199 impact level **moderate**');
});

test('without contacts it points at the registry instead of inventing an address', () => {
  const policy: string = defaults['SECURITY.md'];
  expect(policy).toContain('the team\'s on-call contact in the Springboard registry');
  expect(policy).not.toMatch(/@example/);
});

test('names the controls the platform provides and the team\'s duties', () => {
  const policy: string = defaults['SECURITY.md'];
  for (const control of ['AC-6', 'AU-2', 'AU-11', 'CM-2', 'SC-8', 'SC-13', 'SC-28', 'CP-9']) expect(policy).toContain(control);
  expect(policy).toContain('No secrets in the repository');
});
