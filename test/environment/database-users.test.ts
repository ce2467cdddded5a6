/**
 * The database identities' SQL, run against a real PostgreSQL (test/support/postgres.ts), as a
 * master user made like RDS's (CREATEROLE and CREATEDB, not a superuser, admin of rds_iam): the
 * migrator owns the schema and can change it and its data; the application reads and writes data
 * only; running it again changes nothing; a failing run leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { Client } from 'pg';
import { connect, createScratchDatabase, describeWithPostgres, dropScratchDatabase } from '../support/postgres';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const users = require(path.join(__dirname, '..', '..', 'lib', 'environment', 'database-users-handler')) as {
  ensureDatabaseUsers: (client: Client, options: Record<string, string>) => Promise<void>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fn = require(path.join(__dirname, '..', '..', 'lib', 'environment', 'database-users-handler', 'handler.js')) as {
  createHandler: (deps: { secrets?: SecretsManagerClient; connect?: (options: any) => Promise<Client> }) => (event: any) => Promise<any>;
};
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:rds!db-test';

describeWithPostgres('database identities against a real PostgreSQL', (url) => {
  // Roles are cluster-wide: names of this run only, so parallel runs never meet.
  const run = randomBytes(3).toString('hex');
  const names = { appUser: `app_${run}`, migratorUser: `migrator_${run}`, schema: 'app' };
  const master = `springboard_admin_${run}`;
  let database = '';
  let options: Record<string, string> = {};
  const as = (user: string) => connect(url, { database, user });
  const attempt = async (client: Client, sql: string) => client.query(sql).then(() => 'ok', (e: Error) => e.message);

  beforeAll(async () => {
    database = await createScratchDatabase(url, `users_${run}`);
    options = { database, ...names };
    const admin = await connect(url);
    await admin.query('DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = \'rds_iam\') THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $$');
    await admin.query(`CREATE ROLE ${master} LOGIN CREATEROLE CREATEDB`);
    await admin.query(`GRANT rds_iam TO ${master} WITH ADMIN OPTION`);
    await admin.query(`ALTER DATABASE ${database} OWNER TO ${master}`);
    await admin.end();
    const client = await as(master);
    await users.ensureDatabaseUsers(client, options);
    await client.end();
  });

  afterAll(async () => {
    if (!database) return;
    await dropScratchDatabase(url, database);
    const admin = await connect(url);
    for (const role of [names.appUser, names.migratorUser, master]) {
      await admin.query(`DROP OWNED BY ${role} CASCADE`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    }
    await admin.end();
  });

  test('both users sign in by IAM only: login, no password, members of rds_iam, not privileged', async () => {
    const admin = await connect(url);
    const { rows } = await admin.query(`SELECT rolname, rolcanlogin, rolpassword IS NULL AS no_password, rolsuper, rolcreaterole, rolcreatedb,
        pg_has_role(rolname, 'rds_iam', 'MEMBER') AS iam FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname`, [[names.appUser, names.migratorUser]]);
    await admin.end();
    expect(rows).toEqual([names.appUser, names.migratorUser].sort().map(rolname => ({
      rolname, rolcanlogin: true, no_password: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false, iam: true,
    })));
  });

  test('the migrator owns the schema: creates and alters tables, and backfills data', async () => {
    const migrator = await as(names.migratorUser);
    expect(await attempt(migrator, 'CREATE TABLE screenings (id serial PRIMARY KEY, household_size int)')).toBe('ok');
    expect(await attempt(migrator, 'INSERT INTO screenings (household_size) VALUES (3), (4)')).toBe('ok');
    expect(await attempt(migrator, 'ALTER TABLE screenings ADD COLUMN eligible boolean')).toBe('ok');
    expect(await attempt(migrator, 'UPDATE screenings SET eligible = household_size > 3')).toBe('ok');
    const { rows } = await migrator.query('SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = \'app\'');
    expect(rows).toEqual([{ owner: names.migratorUser }]);
    await migrator.end();
  });

  test('the application reads and writes data, on tables the migrator made after the grants too', async () => {
    const app = await as(names.appUser);
    expect(await attempt(app, 'INSERT INTO screenings (household_size) VALUES (2)')).toBe('ok');
    expect(await attempt(app, 'UPDATE screenings SET eligible = false WHERE household_size = 2')).toBe('ok');
    expect((await app.query('SELECT count(*)::int AS n FROM screenings')).rows).toEqual([{ n: 3 }]);
    expect(await attempt(app, 'DELETE FROM screenings WHERE household_size = 2')).toBe('ok');
    await app.end();
  });

  test('the application cannot change the schema: no CREATE, ALTER, DROP or TRUNCATE, and nothing in public', async () => {
    const app = await as(names.appUser);
    expect(await attempt(app, 'CREATE TABLE app.mine (id int)')).toMatch(/permission denied for schema app/);
    expect(await attempt(app, 'ALTER TABLE screenings ADD COLUMN x int')).toMatch(/must be owner of table screenings/);
    expect(await attempt(app, 'DROP TABLE screenings')).toMatch(/must be owner of table screenings/);
    expect(await attempt(app, 'TRUNCATE screenings')).toMatch(/permission denied for table screenings/);
    expect(await attempt(app, 'CREATE TABLE public.mine (id int)')).toMatch(/permission denied for schema public/);
    await app.end();
  });

  test('running it again changes nothing and keeps the data (idempotent)', async () => {
    const client = await as(master);
    await users.ensureDatabaseUsers(client, options);
    await users.ensureDatabaseUsers(client, options);
    await client.end();
    const app = await as(names.appUser);
    expect((await app.query('SELECT count(*)::int AS n FROM screenings')).rows).toEqual([{ n: 2 }]);
    await app.end();
  });

  test('a run that fails part-way leaves nothing of itself (one transaction)', async () => {
    const client = await as(master);
    const failing = { ...options, appUser: `late_${run}`, migratorUser: `early_${run}`, iamRole: `missing_${run}` };
    await expect(users.ensureDatabaseUsers(client, failing)).rejects.toThrow(/role "missing_[0-9a-f]+" does not exist/);
    const { rows } = await client.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [[`late_${run}`, `early_${run}`]]);
    expect(rows).toEqual([]);
    await client.end();
  });

  test('identifiers are checked before any SQL is built', async () => {
    const client = await as(master);
    await expect(users.ensureDatabaseUsers(client, { ...options, appUser: 'app"; DROP TABLE screenings; --' })).rejects.toThrow('is not a plain lower-case PostgreSQL identifier');
    await client.end();
  });
  describe('the custom-resource function on the same server (Secrets Manager mocked)', () => {
    const secrets = mockClient(SecretsManagerClient);
    const server = new URL(url);
    const properties = () => ({
      SecretArn: SECRET_ARN,
      Host: server.hostname,
      Port: server.port,
      Database: database,
      AppUser: names.appUser,
      MigratorUser: names.migratorUser,
      Schema: names.schema,
      IamRole: 'rds_iam',
    });
    const requested: any[] = [];
    // The test server has no certificate: the options are recorded (and checked below), then used without TLS.
    const withoutTls = async (asked: any) => {
      requested.push(asked);
      return connect(url, { database: asked.database, user: asked.user });
    };
    beforeAll(() => {
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify({ username: master, password: 'unused' }) });
    });
    afterAll(() => {
      secrets.restore();
      jest.restoreAllMocks();
    });

    test('Create and Update, as the master user from the secret, leave the identities in place and the data untouched', async () => {
      const handler = fn.createHandler({ secrets: new SecretsManagerClient({ region: 'us-east-1' }), connect: withoutTls });
      for (const RequestType of ['Create', 'Update']) {
        const result = await handler({ RequestType, ResourceProperties: properties(), PhysicalResourceId: 'x' });
        expect(result.PhysicalResourceId).toBe(`database-users:${server.hostname}:${server.port}/${database}`);
      }
      const verified = { rejectUnauthorized: true, servername: server.hostname };
      expect(requested.map(o => [o.user, o.ssl])).toEqual([[master, verified], [master, verified]]);
      const app = await as(names.appUser);
      expect((await app.query('SELECT count(*)::int AS n FROM screenings')).rows).toEqual([{ n: 2 }]);
      expect(await attempt(app, 'DROP TABLE screenings')).toMatch(/must be owner of table screenings/);
      await app.end();
    });

    test('Delete leaves both users and their grants in place', async () => {
      const handler = fn.createHandler({ secrets: new SecretsManagerClient({ region: 'us-east-1' }), connect: withoutTls });
      await handler({ RequestType: 'Delete', ResourceProperties: properties(), PhysicalResourceId: 'x' });
      const app = await as(names.appUser);
      expect((await app.query('SELECT count(*)::int AS n FROM screenings')).rows).toEqual([{ n: 2 }]);
      await app.end();
    });

    test('the real connection insists on verified TLS: a server without it (or with a certificate it cannot verify) is refused, with the reason', async () => {
      const admin = await connect(url);
      const ssl = (await admin.query('SHOW ssl')).rows[0].ssl;
      await admin.end();
      const handler = fn.createHandler({ secrets: new SecretsManagerClient({ region: 'us-east-1' }) });
      // CI's server (Debian's initdb) has TLS off; a local one with a self-signed certificate fails verification instead.
      const reason = ssl === 'on' ? /certificate/ : /The server does not support SSL connections/;
      const failure = await handler({ RequestType: 'Create', ResourceProperties: properties() }).then(() => 'connected', (e: Error) => e.message);
      expect(failure.startsWith(`cannot connect to ${server.hostname}:${server.port}/${database} as ${master} over verified TLS: `)).toBe(true);
      expect(failure).toMatch(reason);
    });
  });
});
