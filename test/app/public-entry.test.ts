/**
 * lib/index.ts is the package's `main`: a programmatic user loads the registry, builds the platform,
 * gates it and audits it with imports from there alone, as its doc comment shows.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as springboard from '../../lib';

const ROOT = path.join(__dirname, '..', '..');

describe('the public entry (lib/index.ts)', () => {
  test('package.json names it as main', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('lib/index.ts');
    expect(fs.existsSync(path.join(ROOT, pkg.main))).toBe(true);
  });

  test('load, build, gate and audit the example registry through it', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-entry-'));
    try {
      const registry = springboard.loadRegistry(path.join(ROOT, 'teams'));
      const app = springboard.createApp({ outdir });
      const built = springboard.buildPlatform(app, registry);
      const gateLog: string[] = [];
      springboard.applyComplianceGate(app, { log: line => gateLog.push(line) });
      app.synth();
      expect(built.environments.map(e => e.stackName)).toContain(springboard.environmentStackName('benefits-screener', 'prod'));
      expect(gateLog.join('\n')).toMatch(/springboard compliance gate: pass/);

      const audit = springboard.runAudit({ assembly: outdir });
      expect(audit.report.verdict).toBe('pass');
      expect(audit.exitCode).toBe(0);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('an invalid registry is refused through it with the file named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-entry-bad-'));
    try {
      fs.writeFileSync(path.join(dir, 'x.yaml'), 'id: x\n');
      expect(() => springboard.loadRegistry(dir)).toThrow(springboard.RegistryError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
