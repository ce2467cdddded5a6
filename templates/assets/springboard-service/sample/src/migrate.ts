import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client } from 'pg';
import { databaseConfig, SCHEMA } from './database';

/** node-pg-migrate's record of what ran, in the schema it migrates. */
const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * `npm run migrate [up|down]`: applies the migrations in src/migrations (compiled to lib/migrations),
 * in one transaction, recording what ran in `app.pgmigrations`. The platform runs `npm run migrate`
 * once before each environment's deploy, as the `migrator` identity (springboard.json `migrate`).
 * `down` reverts the last migration only (node-pg-migrate's default): for local development.
 */
export async function migrate(direction: 'up' | 'down', env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const client = new Client(databaseConfig(env));
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [SCHEMA]);
    // In AWS the platform creates the schema for the migrator; only a local database lacks it.
    if (!rowCount && !env.DATABASE_URL) throw new Error(`schema '${SCHEMA}' does not exist: the platform's database identities create it`);
    const ran = await runner({
      dbClient: client,
      dir: join(__dirname, 'migrations'),
      // Compiled output also holds declaration files; hidden files are skipped as by default.
      ignorePattern: '(\\..*|.*\\.d\\.ts|.*\\.map)',
      direction,
      schema: SCHEMA,
      createSchema: !rowCount,
      migrationsTable: MIGRATIONS_TABLE,
      singleTransaction: true,
      checkOrder: true,
      log: () => undefined,
    });
    await keepRecordToMigrator(client);
    return ran.map((migration) => migration.name);
  } finally {
    await client.end();
  }
}

/**
 * The schema's default privileges give the application identity data access to every table the
 * migrator creates, the migrations record included; a service that could edit the record could make
 * a migration run again or be skipped. So every grant on the record and its id sequence is taken
 * back after each run (PUBLIC's too; the owner keeps its own).
 */
async function keepRecordToMigrator(client: Client): Promise<void> {
  const table = `${SCHEMA}.${MIGRATIONS_TABLE}`;
  const { rows } = await client.query<{ kind: string; name: string; grantee: string }>(`
    SELECT DISTINCT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind, c.oid::regclass::text AS name,
      CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid IN (to_regclass($1), to_regclass(pg_get_serial_sequence($1, 'id'))) AND a.grantee <> c.relowner`, [table]);
  for (const grant of rows) await client.query(`REVOKE ALL ON ${grant.kind} ${grant.name} FROM ${grant.grantee}`);
}

if (require.main === module) {
  const direction = process.argv[2] ?? 'up';
  if (direction !== 'up' && direction !== 'down') {
    process.stderr.write(`usage: npm run migrate [up|down]; received '${direction}'\n`);
    process.exit(2);
  }
  migrate(direction).then(
    (ran) => process.stdout.write(`${JSON.stringify({ level: 'info', message: 'migrations ran', direction, migrations: ran })}\n`),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${JSON.stringify({ level: 'error', message: 'migration failed', error: message })}\n`);
      process.exit(1);
    },
  );
}
