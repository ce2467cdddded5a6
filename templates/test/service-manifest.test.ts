import { templatesPackage } from '../src/template-assets';
import { bothShapes, MARKER } from './support/fixtures';

const { defaults, registry } = bothShapes();

test('springboard.json ties the repository to its team and records the template version', () => {
  expect(defaults['springboard.json']).toEqual({
    'teamId': 'pay-portal',
    'template': { name: 'springboard-service', version: templatesPackage().version },
    '//': expect.stringContaining(MARKER),
  });
  expect(registry['springboard.json'].teamId).toBe('permit-portal');
});

test('the recorded version is the templates package version', () => {
  expect(templatesPackage()).toEqual({ name: 'springboard-templates', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
});
