import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnMapping, CfnOutput, CfnParameter, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import {
  CLOUDFORMATION_QUOTAS, applyQuotaCheck, quotaFindings, templateUsage,
} from '../../lib/app/quota-check';
import { createApp } from '../../lib/construct-kit/springboard-app';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-quota-'));
}

/** An app whose one stack holds `count` resources (plus `outputs` outputs), with the quota check applied. */
function appWith(count: number, outputs = 0): { app: App; lines: string[]; outdir: string } {
  const outdir = tempDir();
  const app = createApp({ outdir, builtinCloudFormationValidation: false });
  const lines: string[] = [];
  applyQuotaCheck(app, { log: line => lines.push(line) });
  const stack = new Stack(app, 'Crowded');
  for (let i = 0; i < count; i++) new CfnWaitConditionHandle(stack, `Handle${i}`);
  for (let i = 0; i < outputs; i++) new CfnOutput(stack, `Output${i}`, { value: `value-${i}` });
  return { app, lines, outdir };
}

function synthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('CloudFormation quota headroom at synth', () => {
  test('a stack with 401 resources (over 80% of 500) fails synth, naming stack, quota and the fix', () => {
    const { app, lines } = appWith(401);
    expect(synthError(app)).toBeDefined();
    expect(lines.join('\n')).toMatch(/error: stack Crowded uses 401 of 500 resources \(80.2%, over 80%\): split the stack/);
  });

  test('a stack with 251 resources (over 50%) synthesizes with a warning', () => {
    const { app, lines, outdir } = appWith(251);
    expect(synthError(app)).toBeUndefined();
    expect(fs.existsSync(path.join(outdir, 'Crowded.template.json'))).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^springboard quota check: warning: stack Crowded uses 251 of 500 resources \(50.2%, over 50%\)/)]);
  });

  test('a stack at exactly half of a quota is quiet', () => {
    const { app, lines } = appWith(250);
    expect(synthError(app)).toBeUndefined();
    expect(lines).toEqual([]);
  });

  test('outputs count against their own quota', () => {
    const { app, lines } = appWith(1, 101);
    expect(synthError(app)).toBeUndefined();
    expect(lines.join('\n')).toContain('uses 101 of 200 outputs');
  });

  test('mappings count against their own quota', () => {
    const { app, lines } = appWith(1);
    const stack = app.node.findChild('Crowded') as Stack;
    for (let i = 0; i < 101; i++) new CfnMapping(stack, `Map${i}`, { mapping: { key: { value: `v${i}` } } });
    expect(synthError(app)).toBeUndefined();
    expect(lines.join('\n')).toContain('uses 101 of 200 mappings');
  });

  test('parameters and template bytes are measured from the written template', () => {
    const outdir = tempDir();
    const app = createApp({ outdir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Measured');
    new CfnParameter(stack, 'Size', { default: 'small' });
    new CfnWaitConditionHandle(stack, 'Handle');
    app.synth();
    const file = path.join(outdir, 'Measured.template.json');
    const usage = templateUsage(file);
    expect(usage).toMatchObject({ stack: 'Measured', resources: 1, outputs: 0 });
    expect(usage.parameters).toBeGreaterThanOrEqual(1);
    expect(usage.templateBytes).toBe(fs.statSync(file).size);
  });

  test('a template body past 80% of 1 MB is an error, past 50% a warning', () => {
    const limit = CLOUDFORMATION_QUOTAS.templateBytes;
    const usage = { stack: 'Big', resources: 1, outputs: 0, parameters: 0, mappings: 0 };
    expect(quotaFindings({ ...usage, templateBytes: Math.ceil(limit * 0.8) + 1 })).toEqual([expect.objectContaining({ quota: 'templateBytes', level: 'error' })]);
    expect(quotaFindings({ ...usage, templateBytes: Math.ceil(limit * 0.5) + 1 })).toEqual([expect.objectContaining({ quota: 'templateBytes', level: 'warning' })]);
  });
});
