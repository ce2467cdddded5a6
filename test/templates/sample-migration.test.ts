/**
 * The service template's sample, as a scaffolded repository has it, run for real: its migration
 * (node-pg-migrate) against a real PostgreSQL (test/support/postgres.ts) with the database identities
 * the platform creates (lib/environment/database-users-handler), and its entry point with and without
 * the secret the registry gives it. The sample's files are taken from templates/assets and compiled
 * here with TypeScript's transpiler into a temporary folder that uses this repository's node_modules
 * (node-pg-migrate, pg, the RDS signer, the RDS certificate authorities): no scaffold and no install,
 * so it takes seconds. test/templates/e2e.test.ts scaffolds, type-checks and tests the same files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from 'pg';
import * as ts from 'typescript';
import { connect, createScratchDatabase, describeWithPostgres, dropScratchDatabase } from '../support/postgres';

const ROOT = join(__dirname, '..', '..');
const ASSETS = join(ROOT, 'templates', 'assets', 'springboard-service');
const MIGRATION = '1767225600000_create-greetings';
/** The example registry's pilot team reads this secret (teams/benefits-screener.yaml, service.secrets). */
const SECRET_NAME = 'PARTNER_API_KEY';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const users = require(join(ROOT, 'lib', 'environment', 'database-users-handler')) as {
  ensureDatabaseUsers: (client: Client, options: Record<string, string>) => Promise<void>;
};

/** Every .ts file below `dir`, relative to it. */
function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort();
}

/**
 * The sample's src/ as `projen new` writes it (placeholders filled as ServiceSample does), compiled to
 * lib/ as the image's `npx projen compile` does: CommonJS, ES2022, esModuleInterop.
 */
function buildSample(): string {
  const out = mkdtempSync(join(tmpdir(), 'springboard-sample-'));
  const src = join(out, 'src');
  cpSync(join(ASSETS, 'sample', 'src'), src, { recursive: true });
  cpSync(join(ASSETS, 'platform', 'src', 'platform'), join(src, 'platform'), { recursive: true });
  writeFileSync(join(src, 'platform', 'team.ts'), "export const TEAM = { id: 'benefits-screener', port: 8080, healthCheckPath: '/health' } as const;\n");
  for (const file of typescriptFiles(src)) {
    const text = readFileSync(join(src, file), 'utf8').replace(/\{\{secretName\}\}/g, SECRET_NAME);
    const { outputText, diagnostics } = ts.transpileModule(text, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, strict: true },
    });
    if (diagnostics?.length) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
    const target = join(out, 'lib', file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  // What the compiled output of a real build also holds; the runner must skip it.
  writeFileSync(join(out, 'lib', 'migrations', `${MIGRATION}.d.ts`), 'export {};\n');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  return out;
}

/** A child's environment with nothing of this machine's database or AWS settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(DATABASE_|AWS_|PG|SPRINGBOARD_)/.test(key) || key === SECRET_NAME) delete env[key];
  return { ...env, ...extra };
}

interface Run { status: number | null; stdout: string; stderr: string }

/** `npm run migrate [direction]` is `node lib/migrate.js [direction]` (the script the template writes). */
function migrate(sample: string, env: Record<string, string>, direction?: 'up' | 'down'): Run {
  const result = spawnSync(process.execPath, ['lib/migrate.js', ...(direction ? [direction] : [])], { cwd: sample, env: cleanEnv(env), encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ran = (run: Run): string[] => {
  if (run.status !== 0) throw new Error(`migrate exited ${run.status}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}').migrations;
};

let sample = '';
beforeAll(() => {
  sample = buildSample();
});
afterAll(() => rmSync(sample, { recursive: true, force: true }));

test('the sample compiles: every source file, the migration and the migrate runner', () => {
  expect(typescriptFiles(join(sample, 'src'))).toEqual(expect.arrayContaining([
    'database.ts', 'main.ts', 'migrate.ts', `migrations/${MIGRATION}.ts`, 'secrets.ts', 'signing.ts',
  ]));
});

describeWithPostgres('the sample migration against a real PostgreSQL, as the platform\'s database identities', (url) => {
  // Roles are cluster-wide: names of this run only, so parallel runs never meet.
  const run = randomBytes(3).toString('hex');
  const names = { appUser: `app_${run}`, migratorUser: `migrator_${run}`, schema: 'app' };
  let database = '';
  const urlFor = (user: string) => {
    const parsed = new URL(url);
    parsed.username = user;
    parsed.pathname = `/${database}`;
    return parsed.toString();
  };
  const asMigrator = () => ({ DATABASE_URL: urlFor(names.migratorUser) });
  const asApp = () => ({ DATABASE_URL: urlFor(names.appUser) });
  const query = async (user: string, sql: string, params: unknown[] = []) => {
    const client = await connect(url, { database, user });
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const recorded = async () => (await query('postgres', 'SELECT name FROM app.pgmigrations ORDER BY id')).map((r) => r.name);

  beforeAll(async () => {
    database = await createScratchDatabase(url, `sample_${run}`);
    const admin = await connect(url, { database });
    try {
      await admin.query('DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = \'rds_iam\') THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $$');
      await users.ensureDatabaseUsers(admin, { database, ...names });
    } finally {
      await admin.end();
    }
  });

  afterAll(async () => {
    if (!database) return;
    await dropScratchDatabase(url, database);
    const admin = await connect(url);
    for (const role of [names.appUser, names.migratorUser]) {
      await admin.query(`DROP OWNED BY ${role} CASCADE`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    }
    await admin.end();
  });

  test('up, as the migrator: the table is created in the schema app, owned by the migrator, and recorded', async () => {
    expect(ran(migrate(sample, asMigrator()))).toEqual([MIGRATION]);
    const tables = await query('postgres', 'SELECT schemaname, tablename, tableowner FROM pg_tables WHERE schemaname = \'app\' ORDER BY tablename');
    expect(tables).toEqual([
      { schemaname: 'app', tablename: 'greetings', tableowner: names.migratorUser },
      { schemaname: 'app', tablename: 'pgmigrations', tableowner: names.migratorUser },
    ]);
    expect(await recorded()).toEqual([MIGRATION]);
  });

  test('the application identity reads and writes the new table (default privileges), and cannot drop it', async () => {
    await query(names.appUser, 'INSERT INTO greetings (message) VALUES ($1)', ['hello']);
    expect(await query(names.appUser, 'SELECT message FROM greetings')).toEqual([{ message: 'hello' }]);
    await expect(query(names.appUser, 'DROP TABLE greetings')).rejects.toThrow(/must be owner/);
  });

  test('the migrations record is the migrator\'s alone: the application identity can neither read nor edit it', async () => {
    await expect(query(names.appUser, 'DELETE FROM app.pgmigrations')).rejects.toThrow(/permission denied for table pgmigrations/);
    await expect(query(names.appUser, 'SELECT name FROM app.pgmigrations')).rejects.toThrow(/permission denied for table pgmigrations/);
    await expect(query(names.appUser, 'SELECT nextval(\'app.pgmigrations_id_seq\')')).rejects.toThrow(/permission denied for sequence/);
    expect(await recorded()).toEqual([MIGRATION]);
  });

  test('mutation: the schema\'s default grant on the record, put back, lets the application identity delete it; the next run takes it back', async () => {
    await query(names.migratorUser, `GRANT SELECT, INSERT, UPDATE, DELETE ON app.pgmigrations TO ${names.appUser}`);
    expect(await query(names.appUser, 'SELECT name FROM app.pgmigrations')).toEqual([{ name: MIGRATION }]);
    expect(ran(migrate(sample, asMigrator(), 'up'))).toEqual([]);
    await expect(query(names.appUser, 'DELETE FROM app.pgmigrations')).rejects.toThrow(/permission denied for table pgmigrations/);
  });

  test('up again runs nothing and keeps the data (the step runs before every deploy)', async () => {
    expect(ran(migrate(sample, asMigrator(), 'up'))).toEqual([]);
    expect(await recorded()).toEqual([MIGRATION]);
    expect(await query(names.appUser, 'SELECT message FROM greetings')).toEqual([{ message: 'hello' }]);
  });

  test('down reverts the last migration: the table and its record are gone', async () => {
    expect(ran(migrate(sample, asMigrator(), 'down'))).toEqual([MIGRATION]);
    expect(await query('postgres', 'SELECT tablename FROM pg_tables WHERE schemaname = \'app\'')).toEqual([{ tablename: 'pgmigrations' }]);
    expect(await recorded()).toEqual([]);
  });

  test('the application identity cannot apply a migration: the failure exits non-zero and nothing is left', async () => {
    const refused = migrate(sample, asApp());
    expect(refused.status).toBe(1);
    // Refused at the record: it cannot read what ran, and cannot create a record of its own in the schema.
    expect(refused.stderr).toMatch(/"level":"error","message":"migration failed","error":"Unable to ensure migrations table: error: permission denied for schema app/);
    expect(await query('postgres', 'SELECT tablename FROM pg_tables WHERE schemaname = \'app\' AND tablename = \'greetings\'')).toEqual([]);
    expect(await recorded()).toEqual([]);
  });

  test('mutation: with CREATE on the schema and the record slipped to the application identity, the refusal above no longer holds', async () => {
    await query('postgres', `GRANT CREATE ON SCHEMA app TO ${names.appUser}`);
    await query('postgres', `GRANT ALL ON app.pgmigrations, app.pgmigrations_id_seq TO ${names.appUser}`);
    try {
      expect(migrate(sample, asApp()).status).toBe(0);
      expect(await query('postgres', 'SELECT tableowner FROM pg_tables WHERE schemaname = \'app\' AND tablename = \'greetings\'')).toEqual([{ tableowner: names.appUser }]);
    } finally {
      await query('postgres', 'DROP TABLE IF EXISTS app.greetings');
      await query('postgres', 'DELETE FROM app.pgmigrations');
      await query('postgres', `REVOKE CREATE ON SCHEMA app FROM ${names.appUser}`);
    }
    expect(ran(migrate(sample, asMigrator()))).toEqual([MIGRATION]);
  });

  test('in AWS, a missing schema is an error naming who creates it, never an attempt to create it', async () => {
    const fresh = await createScratchDatabase(url, `sample_noschema_${run}`);
    try {
      const parsed = new URL(url);
      const result = spawnSync(process.execPath, ['-e', `
        const { migrate } = require('./lib/migrate.js');
        const database = require('./lib/database.js');
        // The AWS path (DATABASE_* set, no DATABASE_URL) with this server in place of RDS: no TLS, no token.
        const original = database.databaseConfig;
        database.databaseConfig = (env) => ({ ...original(env, async () => 'token'), ssl: false, password: '' });
        migrate('up', ${JSON.stringify({ DATABASE_HOST: parsed.hostname, DATABASE_PORT: parsed.port, DATABASE_USER: 'postgres', DATABASE_NAME: fresh, AWS_REGION: 'us-east-1' })})
          .then(() => process.exit(0), (e) => { process.stderr.write(e.message); process.exit(1); });
      `], { cwd: sample, env: cleanEnv({}), encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("schema 'app' does not exist: the platform's database identities create it");
    } finally {
      await dropScratchDatabase(url, fresh);
    }
  });
});

test('without DATABASE_URL or the platform\'s DATABASE_* variables, migrate exits 1 saying what to set', () => {
  const result = migrate(sample, {});
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('DATABASE_HOST, DATABASE_PORT, DATABASE_USER, AWS_REGION not set');
  expect(result.stderr).toContain('set DATABASE_URL');
});

test('in AWS the connection signs an IAM token for the migrator with the RDS signer and verifies TLS against the RDS authorities', async () => {
  const result = spawnSync(process.execPath, ['-e', `
    const { databaseConfig } = require('./lib/database.js');
    const config = databaseConfig(process.env);
    config.password().then((token) => process.stdout.write(JSON.stringify({ ...config, password: token, ca: config.ssl.ca.length })));
  `], {
    cwd: sample,
    encoding: 'utf8',
    env: cleanEnv({
      DATABASE_HOST: 'springboard-benefits-screener-dev.abc.us-east-1.rds.amazonaws.com',
      DATABASE_PORT: '5433',
      DATABASE_USER: 'migrator',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    }),
  });
  expect(result.stderr).toBe('');
  const config = JSON.parse(result.stdout);
  expect(config).toMatchObject({ host: 'springboard-benefits-screener-dev.abc.us-east-1.rds.amazonaws.com', port: 5433, user: 'migrator', database: 'postgres' });
  expect(config.ssl.rejectUnauthorized).toBe(true);
  expect(config.ca).toBeGreaterThan(10);
  expect(config.password).toMatch(/^springboard-benefits-screener-dev\.abc\.us-east-1\.rds\.amazonaws\.com:5433\/\?Action=connect&DBUser=migrator&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F\d{8}%2Fus-east-1%2Frds-db%2Faws4_request/);
});

describe('the sample\'s secret', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

  /** Starts `node lib/main.js` and resolves with its output once it has started or exited. */
  function start(env: Record<string, string>): Promise<{ status: number | null; output: string; port?: number; stop: () => Promise<void> }> {
    const child = spawn(process.execPath, ['lib/main.js'], { cwd: sample, env: cleanEnv({ PORT: '0', ...env }) });
    children.push(child);
    let output = '';
    return new Promise((resolve) => {
      const exited = new Promise<void>((onExit) => child.once('exit', () => onExit()));
      const stop = async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      };
      const done = (status: number | null, port?: number) => resolve({ status, get output() { return output; }, port, stop });
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const started = /"message":"service started".*"port":(\d+)/.exec(output);
        if (started) done(null, Number(started[1]));
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (status) => done(status));
    });
  }

  /** Starts the service with the secret, checks a signed response, stops it; returns all it logged. */
  async function signedRequest(key: string): Promise<string> {
    const service = await start({ SPRINGBOARD_ENVIRONMENT: 'dev', [SECRET_NAME]: key });
    try {
      expect(service.port).toBeDefined();
      const response = await fetch(`http://127.0.0.1:${service.port}/`);
      const body = await response.text();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { verify } = require(join(sample, 'lib', 'signing.js')) as { verify: (body: string, signature: string, key: string) => boolean };
      expect(verify(body, response.headers.get('x-signature') ?? '', key)).toBe(true);
      expect(verify(body, response.headers.get('x-signature') ?? '', 'another key')).toBe(false);
    } finally {
      await service.stop();
    }
    return service.output;
  }

  test('set by the platform: responses are signed with it, and no log line shows it', async () => {
    const key = `key-${randomBytes(12).toString('hex')}`;
    const output = await signedRequest(key);
    expect(output).toContain('"message":"request"');
    expect(output).not.toContain(key);
  });

  test('mutation: an app that logs its key is caught by the same check', async () => {
    const appJs = join(sample, 'lib', 'app.js');
    const original = readFileSync(appJs, 'utf8');
    const leaking = original.replace('return async (request, response) => {', "logger.info('configured', { signingKey: options.signingKey });\n    return async (request, response) => {");
    expect(leaking).not.toBe(original);
    writeFileSync(appJs, leaking);
    try {
      const key = `key-${randomBytes(12).toString('hex')}`;
      expect(await signedRequest(key)).toContain(key);
    } finally {
      writeFileSync(appJs, original);
    }
  });

  test('missing in AWS: the service does not start, and says which registry entry to add', async () => {
    const service = await start({ SPRINGBOARD_ENVIRONMENT: 'prod', SPRINGBOARD_TEAM: 'benefits-screener' });
    expect(service.status).toBe(1);
    expect(service.output).toContain(`${SECRET_NAME} is not set in environment 'prod'`);
    expect(service.output).toContain(`add \`${SECRET_NAME}: /benefits-screener/<parameter-name>\` under service.secrets in teams/benefits-screener.yaml`);
  });

  test('missing locally: a random key stands in, with a warning', async () => {
    const service = await start({});
    await service.stop();
    expect(service.port).toBeDefined();
    expect(service.output).toContain(`"level":"warn","message":"${SECRET_NAME} is not set: using a random key for local development`);
  });

  test('the example registry declares the secret the sample reads', () => {
    expect(readFileSync(join(ROOT, 'teams', 'benefits-screener.yaml'), 'utf8')).toMatch(new RegExp(`secrets:.*\\n\\s+${SECRET_NAME}: /benefits-screener/`));
  });
});
