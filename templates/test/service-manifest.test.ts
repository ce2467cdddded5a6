import { templatesPackage } from '../src/template-assets';
import { bothShapes, MARKER } from './support/fixtures';

const { defaults, registry } = bothShapes();

test('springboard.json ties the repository to its team and records the template version', () => {
  expect(defaults['springboard.json']).toEqual({
    'teamId': 'pay-portal',
    'template': { name: 'springboard-service', version: templatesPackage().version },
    'migrate': ['npm', 'run', 'migrate'],
    '//': expect.stringContaining(MARKER),
  });
  expect(registry['springboard.json'].teamId).toBe('permit-portal');
});

test('springboard.json asks for migrations (exec form) only where the service has a database', () => {
  // The default shape assumes a database; the registry fixture's team has none.
  expect(defaults['springboard.json'].migrate).toEqual(['npm', 'run', 'migrate']);
  expect(defaults['package.json'].scripts.migrate).toBe('node lib/migrate.js');
  expect(registry['springboard.json']).not.toHaveProperty('migrate');
  expect(registry['package.json'].scripts.migrate).toBeUndefined();
});

test('the recorded version is the templates package version', () => {
  expect(templatesPackage()).toEqual({ name: 'springboard-templates', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
});
