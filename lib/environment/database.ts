/**
 * The team's optional PostgreSQL database: encrypted with the environment key, in isolated
 * subnets, master credentials managed and rotated by RDS in Secrets Manager (no rotation Lambda),
 * IAM authentication, TLS forced, logs exported to encrypted log groups, and backed up into the
 * baseline vault through its ManagedBy tag. In prod: Multi-AZ and deletion protection.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { InstanceType, IVpc, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CaCertificate, Credentials, DatabaseInstance, DatabaseInstanceEngine, ParameterGroup, PostgresEngineVersion, StorageType,
} from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { encryptedLogGroup } from './log-groups';
import { acknowledge } from '../compliance/acknowledgments';
import type { DatabaseSpec } from '../registry/types';

export interface DatabaseProps {
  readonly vpc: IVpc;
  readonly spec: DatabaseSpec;
  /** RDS instance identifier; also names its log groups. */
  readonly instanceIdentifier: string;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /**
   * Production settings: Multi-AZ, deletion protection, longer automated backups.
   * @default false
   */
  readonly production?: boolean;
}

/** Administrator user, managed by RDS in Secrets Manager; applications sign in with IAM instead. */
export const DATABASE_ADMIN_USER = 'springboard_admin';
/** PostgreSQL listens here rather than on the engine default 5432. */
export const DATABASE_PORT = 5433;

/** Log types exported to CloudWatch Logs. */
export const DATABASE_LOG_EXPORTS = ['postgresql', 'upgrade'];

export class Database extends Construct {
  readonly instance: DatabaseInstance;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    validateSpec(props.spec);
    const production = props.production ?? false;
    const version = PostgresEngineVersion.of(props.spec.version, props.spec.version.split('.')[0]);
    const engine = DatabaseInstanceEngine.postgres({ version });
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, allowAllOutbound: false, description: 'Database: PostgreSQL from the service only',
    });
    const logGroups = DATABASE_LOG_EXPORTS.map(type => encryptedLogGroup(this, `LogGroup-${type}`, {
      logGroupName: `/aws/rds/instance/${props.instanceIdentifier}/${type}`, key: props.key, retention: props.logRetention,
    }));
    this.instance = new DatabaseInstance(this, 'Instance', {
      engine,
      instanceIdentifier: props.instanceIdentifier,
      instanceType: new InstanceType(props.spec.instanceClass),
      vpc: props.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      allocatedStorage: props.spec.allocatedStorageGiB,
      maxAllocatedStorage: props.spec.allocatedStorageGiB * 4,
      storageType: StorageType.GP3,
      storageEncryptionKey: props.key,
      // Neither the engine's default user nor its default port: guessed names and ports are the first thing scanners try.
      credentials: Credentials.fromUsername(DATABASE_ADMIN_USER, { encryptionKey: props.key }),
      port: DATABASE_PORT,
      monitoringInterval: Duration.seconds(60),
      manageMasterUserPassword: true,
      iamAuthentication: true,
      parameterGroup: new ParameterGroup(this, 'Parameters', { engine, parameters: { 'rds.force_ssl': '1', 'log_connections': '1', 'log_disconnections': '1' } }),
      caCertificate: CaCertificate.RDS_CA_RSA2048_G1,
      multiAz: production,
      deletionProtection: production,
      backupRetention: Duration.days(production ? 14 : 7),
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.key,
      cloudwatchLogsExports: DATABASE_LOG_EXPORTS,
      // A snapshot is taken when the instance is deleted or replaced.
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    logGroups.forEach(g => this.instance.node.addDependency(g));
    acknowledgeByDesign(this, production);
  }
}

function validateSpec(spec: DatabaseSpec): void {
  if (spec.engine !== 'postgres') throw new Error(`database engine must be "postgres", received "${spec.engine}"`);
  if (!/^\d+(\.\d+)?$/.test(spec.version)) throw new Error(`database version must be a PostgreSQL version like "16" or "16.4", received "${spec.version}"`);
  if (!/^[a-z0-9]+\.[a-z0-9]+$/.test(spec.instanceClass)) throw new Error(`database instanceClass must look like "t4g.medium" (without "db."), received "${spec.instanceClass}"`);
  if (!Number.isInteger(spec.allocatedStorageGiB) || spec.allocatedStorageGiB < 20) {
    throw new Error(`database allocatedStorageGiB must be an integer of at least 20, received ${spec.allocatedStorageGiB}`);
  }
}

/** Findings this construct accepts by design, each with the reason an auditor reads (docs/compliance.md). */
function acknowledgeByDesign(db: Database, production: boolean): void {
  acknowledge(db.instance, 'NIST.800.53.R5-RDSInBackupPlan', 'Backed up by the baseline\'s AWS Backup plan, which selects databases by their '
    + 'ManagedBy tag from another stack; cdk-nag only sees backup plans in the same template (CP-9).');
  const ingress = 'Ingress comes only from the service\'s security group on the database port, never from an address range; the rule '
    + 'cannot resolve the port token and reports an error instead of a result (SC-7).';
  for (const rule of ['NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH']) acknowledge(db.securityGroup, rule, ingress);
  const monitoringRole = db.instance.node.tryFindChild('MonitoringRole');
  if (monitoringRole) {
    acknowledge(monitoringRole, 'AwsSolutions-IAM4', 'AmazonRDSEnhancedMonitoringRole is the AWS-maintained policy that RDS enhanced monitoring '
      + 'requires; only monitoring.rds.amazonaws.com can assume this role, and it only publishes OS metrics to CloudWatch Logs (AC-6).');
  }
  if (production) return;
  const nonProd = 'Non-prod database: Multi-AZ and deletion protection are prod settings; non-prod runs in one zone to save cost and must be '
    + 'removable, with automated backups and a final snapshot on delete (CP-9).';
  const rules = ['AwsSolutions-RDS3', 'AwsSolutions-RDS10', 'NIST.800.53.R5-RDSMultiAZSupport', 'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled',
    'CT.RDS.PR.1', 'CT.RDS.PR.13'];
  for (const rule of rules) acknowledge(db.instance, rule, nonProd);
}
