import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { buildPlatform } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry } from '../../lib/registry';

const TEAMS = 10;

/** Synthesizes the registry as `cdk synth` would (path metadata on) and returns template bytes by file name. */
function synthTemplates(registryDir: string): Map<string, Buffer> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-determinism-out-'));
  const app = createApp({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:enable-path-metadata': true } });
  buildPlatform(app, loadRegistry(registryDir));
  app.synth();
  const files = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort();
  return new Map(files.map(f => [f, fs.readFileSync(path.join(outdir, f))]));
}

describe(`synth of ${TEAMS} generated teams`, () => {
  const registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-determinism-registry-'));
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;

  beforeAll(() => {
    writeGeneratedRegistry(registryDir, TEAMS);
    first = synthTemplates(registryDir);
    second = synthTemplates(registryDir);
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
});
