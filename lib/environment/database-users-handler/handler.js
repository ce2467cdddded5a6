// @ts-check
/**
 * The custom-resource function that creates the database identities (docs/migrations.md). It runs
 * in the environment's private subnets, reads RDS's managed master secret, connects over verified
 * TLS and runs the idempotent statements of `./index.js`:
 *
 * - Create and Update: the statements run (again); any failure fails the deploy with a message
 *   that says which step failed, and the one transaction leaves nothing of the failed run.
 * - Delete: nothing runs, the users stay. Data owned by the migrator outlives a stack update that
 *   replaces this resource, and an instance being deleted takes its users with it.
 *
 * Bundled with `pg` by esbuild at synth (lib/environment/database-users-bundle.ts); the AWS SDK
 * comes with the Lambda runtime. Tests call `createHandler` with a mocked Secrets Manager and a
 * real PostgreSQL.
 */
const { GetSecretValueCommand, SecretsManagerClient } = require('@aws-sdk/client-secrets-manager');
const { Client } = require('pg');
const { ensureDatabaseUsers } = require('./index');

/** The resource's properties, all strings as CloudFormation passes them. */
const REQUIRED_PROPERTIES = ['SecretArn', 'Host', 'Port', 'Database', 'AppUser', 'MigratorUser', 'Schema', 'IamRole'];

/** The name PostgreSQL logs for these connections (log_connections is on). */
const APPLICATION_NAME = 'springboard-database-users';

/**
 * @typedef {{ SecretArn: string, Host: string, Port: string, Database: string, AppUser: string, MigratorUser: string, Schema: string, IamRole: string }} Properties
 * @typedef {{ username: string, password: string }} MasterSecret
 * @typedef {{ query: (text: string) => Promise<unknown>, end: () => Promise<void> }} DatabaseClient
 * @typedef {{ RequestType: string, ResourceProperties?: Record<string, unknown>, PhysicalResourceId?: string }} Event
 */

/**
 * The properties, each one present and a non-empty string.
 * @param {Event} event
 * @returns {Properties}
 */
function propertiesOf(event) {
  const given = event.ResourceProperties ?? {};
  const missing = REQUIRED_PROPERTIES.filter(name => typeof given[name] !== 'string' || given[name] === '');
  if (missing.length > 0) throw new Error(`the custom resource's properties lack ${missing.join(', ')} (expected non-empty strings)`);
  return /** @type {Properties} */ (/** @type {unknown} */ (given));
}

/**
 * The master user's name and password from RDS's managed secret (a JSON string); never logged.
 * @param {Pick<SecretsManagerClient, 'send'>} secrets
 * @param {string} secretArn
 * @returns {Promise<MasterSecret>}
 */
async function readMasterSecret(secrets, secretArn) {
  let text;
  try {
    text = (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (e) {
    throw new Error(`cannot read the database's master secret ${secretArn}: ${errorText(e)}`);
  }
  /** @type {any} */
  let parsed;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new Error(`the master secret ${secretArn} is not the JSON RDS writes ({"username": ..., "password": ...})`);
  }
  if (typeof parsed?.username !== 'string' || typeof parsed?.password !== 'string') {
    throw new Error(`the master secret ${secretArn} lacks a username or password string (expected RDS's managed secret)`);
  }
  return { username: parsed.username, password: parsed.password };
}

/**
 * How to connect: as the master user, over TLS with the server's certificate and name verified
 * (the RDS certificate authorities come from the runtime's bundle, NODE_EXTRA_CA_CERTS).
 * @param {Properties} props
 * @param {MasterSecret} secret
 */
function connectionOptions(props, secret) {
  return {
    host: props.Host,
    port: Number(props.Port),
    database: props.Database,
    user: secret.username,
    password: secret.password,
    ssl: { rejectUnauthorized: true, servername: props.Host },
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: 15_000,
    statement_timeout: 60_000,
  };
}

/**
 * A connected `pg` client.
 * @param {ReturnType<typeof connectionOptions>} options
 * @returns {Promise<DatabaseClient>}
 */
async function connectWithPg(options) {
  const client = new Client(options);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  return client;
}

/**
 * One physical id per database: a new host (an instance replaced) is a new resource.
 * @param {Properties} props
 */
function physicalIdOf(props) {
  return `database-users:${props.Host}:${props.Port}/${props.Database}`;
}

/** @param {unknown} e */
function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The handler, with its clients given (tests) or made on first use (Lambda).
 * @param {{ secrets?: Pick<SecretsManagerClient, 'send'>, connect?: (options: ReturnType<typeof connectionOptions>) => Promise<DatabaseClient> }} [dependencies]
 */
function createHandler(dependencies = {}) {
  const connect = dependencies.connect ?? connectWithPg;
  /** @type {Pick<SecretsManagerClient, 'send'> | undefined} */
  let secrets = dependencies.secrets;
  /** @param {Event} event */
  return async function handler(event) {
    if (event.RequestType === 'Delete') {
      console.log(`Delete of ${event.PhysicalResourceId}: the database users are left in place`);
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    if (event.RequestType !== 'Create' && event.RequestType !== 'Update') {
      throw new Error(`unknown request type "${event.RequestType}" (expected Create, Update or Delete)`);
    }
    const props = propertiesOf(event);
    const target = `${props.Host}:${props.Port}/${props.Database}`;
    secrets ??= new SecretsManagerClient({});
    const master = await readMasterSecret(secrets, props.SecretArn);
    /** @type {DatabaseClient} */
    let client;
    try {
      client = await connect(connectionOptions(props, master));
    } catch (e) {
      throw new Error(`cannot connect to ${target} as ${master.username} over verified TLS: ${errorText(e)}`);
    }
    try {
      await ensureDatabaseUsers(client, {
        database: props.Database, appUser: props.AppUser, migratorUser: props.MigratorUser, schema: props.Schema, iamRole: props.IamRole,
      });
    } catch (e) {
      throw new Error(`creating the database users on ${target} failed, nothing of this run was kept: ${errorText(e)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    console.log(`${event.RequestType}: users ${props.MigratorUser} and ${props.AppUser} and schema ${props.Schema} are in place on ${target}`);
    return { PhysicalResourceId: physicalIdOf(props), Data: { AppUser: props.AppUser, MigratorUser: props.MigratorUser, Schema: props.Schema } };
  };
}

module.exports = { handler: createHandler(), createHandler, connectionOptions, readMasterSecret, REQUIRED_PROPERTIES };
