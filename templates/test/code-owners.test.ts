import { bothShapes, MARKER, synth } from './support/fixtures';

const { defaults, registry } = bothShapes();

test('CODEOWNERS makes the registry contacts review every change', () => {
  const lines = (registry.CODEOWNERS as string).split('\n');
  expect(lines[0]).toContain(MARKER);
  expect(lines).toContain('* ana.owner@example.gov permits-oncall@example.gov');
});

test('without a registry, contacts come from the options, and none means a visible gap', () => {
  expect(synth({ teamId: 'pay-portal', ownerEmail: 'o@example.gov', onCallEmail: 'o@example.gov' }).CODEOWNERS).toContain('* o@example.gov\n');
  expect(defaults.CODEOWNERS).toContain('# No contacts known');
  expect(defaults.CODEOWNERS).not.toMatch(/^\* /m);
});
