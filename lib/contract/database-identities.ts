/**
 * The database identities every environment with a database has (docs/migrations.md): who signs
 * in as whom. One place for the names: the task roles' `rds-db:connect` grants, the service's
 * `DATABASE_USER`, and the SQL that creates the users (database-users-handler/index.js, whose
 * DEFAULTS a test keeps equal to these).
 */

export interface DatabaseIdentities {
  /** The application's user: data access only (SELECT, INSERT, UPDATE, DELETE). */
  readonly appUser: string;
  /** The migrations' user: owns the schema (DDL, and the data changes a backfill needs). */
  readonly migratorUser: string;
  /** The schema the migrator owns and the application uses. */
  readonly schema: string;
  /** The RDS role whose members sign in with IAM authentication tokens. */
  readonly iamRole: string;
}

export const DATABASE_IDENTITIES: DatabaseIdentities = {
  appUser: 'app',
  migratorUser: 'migrator',
  schema: 'app',
  iamRole: 'rds_iam',
};

/**
 * The database both users connect to: RDS PostgreSQL always has `postgres`, and the instance is
 * created without a database name of its own.
 */
export const DATABASE_NAME = 'postgres';
