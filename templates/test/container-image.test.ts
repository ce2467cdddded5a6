import { ContainerImage, NODE_BASE_IMAGE } from '../src/container-image';
import type { TeamSettings } from '../src/team-settings';
import { bothShapes, MARKER, project } from './support/fixtures';

const { defaults, registry } = bothShapes();

describe('Dockerfile', () => {
  const dockerfile: string = defaults.Dockerfile;

  test('is platform-owned and pins every base image by digest', () => {
    expect(dockerfile.split('\n')[0]).toContain(MARKER);
    const froms = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));
    expect(froms).toHaveLength(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:22-alpine@sha256:[a-f0-9]{64}( AS build)?$/);
    expect(NODE_BASE_IMAGE).toMatch(/@sha256:[a-f0-9]{64}$/);
  });

  test('runs as the non-root node user, with a health check and the exec-form command', () => {
    const lines = dockerfile.split('\n');
    const user = lines.findIndex((l) => l === 'USER node');
    const cmd = lines.findIndex((l) => l.startsWith('CMD ['));
    expect(user).toBeGreaterThan(0);
    expect(cmd).toBeGreaterThan(user);
    expect(dockerfile).toContain('HEALTHCHECK --interval=30s');
    expect(dockerfile).not.toContain('{{');
  });

  test('uses the port and health check path of the team', () => {
    expect(defaults.Dockerfile).toContain('EXPOSE 8080');
    expect(defaults.Dockerfile).toContain('HEALTH_CHECK_PATH=/health');
    expect(registry.Dockerfile).toContain('EXPOSE 9090');
    expect(registry.Dockerfile).toContain('HEALTH_CHECK_PATH=/healthz');
  });

  test('installs from the lockfile and compiles in a build stage', () => {
    expect(dockerfile).toContain('COPY package.json package-lock.json ./');
    expect(dockerfile).toContain('RUN npm ci');
    expect(dockerfile).toContain('npm prune --omit=dev');
  });
});

test('.dockerignore keeps dependencies, git history and secrets out of the context', () => {
  const ignored = (defaults['.dockerignore'] as string).split('\n');
  expect(ignored[0]).toContain(MARKER);
  expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', '.env', '.env.*', 'test-reports']));
  expect(ignored).not.toContain('.projen');
});

test('an unpinned base image is refused', () => {
  const repository = project({ teamId: 'pay-portal' });
  const team = { port: 8080, healthCheckPath: '/health' } as TeamSettings;
  expect(() => new ContainerImage(repository, { team, baseImage: 'node:20-alpine' })).toThrow(
    "the base image must be pinned by digest (image@sha256:<64 hex digits>); received 'node:20-alpine'",
  );
});
