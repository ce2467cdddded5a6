/**
 * The migration task's role (docs/migrations.md): the pipeline's Migrate step runs the released
 * image once with this task role, and it signs in to this environment's database as the migrator
 * user, which owns the schema. Trusted by ECS tasks only (the source account condition is added to
 * every ECS trust by lib/construct-kit/source-conditions.ts); it may do nothing else.
 */
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Database } from './database';
import { DATABASE_IDENTITIES, migratorTaskRoleName } from '../contract';

export interface MigratorTaskRoleProps {
  readonly teamId: string;
  readonly environment: string;
  readonly database: Database;
}

export class MigratorTaskRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: MigratorTaskRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      // Named: the deploy role passes it to the migration task by this name (lib/contract/naming.ts).
      roleName: migratorTaskRoleName(props.teamId, props.environment),
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Springboard ${props.teamId} ${props.environment}: the migration task, signing in to the database as ${DATABASE_IDENTITIES.migratorUser}`,
    });
    props.database.instance.grantConnect(this.role, DATABASE_IDENTITIES.migratorUser);
  }
}
