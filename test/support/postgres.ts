/**
 * A real PostgreSQL for the tests that run SQL: `.ci/run` starts Debian's server as the `postgres`
 * user on 127.0.0.1 and sets SPRINGBOARD_TEST_DATABASE_URL. Where it is not set, the tests are
 * skipped with a message, except in CI (CI=true), where they fail: a skipped proof is no proof.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const DATABASE_URL_VARIABLE = 'SPRINGBOARD_TEST_DATABASE_URL';
const SKIPPED_DATABASE_URL = 'postgres://skipped@127.0.0.1:1/skipped';

/** `describe` when a server is given; otherwise a skip (locally) or a failing test (in CI) that says why. */
export function describeWithPostgres(name: string, body: (url: string) => void): void {
  const url = process.env[DATABASE_URL_VARIABLE];
  if (url) {
    describe(name, () => body(url));
    return;
  }
  const why = `${DATABASE_URL_VARIABLE} is not set: no PostgreSQL to run against. .ci/run installs Debian's postgresql and starts one `
    + `(as the postgres user: initdb refuses root); locally, start one on 127.0.0.1 and set ${DATABASE_URL_VARIABLE}=postgres://postgres@127.0.0.1:<port>/postgres`;
  if (process.env.CI === 'true') {
    test(name, () => {
      throw new Error(`CI=true and ${why}`);
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`skipped "${name}": ${why}`);
  // The body still runs to collect its tests: give it a well-formed address that nothing connects to.
  describe.skip(name, () => body(SKIPPED_DATABASE_URL));
}

/** Connects to `url` with another database and user. */
export async function connect(url: string, options: { database?: string; user?: string } = {}): Promise<Client> {
  const parsed = new URL(url);
  if (options.database) parsed.pathname = `/${options.database}`;
  if (options.user) parsed.username = options.user;
  const client = new Client({ connectionString: parsed.toString() });
  await client.connect();
  return client;
}

/** A database of its own for one test file, named so parallel runs never share one. */
export async function createScratchDatabase(url: string, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await connect(url);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return name;
}

export async function dropScratchDatabase(url: string, name: string): Promise<void> {
  const admin = await connect(url);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
