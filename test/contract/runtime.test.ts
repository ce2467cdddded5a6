/**
 * One supported Node.js everywhere Springboard runs code: this repository's engines, every CodeBuild
 * runtime the platform configures, the image a team's tests run in (docs/cdk-flags.md is separate;
 * this is the runtime half of the same upgrade).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatform } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { MIN_NODE_VERSION, NODE_MAJOR_VERSION } from '../../lib/contract';
import { loadRegistry } from '../../lib/registry';

const ROOT = path.join(__dirname, '..', '..');

/** Every string inside a (possibly token-joined) CloudFormation value, concatenated. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(text).join('');
  if (value && typeof value === 'object') return Object.values(value).map(text).join('');
  return '';
}

interface Project { readonly stack: string; readonly id: string; readonly buildSpec: string; readonly environment: Record<string, unknown> }

/** The CodeBuild projects of the example registry's synthesized stacks. */
function exampleProjects(): Project[] {
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-runtime-')) });
  buildPlatform(app, loadRegistry(path.join(ROOT, 'teams')));
  const assembly = app.synth();
  return assembly.stacks.flatMap(stack => Object.entries<any>(stack.template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CodeBuild::Project')
    .map(([id, r]) => ({
      stack: stack.stackName, id, buildSpec: text(r.Properties.Source?.BuildSpec), environment: r.Properties.Environment ?? {},
    })));
}

/** The Node.js majors a buildspec asks CodeBuild to install (`runtime-versions: nodejs`). */
function nodeRuntimes(buildSpec: string): number[] {
  return [...buildSpec.matchAll(/"runtime-versions"\s*:\s*\{\s*"nodejs"\s*:\s*"?(\d+)/g)].map(m => Number(m[1]));
}

const projects = exampleProjects();

test('every CodeBuild runtime the platform configures is the supported Node.js', () => {
  const runtimes = projects.flatMap(p => nodeRuntimes(p.buildSpec).map(version => ({ project: `${p.stack}/${p.id}`, version })));
  // The platform pipelines' synth and steps, and each team's change-set step, install Node.js.
  expect(runtimes.length).toBeGreaterThanOrEqual(2);
  expect(runtimes.filter(r => r.version !== NODE_MAJOR_VERSION)).toEqual([]);
});

test('every buildspec that runs npm names its Node.js runtime (no image default)', () => {
  const unnamed = projects.filter(p => /npm ci/.test(p.buildSpec) && !/docker run/.test(p.buildSpec) && nodeRuntimes(p.buildSpec).length === 0);
  expect(unnamed.map(p => `${p.stack}/${p.id}`)).toEqual([]);
});

test('a team\'s tests run in the supported Node.js image', () => {
  const images = projects.flatMap(p => ((p.environment.EnvironmentVariables ?? []) as Array<{ Name: string; Value: unknown }>)
    .filter(v => v.Name === 'TEST_IMAGE').map(v => String(v.Value)));
  expect(images.length).toBeGreaterThan(0);
  for (const image of images) expect(image).toMatch(new RegExp(`/node:${NODE_MAJOR_VERSION}-`));
});

test('the runtime check finds a buildspec that installs another Node.js (mutation)', () => {
  expect(nodeRuntimes(JSON.stringify({ phases: { install: { 'runtime-versions': { nodejs: 20 } } } }))).toEqual([20]);
});

test('engines and @types/node follow the supported version', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.engines.node).toBe(`>= ${MIN_NODE_VERSION}`);
  expect(pkg.devDependencies['@types/node']).toBe(`^${NODE_MAJOR_VERSION}`);
  expect(NODE_MAJOR_VERSION).toBe(22);
});
