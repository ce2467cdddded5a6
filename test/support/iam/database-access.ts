/**
 * Who may sign in to which database as whom (docs/migrations.md), evaluated with iam-simulate:
 * `rds-db:connect` names a database user of one instance by its resource id, which carries no Team
 * tag, so the boundary's tag deny does not guard it; the identity policies must. For every team role
 * of an environment stack and every database instance in its account, each of the users app,
 * migrator and the master user: allowed exactly when the role is that instance's service task role
 * and the user is app, or its migrator task role and the user is migrator.
 */
import { simulate } from './simulate';
import { DATABASE_IDENTITIES, environmentStackName, migratorTaskRoleName } from '../../../lib/contract';
import { DATABASE_ADMIN_USER } from '../../../lib/environment';
import type { IamModel, RoleModel } from '../../../lib/escalation/assembly/iam-model';
import type { TeamSpec } from '../../../lib/registry/types';

/** The user a role may sign in as on its own environment's instance, if any. */
function allowedUser(role: RoleModel, teams: readonly TeamSpec[]): string | undefined {
  for (const team of teams) {
    for (const env of team.environments) {
      if (role.stackName !== environmentStackName(team.id, env.name)) continue;
      if (role.name === migratorTaskRoleName(team.id, env.name)) return DATABASE_IDENTITIES.migratorUser;
      if (role.logicalId.startsWith('ServiceTaskDefinitionTaskRole')) return DATABASE_IDENTITIES.appUser;
    }
  }
  return undefined;
}

/** Every sign-in that is allowed but should not be, or refused but should be allowed. */
export async function databaseAccessFailures(model: IamModel, teams: readonly TeamSpec[]): Promise<string[]> {
  const envStacks = new Set(teams.flatMap(t => t.environments.map(e => environmentStackName(t.id, e.name))));
  const instances = model.resources.filter(r => r.type === 'AWS::RDS::DBInstance' && envStacks.has(r.stackName));
  if (instances.length === 0) throw new Error('no database instance in the assembly to probe');
  const users = [DATABASE_IDENTITIES.appUser, DATABASE_IDENTITIES.migratorUser, DATABASE_ADMIN_USER];
  const failures: string[] = [];
  for (const role of model.roles.filter(r => envStacks.has(r.stackName))) {
    const mine = allowedUser(role, teams);
    for (const instance of instances.filter(i => i.account === role.account)) {
      const stack = model.stacks.find(s => s.stackName === instance.stackName)!;
      const resourceId = stack.context.attributes[`${instance.logicalId}.DbiResourceId`];
      for (const user of users) {
        const arn = `arn:aws:rds-db:${instance.region}:${instance.account}:dbuser:${resourceId}/${user}`;
        const { decision } = await simulate(model, { role, action: 'rds-db:connect', resource: { arn, account: instance.account } });
        const expected = instance.stackName === role.stackName && user === mine;
        if ((decision === 'Allowed') !== expected) {
          failures.push(`${role.stackName}/${role.logicalId} ${expected ? 'may not' : 'may'} connect to ${instance.stackName}'s database as ${user} (${decision})`);
        }
      }
    }
  }
  return failures;
}
