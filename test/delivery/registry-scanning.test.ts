/**
 * The `_platform.yaml` switch `imageScanning`: basic (default) or enhanced (Amazon Inspector) in the
 * tooling account's registry, and the build's scan gate told which one to expect. One synth per mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlatform } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry, validateRegistry } from '../../lib/registry';
import type { Registry } from '../../lib/registry/types';
import { EXAMPLE_REGISTRY, lineOf, registryWith } from '../support/registry-files';

const PLATFORM = readFileSync(join(EXAMPLE_REGISTRY, '_platform.yaml'), 'utf8');
function withScanning(value: string): string {
  const changed = PLATFORM.replace(/^imageScanning: .*$/m, `imageScanning: ${value}`);
  if (changed === PLATFORM) throw new Error('test setup: the example _platform.yaml has no imageScanning line');
  return registryWith({ '_platform.yaml': changed });
}

type Template = { Resources: Record<string, any> };
/** Every stack's template, and the build project's expected scan type. */
function synth(registry: Registry): { templates: Record<string, Template>; expected: string } {
  const app = createApp();
  buildPlatform(app, registry);
  const assembly = app.synth();
  const templates = Object.fromEntries(assembly.stacks.map(s => [s.stackName + '@' + s.environment.account + '/' + s.environment.region, s.template as Template]));
  const project = Object.values(templates).flatMap(t => Object.values(t.Resources))
    .find(r => r.Type === 'AWS::CodeBuild::Project' && String(r.Properties.Name).endsWith('-build'));
  const expected = project.Properties.Environment.EnvironmentVariables.find((v: any) => v.Name === 'EXPECTED_SCAN_TYPE').Value;
  return { templates, expected };
}

/** [stack, properties] of every registry scanning configuration in the assembly. */
function scanningConfigurations(templates: Record<string, Template>): Array<[string, any]> {
  return Object.entries(templates).flatMap(([stack, t]) => Object.values(t.Resources)
    .filter(r => r.Type === 'AWS::ECR::RegistryScanningConfiguration').map(r => [stack, r.Properties] as [string, any]));
}

describe('the registry setting', () => {
  test('defaults to basic; enhanced is accepted', () => {
    const without = registryWith({ '_platform.yaml': PLATFORM.replace(/^imageScanning: .*$/m, '') });
    expect(loadRegistry(without).platform.imageScanning).toBe('basic');
    expect(loadRegistry(EXAMPLE_REGISTRY).platform.imageScanning).toBe('basic');
    expect(loadRegistry(withScanning('enhanced')).platform.imageScanning).toBe('enhanced');
  });

  test('another value is an error at its line, naming the choices', () => {
    const dir = withScanning('inspector');
    const problems = validateRegistry(dir).diagnostics.filter(d => d.severity === 'error');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'imageScanning', line: lineOf(readFileSync(join(dir, '_platform.yaml'), 'utf8'), 'imageScanning') });
    expect(problems[0].message).toMatch(/basic.*enhanced/);
  });
});

describe.each([
  ['basic', 'BASIC', 'SCAN_ON_PUSH'],
  ['enhanced', 'ENHANCED', 'CONTINUOUS_SCAN'],
])('imageScanning: %s', (mode, scanType, frequency) => {
  let result: ReturnType<typeof synth>;
  beforeAll(() => {
    const registry = loadRegistry(EXAMPLE_REGISTRY);
    result = synth({ ...registry, platform: { ...registry.platform, imageScanning: mode as 'basic' | 'enhanced' } });
  });

  test(`the tooling account's registry in the tooling region scans ${scanType}, every Springboard repository, ${frequency}`, () => {
    const registry = loadRegistry(EXAMPLE_REGISTRY);
    const { account, region } = registry.platform.tooling;
    const found = scanningConfigurations(result.templates);
    expect(found).toEqual([[`springboard-baseline-${account}-${region}@${account}/${region}`, {
      ScanType: scanType,
      Rules: [{ ScanFrequency: frequency, RepositoryFilters: [{ Filter: 'springboard/*', FilterType: 'WILDCARD' }] }],
    }]]);
  });

  test('the build\'s scan gate expects the same scan type', () => {
    expect(result.expected).toBe(scanType);
  });
});
