/**
 * The database users function's event handling, with Secrets Manager mocked (aws-sdk-client-mock)
 * and the database client a recorder: Create and Update run the statements, Delete runs nothing,
 * every failure is an error that says what failed; the connection is verified TLS as the master
 * user. The statements themselves run against a real PostgreSQL in database-users.test.ts.
 */
import * as path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { DATABASE_IDENTITIES, DATABASE_NAME } from '../../lib/contract/database-identities';
import { MIGRATOR_DATABASE_USER } from '../../lib/delivery/migrate-step';

const HANDLER_DIR = path.join(__dirname, '..', '..', 'lib', 'environment', 'database-users-handler');
/* eslint-disable @typescript-eslint/no-require-imports */
const sql = require(HANDLER_DIR) as { DEFAULTS: Record<string, string>; statements: (o: Record<string, string>) => string[] };
const fn = require(path.join(HANDLER_DIR, 'handler.js')) as {
  createHandler: (deps: { secrets?: SecretsManagerClient; connect?: (options: any) => Promise<any> }) => (event: any) => Promise<any>;
  connectionOptions: (props: Record<string, string>, secret: { username: string; password: string }) => any;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:rds!db-1234-AbCdEf';
const PROPERTIES = {
  ServiceToken: 'arn:aws:lambda:us-east-1:222222222222:function:provider',
  SecretArn: SECRET_ARN,
  Host: 'springboard-a-dev.abc.us-east-1.rds.amazonaws.com',
  Port: '5433',
  Database: DATABASE_NAME,
  AppUser: DATABASE_IDENTITIES.appUser,
  MigratorUser: DATABASE_IDENTITIES.migratorUser,
  Schema: DATABASE_IDENTITIES.schema,
  IamRole: DATABASE_IDENTITIES.iamRole,
  Settings: 'abc',
  CodeVersion: 'database-users-0',
};
const MASTER = { username: 'springboard_admin', password: 'not-a-real-password' };

/** A database client that records its statements; `failOn` makes the matching statement fail. */
function recorder(failOn?: RegExp) {
  const calls: string[] = [];
  let ended = false;
  const options: any[] = [];
  const connect = async (o: any) => {
    options.push(o);
    return {
      query: async (text: string) => {
        calls.push(text);
        if (failOn?.test(text)) throw new Error('permission denied to grant role "rds_iam"');
        return {};
      },
      end: async () => { ended = true; },
    };
  };
  return { connect, calls, options, ended: () => ended };
}

const secrets = mockClient(SecretsManagerClient);
beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());
beforeEach(() => {
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify({ ...MASTER, engine: 'postgres' }) });
});

const event = (RequestType: string, extra: Record<string, unknown> = {}) => ({ RequestType, ResourceProperties: { ...PROPERTIES }, ...extra });
const handlerWith = (db = recorder()) => fn.createHandler({ secrets: new SecretsManagerClient({ region: 'us-east-1' }), connect: db.connect });

describe('the database users function', () => {
  test('the SQL\'s defaults are the identities Springboard grants IAM access to (one place for the names)', () => {
    expect(sql.DEFAULTS).toEqual({ ...DATABASE_IDENTITIES });
    // The pipeline's Migrate step signs in as this user (lib/delivery/migrate-step.ts).
    expect(MIGRATOR_DATABASE_USER).toBe(DATABASE_IDENTITIES.migratorUser);
  });

  test.each(['Create', 'Update'])('%s: reads the master secret, runs every statement in one transaction, and closes the connection', async (type) => {
    const db = recorder();
    const result = await handlerWith(db)(event(type, type === 'Update' ? { PhysicalResourceId: 'old' } : {}));
    expect(secrets.commandCalls(GetSecretValueCommand).map(c => c.args[0].input)).toEqual([{ SecretId: SECRET_ARN }]);
    expect(db.calls).toEqual(['BEGIN', ...sql.statements({ database: DATABASE_NAME }), 'COMMIT']);
    expect(db.ended()).toBe(true);
    expect(result).toEqual({
      PhysicalResourceId: `database-users:${PROPERTIES.Host}:5433/${DATABASE_NAME}`,
      Data: { AppUser: 'app', MigratorUser: 'migrator', Schema: 'app' },
    });
  });

  test('connects as the master user to the instance over TLS that verifies the certificate and the host name', async () => {
    const db = recorder();
    await handlerWith(db)(event('Create'));
    expect(db.options).toEqual([expect.objectContaining({
      host: PROPERTIES.Host,
      port: 5433,
      database: DATABASE_NAME,
      user: MASTER.username,
      password: MASTER.password,
      ssl: { rejectUnauthorized: true, servername: PROPERTIES.Host },
    })]);
  });

  test('Delete runs nothing and leaves the users in place, keeping the physical id', async () => {
    const db = recorder();
    const result = await handlerWith(db)(event('Delete', { PhysicalResourceId: 'database-users:old-host:5433/postgres' }));
    expect(result).toEqual({ PhysicalResourceId: 'database-users:old-host:5433/postgres' });
    expect(db.calls).toEqual([]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('a failing statement fails the request with the target and the cause, after a rollback and a closed connection', async () => {
    const db = recorder(/^GRANT "rds_iam"/);
    await expect(handlerWith(db)(event('Create'))).rejects.toThrow(
      `creating the database users on ${PROPERTIES.Host}:5433/${DATABASE_NAME} failed, nothing of this run was kept: permission denied to grant role "rds_iam"`);
    expect(db.calls.at(-1)).toBe('ROLLBACK');
    expect(db.calls).not.toContain('COMMIT');
    expect(db.ended()).toBe(true);
  });

  test('a secret that cannot be read fails the request naming the secret, without connecting', async () => {
    secrets.on(GetSecretValueCommand).rejects(new Error('User is not authorized to perform: secretsmanager:GetSecretValue'));
    const db = recorder();
    await expect(handlerWith(db)(event('Create'))).rejects.toThrow(
      `cannot read the database's master secret ${SECRET_ARN}: User is not authorized to perform: secretsmanager:GetSecretValue`);
    expect(db.options).toEqual([]);
  });

  test('a secret that is not RDS\'s JSON fails the request, and the message holds no secret value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2' });
    await expect(handlerWith()(event('Create'))).rejects.toThrow(/^the master secret \S+ is not the JSON RDS writes/);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'springboard_admin' }) });
    const failure = await handlerWith()(event('Create')).catch((e: Error) => e.message);
    expect(failure).toMatch(/lacks a username or password string/);
    expect(failure).not.toContain('hunter2');
  });

  test('a database it cannot reach fails the request naming the host and the cause', async () => {
    const connect = async () => { throw new Error('The server does not support SSL connections'); };
    const handler = fn.createHandler({ secrets: new SecretsManagerClient({ region: 'us-east-1' }), connect });
    await expect(handler(event('Create'))).rejects.toThrow(
      `cannot connect to ${PROPERTIES.Host}:5433/${DATABASE_NAME} as springboard_admin over verified TLS: The server does not support SSL connections`);
  });

  test('missing properties and unknown request types are refused before anything runs', async () => {
    const db = recorder();
    const { Host: _host, SecretArn: _secret, ...rest } = PROPERTIES;
    await expect(handlerWith(db)({ RequestType: 'Create', ResourceProperties: rest })).rejects.toThrow(
      'the custom resource\'s properties lack SecretArn, Host (expected non-empty strings)');
    await expect(handlerWith(db)(event('Restore'))).rejects.toThrow('unknown request type "Restore" (expected Create, Update or Delete)');
    expect(db.calls).toEqual([]);
  });
});
