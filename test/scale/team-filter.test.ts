import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { generatedTeamId, writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { buildPlatform } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry } from '../../lib/registry';

describe('-c teams= on a registry of 30 generated teams', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-filter-'));
  writeGeneratedRegistry(dir, 30);
  const registry = loadRegistry(dir);

  function stacksOf(teams?: string[]): Stack[] {
    const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-filter-out-')) });
    buildPlatform(app, registry, { teams });
    return app.node.findAll().filter(Stack.isStack);
  }

  test('constructs no stack of another team (baselines are shared per account and region, and list every team there)', () => {
    const one = generatedTeamId(0);
    const filtered = stacksOf([one]).filter(s => !s.stackName.startsWith('springboard-baseline-'));
    const others = registry.teams.map(t => t.id).filter(id => id !== one);
    const mentions = filtered.flatMap(s => s.node.findAll()).map(c => c.node.path).filter(p => others.some(id => p.includes(id)));
    expect(mentions).toEqual([]);
    expect(filtered.some(s => s.stackName.includes(one))).toBe(true);
  });

  test('builds the same stacks for a team whatever the fleet size, apart from fleet-wide stacks', () => {
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-filter-one-'));
    writeGeneratedRegistry(alone, 1);
    const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-filter-out-')) });
    buildPlatform(app, loadRegistry(alone), { teams: [generatedTeamId(0)] });
    const fleetOfOne = app.node.findAll().filter(Stack.isStack).map(s => s.stackName).sort();
    expect(stacksOf([generatedTeamId(0)]).map(s => s.stackName).sort()).toEqual(fleetOfOne);
  });
});
