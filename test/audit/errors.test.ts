/** Clear errors, without a stack trace, for a folder that is not an assembly, a missing baseline, a newer CDK. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cloud_assembly_schema as cxschema } from 'aws-cdk-lib';
import { AuditError, readAssembly, runAudit } from '../../lib/audit';
import { runSpringboard } from '../support/cli';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-audit-errors-'));

function assemblyWithVersion(version: unknown): string {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version, artifacts: {} }));
  return dir;
}

test('a folder without manifest.json is not an assembly, and the message says what was found', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  expect(() => readAssembly(dir)).toThrow(AuditError);
  expect(() => readAssembly(dir)).toThrow(`assembly ${dir} is not a cloud assembly: no manifest.json in it (found notes.txt); expected the output folder of \`npx cdk synth\`, such as cdk.out`);
});

test('a missing assembly folder says to synthesize first', () => {
  expect(() => runAudit({ assembly: '/nonexistent/cdk.out' })).toThrow('assembly /nonexistent/cdk.out: folder not found; expected a cloud assembly (run `npx cdk synth` first, or pass --assembly <dir>)');
});

test('a missing baseline is named as the baseline', () => {
  const dir = assemblyWithVersion(cxschema.Manifest.version());
  expect(() => runAudit({ assembly: dir, baseline: '/nonexistent/approved' })).toThrow(/^baseline \/nonexistent\/approved: folder not found; expected the approved cloud assembly to compare with/);
});

test('an assembly from a newer CDK names both schema versions', () => {
  const supported = Number(cxschema.Manifest.version().split('.')[0]);
  const dir = assemblyWithVersion(`${supported + 1}.0.0`);
  expect(() => readAssembly(dir)).toThrow(`assembly ${dir} was written by a newer CDK: cloud assembly schema ${supported + 1}.0.0, this springboard reads up to ${supported}.x; upgrade springboard (its aws-cdk-lib) or synthesize with the aws-cdk-lib version the platform pins`);
});

test('an older or equal schema version is read', () => {
  expect(readAssembly(assemblyWithVersion('36.0.0')).stacks).toEqual([]);
});

test('a manifest without a version or with broken JSON is not an assembly', () => {
  expect(() => readAssembly(assemblyWithVersion(undefined))).toThrow(/has version undefined; expected a schema version such as/);
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{ not json');
  expect(() => readAssembly(dir)).toThrow(/is not a cloud assembly: .*manifest.json is not a readable manifest/);
});

test('the CLI prints the message on stderr without a stack trace and exits 1 (invalid input)', async () => {
  const run = await runSpringboard(['audit', '--assembly', tmp(), '--out', tmp()]);
  expect(run.stderr).toMatch(/^springboard audit: assembly .* is not a cloud assembly: no manifest.json in it \(found an empty folder\)/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code).toBe(1);
});
