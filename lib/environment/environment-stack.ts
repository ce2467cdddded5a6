/**
 * The stack of one team environment: network, key, load balancer (with WAF where the data
 * classification requires it), container service, optional database. Every role carries the
 * boundary, every taggable resource the contract's tags; prod stacks are termination-protected.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { denyOtherTeamsOnBuckets } from './bucket-isolation';
import { applyPermissionsBoundary } from '../baseline';
import { acknowledge } from '../compliance/acknowledgments';
import { applyTags } from '../construct-kit';
import { availabilityZonesFor } from './availability-zones';
import { controlsFor, searchableRetention } from './classification-controls';
import { Database } from './database';
import {
  environmentStackName, PLATFORM_PREFIX, serviceLogGroupName, serviceName, teamOwnerTags,
  ACKNOWLEDGED_CHANGES_METADATA_KEY,
  DATABASE_IDENTITIES, DATABASE_NAME,
} from '../contract';
import { DatabaseUsers } from './database-users';
import { EnvironmentKey } from './environment-key';
import { MigratorTaskRole } from './migrator-role';
import { Network } from './network';
import { PublicLoadBalancer } from './public-load-balancer';
import { ReleaseRecord } from './release';
import { WebApplicationFirewall } from './web-acl';
import { WebService } from './web-service';
import { DeployRole } from '../delivery/deploy-role';
import { EnvironmentMonitoring, LogArchiveSubscriptions, TeamBudget, budgetPlacement } from '../observability';
import type { EnvironmentSpec, PlatformSettings, TeamSpec } from '../registry/types';

export interface EnvironmentStackProps extends StackProps {
  readonly team: TeamSpec;
  /** One of `team.environments`. */
  readonly environment: EnvironmentSpec;
  readonly platform: PlatformSettings;
}

export class EnvironmentStack extends Stack {
  readonly key: EnvironmentKey;
  readonly network: Network;
  readonly loadBalancer: PublicLoadBalancer;
  readonly service: WebService;
  readonly release: ReleaseRecord;
  readonly deployRole: DeployRole;
  readonly firewall?: WebApplicationFirewall;
  readonly database?: Database;
  /** Creates the database's identities from inside the VPC, where there is a database. */
  readonly databaseUsers?: DatabaseUsers;
  /** The migration task's role, where there is a database. */
  readonly migratorRole?: MigratorTaskRole;
  readonly monitoring: EnvironmentMonitoring;

  constructor(scope: App | Construct, id: string, props: EnvironmentStackProps) {
    const { team, environment: env, platform } = props;
    validate(props);
    super(scope, id, {
      ...props,
      stackName: environmentStackName(team.id, env.name),
      env: { account: env.account, region: env.region },
      description: `Springboard environment ${env.name} of ${team.id} (${team.displayName})`,
      terminationProtection: env.isProd,
      analyticsReporting: false,
    });
    const name = `${PLATFORM_PREFIX}-${team.id}-${env.name}`;
    if (env.acknowledgedChanges.length > 0) {
      // The audit lists them (and flags stale ones) from the assembly alone.
      this.templateOptions.metadata = { ...this.templateOptions.metadata, [ACKNOWLEDGED_CHANGES_METADATA_KEY]: env.acknowledgedChanges };
    }
    const controls = controlsFor(team.dataClassification);
    const retention = searchableRetention(platform.logRetention.searchableDays, team.dataClassification, env.isProd);

    this.key = new EnvironmentKey(this, 'Key', {
      description: `Springboard ${team.id} ${env.name}`,
      alias: name,
      // Prod data: only break-glass disables or deletes its key; its recovery points may be copied to the backup account.
      breakGlassRoleName: env.isProd ? platform.breakGlassRoleName : undefined,
      backupAccount: env.isProd ? platform.backupCopy?.account : undefined,
    });
    const key = this.key.key;
    this.network = new Network(this, 'Network', {
      cidr: env.cidr,
      flowLogGroupName: `/${PLATFORM_PREFIX}/${team.id}/${env.name}/flow-logs`,
      key,
      logRetention: retention,
      natGateways: env.isProd ? 2 : 1,
    });
    const vpc = this.network.vpc;
    this.loadBalancer = new PublicLoadBalancer(this, 'LoadBalancer', {
      vpc,
      certificateArn: env.certificateArn,
      allowPlainHttp: plainHttpAllowed(team, env),
      internal: env.loadBalancer.internal,
      allowedCidrs: env.loadBalancer.allowedCidrs,
      sslPolicy: controls.sslPolicy,
      deletionProtection: env.isProd,
      accessLogDays: platform.logRetention.totalDays,
    });
    if (controls.webAclRequired) {
      this.firewall = new WebApplicationFirewall(this, 'Firewall', {
        loadBalancer: this.loadBalancer.loadBalancer,
        managedRuleGroups: controls.managedRuleGroups,
        rateLimit: env.rateLimit,
        name,
        key,
        logRetention: retention,
      });
    } else {
      acknowledge(this.loadBalancer.loadBalancer, 'NIST.800.53.R5-ALBWAFEnabled', `Data classification ${team.dataClassification} (FIPS 199 low): `
        + 'the classification mapping (docs/classification.md) makes a web application firewall mandatory from moderate up; low-impact public data does not require one.');
    }
    this.release = new ReleaseRecord(this, 'Release', {
      teamId: team.id, environment: env.name, repositoryAccount: platform.tooling.account, repositoryRegion: platform.tooling.region,
    });
    if (env.database) {
      this.database = new Database(this, 'Database', {
        vpc, spec: env.database, instanceIdentifier: name, key, logRetention: retention, production: env.isProd,
      });
    }
    this.service = new WebService(this, 'Service', {
      vpc,
      listener: this.loadBalancer.listener,
      release: this.release,
      service: env.service,
      name,
      // The team pipeline deploys to this service by name, as the deploy role below (lib/delivery).
      serviceName: serviceName(team.id, env.name),
      logGroupName: serviceLogGroupName(team.id, env.name),
      key,
      logRetention: retention,
      environment: this.serviceEnvironment(team, env),
      secrets: env.secrets,
    });
    if (this.database) {
      this.connectDatabase(this.database);
      this.databaseUsers = new DatabaseUsers(this, 'DatabaseUsers', {
        vpc, database: this.database, spec: env.database!, key, logGroupName: `/${PLATFORM_PREFIX}/${team.id}/${env.name}/database-users`, logRetention: retention,
      });
      this.migratorRole = new MigratorTaskRole(this, 'Migrator', { teamId: team.id, environment: env.name, database: this.database });
    }
    this.deployRole = new DeployRole(this, 'DeployRole', {
      team,
      environment: env,
      platform,
      taskRole: this.service.taskDefinition.taskRole,
      executionRole: this.service.taskDefinition.obtainExecutionRole(),
    });
    this.monitoring = this.observe(team, env, platform);
    denyOtherTeamsOnBuckets(this, team.id);
    applyPermissionsBoundary(this, platform.permissionsBoundaryName);
    applyTags(this, contractTags(team, env), platform.tags);
  }

  /** Zones come from the region, never from a context lookup (offline synth, see CONVENTIONS). */
  get availabilityZones(): string[] {
    return availabilityZonesFor(this.region);
  }

  private serviceEnvironment(team: TeamSpec, env: EnvironmentSpec): Record<string, string> {
    const vars: Record<string, string> = { SPRINGBOARD_TEAM: team.id, SPRINGBOARD_ENVIRONMENT: env.name, PORT: String(env.service.port) };
    if (this.database) {
      vars.DATABASE_HOST = this.database.instance.dbInstanceEndpointAddress;
      vars.DATABASE_PORT = this.database.instance.dbInstanceEndpointPort;
      vars.DATABASE_NAME = DATABASE_NAME;
      vars.DATABASE_USER = DATABASE_IDENTITIES.appUser;
    }
    return vars;
  }

  /** Alarms, dashboard and alert topic; logs streamed to the archive; the team's budget where this stack holds it. */
  private observe(team: TeamSpec, env: EnvironmentSpec, platform: PlatformSettings): EnvironmentMonitoring {
    const monitoring = new EnvironmentMonitoring(this, 'Monitoring', {
      teamId: team.id,
      environment: env,
      contacts: team.contacts,
      repository: team.repository,
      key: this.key.key,
      service: this.service.service,
      loadBalancer: this.loadBalancer.loadBalancer,
      targetGroup: this.service.targetGroup,
      logGroup: this.service.logGroup,
      database: this.database?.instance,
    });
    new LogArchiveSubscriptions(this, 'LogArchive', { teamId: team.id });
    if (budgetPlacement(team, env, platform) === 'environment') {
      new TeamBudget(this, 'Budget', {
        teamId: team.id,
        monthlyUsd: team.budget.monthlyUsd,
        owner: team.contacts.owner,
        accountScope: env.account,
        tags: { ...platform.tags, ...contractTags(team, env) },
      });
    }
    return monitoring;
  }

  /** The service reaches the database on its port and signs in with IAM as the app user, and as no other. */
  private connectDatabase(database: Database): void {
    database.instance.connections.allowDefaultPortFrom(this.service.service, 'PostgreSQL from the service');
    database.instance.grantConnect(this.service.taskDefinition.taskRole, DATABASE_IDENTITIES.appUser);
  }
}

function validate(props: EnvironmentStackProps): void {
  const { team, environment: env } = props;
  if (!team.environments.includes(env)) {
    throw new Error(`environment "${env.name}" is not one of team ${team.id}'s environments (${team.environments.map(e => e.name).join(', ')})`);
  }
  if (env.isProd && !env.certificateArn) {
    throw new Error(`${team.sourceFile}: environments.${env.name}.certificateArn is missing; a prod environment serves HTTPS only, so it needs an ACM certificate ARN in ${env.region}`);
  }
  if (!env.certificateArn && !plainHttpAllowed(team, env)) {
    throw new Error(`${team.sourceFile}: environments.${env.name}.certificateArn is missing; data classified ${team.dataClassification} is served over HTTPS only `
      + `in every environment, so it needs an ACM certificate ARN in ${env.region} (or loadBalancer.scheme: internal)`);
  }
}

/** Plain HTTP: never in prod; at moderate and high only behind an internal load balancer (docs/classification.md). */
export function plainHttpAllowed(team: TeamSpec, env: EnvironmentSpec): boolean {
  if (env.isProd) return false;
  return !controlsFor(team.dataClassification).httpsEverywhere || env.loadBalancer.internal;
}

export function contractTags(team: TeamSpec, env: EnvironmentSpec): Record<string, string> {
  return teamOwnerTags(team, env.name);
}
