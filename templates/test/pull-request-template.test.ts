import { bothShapes, MARKER } from './support/fixtures';

const { defaults, registry } = bothShapes();

test('GitHub repositories get .github/pull_request_template.md', () => {
  const template: string = defaults['.github/pull_request_template.md'];
  expect(template.split('\n')[0]).toContain(MARKER);
  expect(template).toContain('## What changes and why');
  expect(template).toContain('- [ ] `npm test` passes');
  expect(template).toContain('No secrets, tokens or personal data');
});

test('GitLab repositories get a default merge-request template instead', () => {
  expect(registry['.gitlab/merge_request_templates/Default.md']).toContain('## How it was tested');
  expect(registry['.github/pull_request_template.md']).toBeUndefined();
});
