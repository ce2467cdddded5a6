// @ts-check
/**
 * The database identities (docs/migrations.md): a `migrator` that owns the application's schema
 * (DDL, and the data changes a backfill needs) and an `app` with data access only, both signing in
 * with IAM authentication (membership of `rds_iam`, so neither has a password). Idempotent: every
 * statement may run again on a database that has them already, and grants on tables the migrator
 * created since are applied again.
 *
 * Meant to run inside the VPC as the master user (RDS's managed master secret), as a custom
 * resource function in the private subnets; this module holds the SQL and takes a connected
 * `pg` client, which the tests give it against a real PostgreSQL.
 */

/** Roles and schema; keep in step with lib/contract/database-identities.ts. */
const DEFAULTS = { appUser: 'app', migratorUser: 'migrator', schema: 'app', iamRole: 'rds_iam' };

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A lower-case identifier, checked (identifiers cannot be bound as query parameters).
 * @param {string} name
 * @returns {string}
 */
function identifier(name) {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain lower-case PostgreSQL identifier`);
  return `"${name}"`;
}

/**
 * The statements, in order; each one is safe to run again.
 * @param {{ database: string, appUser?: string, migratorUser?: string, schema?: string, iamRole?: string }} options
 * @returns {string[]}
 */
function statements(options) {
  const o = { ...DEFAULTS, ...options };
  const [db, app, migrator, schema, iam] = [o.database, o.appUser, o.migratorUser, o.schema, o.iamRole].map(identifier);
  const createRole = (/** @type {string} */ role, /** @type {string} */ quoted) => `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${quoted} LOGIN; END IF;
END $$`;
  return [
    createRole(o.migratorUser, migrator),
    createRole(o.appUser, app),
    // IAM authentication only: no password, and RDS admits members of rds_iam by token.
    `ALTER ROLE ${migrator} WITH LOGIN PASSWORD NULL NOCREATEDB NOCREATEROLE`,
    `ALTER ROLE ${app} WITH LOGIN PASSWORD NULL NOCREATEDB NOCREATEROLE`,
    `GRANT ${iam} TO ${migrator}, ${app}`,
    // The master user must be a member of the migrator to give it the schema.
    `GRANT ${migrator} TO CURRENT_USER`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${migrator}, ${app}`,
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${migrator}`,
    `ALTER SCHEMA ${schema} OWNER TO ${migrator}`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${app}`,
    // Tables and sequences the migrator creates from now on, and those it created already.
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${migrator} IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${migrator} IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${app}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${app}`,
    `ALTER ROLE ${migrator} SET search_path = ${schema}`,
    `ALTER ROLE ${app} SET search_path = ${schema}`,
  ];
}

/**
 * Runs every statement in one transaction: on any error, nothing of this run stays.
 * @param {{ query: (text: string) => Promise<unknown> }} client a connected pg client, as the master user
 * @param {{ database: string, appUser?: string, migratorUser?: string, schema?: string, iamRole?: string }} options
 */
async function ensureDatabaseUsers(client, options) {
  await client.query('BEGIN');
  try {
    for (const statement of statements(options)) await client.query(statement);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

module.exports = { DEFAULTS, statements, ensureDatabaseUsers };
