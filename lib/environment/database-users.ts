/**
 * Creates the database identities (docs/migrations.md) from inside the VPC: a custom resource whose
 * function runs in the environment's private subnets, with a security group of its own that the
 * database admits on its port, reads RDS's managed master secret (that secret only, and the key
 * only for it) and runs the idempotent SQL of `database-users-handler/`.
 *
 * It runs after the instance exists (a dependency), on every deploy that changes the database's
 * settings, the identities or the function's code (all are properties of the resource), and
 * never removes a user (Delete does nothing).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Database } from './database';
import { DATABASE_IDENTITIES, DATABASE_NAME } from '../contract';
import { databaseUsersBundleDir } from './database-users-bundle';
import { encryptedLogGroup } from './log-groups';
import { SECRET_CONTEXT_KEY } from './service-secrets';
import { acknowledge } from '../compliance/acknowledgments';
import type { DatabaseSpec } from '../registry/types';

/** CloudFormation type of the resource (the audit and the tests find it by this). */
export const DATABASE_USERS_RESOURCE_TYPE = 'Custom::SpringboardDatabaseUsers';

export interface DatabaseUsersProps {
  readonly vpc: IVpc;
  readonly database: Database;
  /** The registry's settings of the database: a change re-runs the statements. */
  readonly spec: DatabaseSpec;
  /** The environment key: encrypts the function's logs; the master secret is encrypted with it too. */
  readonly key: IKey;
  readonly logGroupName: string;
  readonly logRetention: RetentionDays;
}

export class DatabaseUsers extends Construct {
  readonly handler: LambdaFunction;
  /** The function's own group: HTTPS out (Secrets Manager), and the database's port to the database only. */
  readonly securityGroup: SecurityGroup;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DatabaseUsersProps) {
    super(scope, id);
    const { database, key } = props;
    const secret = database.instance.secret;
    if (!secret) throw new Error('database users need the instance\'s managed master secret (manageMasterUserPassword)');
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, allowAllOutbound: false, description: 'Database users function: the database port to the database, HTTPS out',
    });
    this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to Secrets Manager and CloudFormation');
    database.instance.connections.allowDefaultPortFrom(this.securityGroup, 'PostgreSQL from the database users function');
    const logGroup = encryptedLogGroup(this, 'Logs', { logGroupName: props.logGroupName, key, retention: props.logRetention });
    const bundle = databaseUsersBundleDir();
    this.handler = new LambdaFunction(this, 'Handler', {
      runtime: Runtime.NODEJS_22_X, // NODE_MAJOR_VERSION in lib/contract/runtime.ts
      code: Code.fromAsset(bundle),
      handler: 'index.handler',
      timeout: Duration.minutes(5),
      memorySize: 256,
      vpc: props.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      logGroup,
      // The runtime's bundle of Amazon's certificate authorities, RDS's included: the function verifies the server.
      environment: { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' },
      description: 'Springboard: creates the database identities (migrator, app) in the environment database',
    });
    this.handler.addToRolePolicy(new PolicyStatement({
      sid: 'ReadTheMasterSecret', actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn],
    }));
    this.handler.addToRolePolicy(new PolicyStatement({
      sid: 'DecryptOnlyTheMasterSecret',
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com`,
          [`kms:EncryptionContext:${SECRET_CONTEXT_KEY}`]: secret.secretArn,
        },
      },
    }));
    const provider = new Provider(this, 'Provider', { onEventHandler: this.handler, logGroup });
    this.resource = new CustomResource(this, 'Users', {
      serviceToken: provider.serviceToken,
      resourceType: DATABASE_USERS_RESOURCE_TYPE,
      properties: {
        SecretArn: secret.secretArn,
        Host: database.instance.dbInstanceEndpointAddress,
        Port: database.instance.dbInstanceEndpointPort,
        Database: DATABASE_NAME,
        AppUser: DATABASE_IDENTITIES.appUser,
        MigratorUser: DATABASE_IDENTITIES.migratorUser,
        Schema: DATABASE_IDENTITIES.schema,
        IamRole: DATABASE_IDENTITIES.iamRole,
        // Not read by the function: a change of either makes CloudFormation send an Update, which runs the statements again.
        Settings: databaseSettings(props.spec),
        CodeVersion: path.basename(bundle),
      },
    });
    // After the instance exists and admits the function: the ingress rule is a resource of its own.
    this.resource.node.addDependency(database.instance, this.securityGroup, database.securityGroup);
    acknowledgeFindings(this, provider);
  }
}

/** The database's settings in the registry, as one stable string. */
export function databaseSettings(spec: DatabaseSpec): string {
  const settings = JSON.stringify([spec.engine, spec.version, spec.instanceClass, spec.allocatedStorageGiB]);
  return createHash('sha256').update(settings).digest('hex').slice(0, 16);
}

function acknowledgeFindings(users: DatabaseUsers, provider: Provider): void {
  const framework = provider.node.findChild('framework-onEvent');
  const runsOnDeploy = 'Runs only while CloudFormation deploys the environment, to create the database users; CloudFormation reports a failed '
    + 'call and retries are the next deploy\'s, so neither reserved concurrency nor a dead-letter queue applies (SI-13).';
  for (const fn of [users.handler, framework]) {
    for (const rule of ['NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ']) acknowledge(fn, rule, runsOnDeploy);
  }
  acknowledge(users.handler, 'AwsSolutions-L1', 'The function runs on the Node.js major the platform pins everywhere (lib/contract/runtime.ts) and '
    + 'moves with it (SI-2).');
  acknowledge(users.handler, 'AwsSolutions-IAM4', 'AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole only let the function write its '
    + 'own logs and attach its network interfaces in the private subnets; its other permissions read the one master secret (AC-6).');
  acknowledge(framework, 'AwsSolutions-IAM4', 'AWSLambdaBasicExecutionRole only lets the provider framework write its own logs (AC-6).');
  acknowledge(framework, 'AwsSolutions-IAM5', 'The provider framework may invoke only the database users function, any of its versions (<arn>:*), '
    + 'which is how CDK grants Lambda invoke (AC-6).');
  for (const rule of ['NIST.800.53.R5-LambdaInsideVPC', 'CT.LAMBDA.PR.3']) {
    acknowledge(framework, rule, 'The provider framework only relays CloudFormation\'s request to the database users function, which runs in the '
      + 'private subnets; the framework reaches no network resource (SC-7).');
  }
}
