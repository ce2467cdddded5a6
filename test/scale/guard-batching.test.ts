import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { guardCatalog } from '../../lib/compliance';
import { GuardJob, startGuardJobs } from '../../lib/compliance/guard-runner';
import { addAdminRole, addOpenBucket, tempDir, testApp } from '../compliance/support';

/** Three templates with the same resource types (so the same rule files) and one with others. */
function synthesizedJobs(): GuardJob[] {
  const outdir = tempDir('batching');
  const app = testApp(outdir);
  for (const name of ['BatchA', 'BatchB', 'BatchC']) {
    const stack = new Stack(app, name);
    addOpenBucket(stack);
  }
  addAdminRole(new Stack(app, 'BatchRole'));
  app.synth();
  const catalog = guardCatalog();
  return ['BatchA', 'BatchB', 'BatchC', 'BatchRole'].map(name => {
    const templatePath = path.join(outdir, `${name}.template.json`);
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as { Resources: Record<string, { Type: string }> };
    const types = new Set(Object.values(template.Resources).map(r => r.Type));
    return { templatePath, ruleFiles: catalog.ruleFilesFor(types) };
  });
}

describe('cfn-guard batches', () => {
  const jobs = synthesizedJobs();

  test('give each template exactly the violations it gets alone, in one process or several', () => {
    const alone = startGuardJobs(jobs, { concurrency: 1, maxBatch: 1 }).wait();
    const batched = startGuardJobs(jobs, { concurrency: 1, maxBatch: 8 }).wait();
    const parallel = startGuardJobs(jobs, { concurrency: 2, maxBatch: 2 }).wait();
    expect(alone[0].length).toBeGreaterThan(0);
    expect(alone[3].length).toBeGreaterThan(0);
    expect(batched).toEqual(alone);
    expect(parallel).toEqual(alone);
  });

  test('keep every violation on its own template', () => {
    const batched = startGuardJobs(jobs, { concurrency: 1, maxBatch: 8 }).wait();
    batched.forEach((violations, i) => violations.forEach(v => v.violatingResources.forEach(r => {
      expect(path.resolve(r.templatePath)).toBe(path.resolve(jobs[i].templatePath));
    })));
  });
});
