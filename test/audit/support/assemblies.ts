/**
 * Small cloud assemblies for the audit tests, synthesized with app.synth() into temp folders:
 * a compliant-looking team environment, and the same with an open bucket, an admin role and a
 * security group open to the internet, inside a Stage (a nested assembly).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnResource, Duration, RemovalPolicy, Stack, StackProps, Stage, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../../../lib/compliance/acknowledgments';
import { createApp } from '../../../lib/construct-kit/springboard-app';
import { TAG_KEYS, environmentStackName } from '../../../lib/contract/naming';

export const TEAM = 'casework';
/** The reason the fixture gives when it acknowledges server access logs on its documents bucket. */
export const ACK_REASON = 'fixture bucket: access is recorded by CloudTrail data events in the log archive';

export interface FixtureOptions {
  /** Adds a public bucket, an administrator role and SSH open to the internet. */
  readonly insecure?: boolean;
  /** Changes the prod database's identifier, which makes CloudFormation replace it. */
  readonly renameDatabase?: boolean;
  /** Puts the stacks inside a Stage (a nested cloud assembly). @default true */
  readonly inStage?: boolean;
}

const ENV = { account: '333333333333', region: 'us-east-1' };

class TeamEnvironment extends Stack {
  public constructor(scope: Construct, id: string, props: StackProps & { environment: string; options: FixtureOptions }) {
    super(scope, id, props);
    const prod = props.environment === 'prod';
    const boundary = iam.ManagedPolicy.fromManagedPolicyName(this, 'Boundary', 'springboard-team-boundary');
    iam.PermissionsBoundary.of(this).apply(boundary);
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      natGateways: 0,
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key })) } },
    });
    const documents = new s3.Bucket(this, 'Documents', { encryptionKey: key, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
    acknowledge(documents, 'AwsSolutions-S1', ACK_REASON);
    const lb = new elbv2.ApplicationLoadBalancer(this, 'Web', { vpc, internetFacing: true });
    lb.addListener('Http', { port: 80, open: true }).addAction('Redirect', { action: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443' }) });
    const db = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
      storageEncryptionKey: key,
      multiAz: prod,
      deletionProtection: prod,
      backupRetention: Duration.days(7),
      removalPolicy: prod ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      instanceIdentifier: props.options.renameDatabase ? `${id}-db-renamed` : undefined,
    });
    // The generated credentials are stateful too: kept in prod, as the platform's own database construct does.
    if (prod) (db.node.findChild('Secret').node.defaultChild as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
    db.connections.allowDefaultPortFrom(lb, 'the load balancer reaches the database in this small fixture');
    new logs.LogGroup(this, 'ServiceLogs', { retention: prod ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH, encryptionKey: key });
    new iam.Role(this, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') })
      .addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::example/*'] }));
    if (props.options.insecure) this.addInsecureResources(vpc);
  }

  private addInsecureResources(vpc: ec2.IVpc): void {
    const open = new s3.Bucket(this, 'OpenBucket', {
      blockPublicAccess: new s3.BlockPublicAccess({
        blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false,
      }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    open.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], principals: [new iam.AnyPrincipal()], resources: [open.arnForObjects('*')] }));
    new iam.Role(this, 'AdminRole', { assumedBy: new iam.AccountRootPrincipal() })
      .addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    const sg = new ec2.SecurityGroup(this, 'Bastion', { vpc });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh from anywhere');
  }
}

function addEnvironments(scope: Construct, options: FixtureOptions): void {
  for (const environment of ['dev', 'prod']) {
    const name = environmentStackName(TEAM, environment);
    const stack = new TeamEnvironment(scope, name, { env: ENV, environment, options, stackName: name });
    Object.entries({ [TAG_KEYS.team]: TEAM, [TAG_KEYS.environment]: environment, [TAG_KEYS.programOffice]: 'Office of Family Assistance', [TAG_KEYS.costCenter]: 'CC-1', [TAG_KEYS.dataClassification]: 'moderate', [TAG_KEYS.managedBy]: 'springboard' })
      .forEach(([k, v]) => Tags.of(stack).add(k, v));
  }
}

/** Synthesizes the fixture into a fresh temp folder and returns the assembly directory. */
export function synthFixture(options: FixtureOptions = {}): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-audit-'));
  const app = createApp({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  if (options.inStage === false) addEnvironments(app, options);
  else addEnvironments(new Stage(app, 'Platform'), options);
  app.synth();
  return outdir;
}
