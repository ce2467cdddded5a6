import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { buildPlatform, BuildPlatformOptions } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry } from '../../lib/registry';

const TEAMS = 10;

/** Synthesizes the registry as `cdk synth` would (path metadata on) and returns template bytes by file name. */
function synthTemplates(registryDir: string, options: BuildPlatformOptions = {}): Map<string, Buffer> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-determinism-out-'));
  const app = createApp({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:enable-path-metadata': true } });
  buildPlatform(app, loadRegistry(registryDir), options);
  app.synth();
  const files = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort();
  return new Map(files.map(f => [f, fs.readFileSync(path.join(outdir, f))]));
}

describe(`synth of ${TEAMS} generated teams`, () => {
  const registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-determinism-registry-'));
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;
  let platformScope: Map<string, Buffer>;

  beforeAll(() => {
    writeGeneratedRegistry(registryDir, TEAMS);
    first = synthTemplates(registryDir);
    second = synthTemplates(registryDir);
    platformScope = synthTemplates(registryDir, { scope: 'platform' });
  });

  test('covers every team environment and delivery stack', () => {
    const environments = [...first.keys()].filter(f => f.startsWith('springboard-env-'));
    const deliveries = [...first.keys()].filter(f => f.startsWith('springboard-delivery-'));
    // One delivery stack per team, plus one per other region the team deploys to.
    expect(new Set(deliveries.map(f => /^springboard-delivery-(team-\d+)/.exec(f)?.[1])).size).toBe(TEAMS);
    expect(environments.length).toBeGreaterThanOrEqual(TEAMS * 3);
  });

  test('gives byte-identical templates twice from the same registry', () => {
    expect([...second.keys()]).toEqual([...first.keys()]);
    const differing = [...first.keys()].filter(f => !first.get(f)!.equals(second.get(f)!));
    expect(differing).toEqual([]);
  });

  // -c scope=platform, what the platform pipeline's Synth step builds (lib/platform-pipeline/buildspec.ts).
  test('the platform scope builds baselines, pipeline stacks and fleet-wide stacks, no environment or delivery stack', () => {
    const kinds = new Set([...platformScope.keys()].map(f => /^springboard-(baseline|platform|env|delivery)-/.exec(f)?.[1]));
    expect([...kinds].sort()).toEqual(['baseline', 'platform']);
    const expected = [...first.keys()].filter(f => /^springboard-(baseline|platform)-/.test(f));
    expect([...platformScope.keys()]).toEqual(expected);
  });

  test('the platform scope\'s templates are byte-identical to the same stacks of a full build', () => {
    const differing = [...platformScope.keys()].filter(f => !platformScope.get(f)!.equals(first.get(f)!));
    expect(differing).toEqual([]);
  });
});
