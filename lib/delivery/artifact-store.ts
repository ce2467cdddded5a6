/**
 * A team pipeline's artifact store in one region of the tooling account: a customer-managed key
 * (rotation, alias from the contract) and an SSL-only, private, versioned bucket encrypted with it.
 * The environments' deploy roles may read artifacts, and use the key only through S3; they are
 * named in the policies by account plus an `aws:PrincipalArn` condition, so the policies are valid
 * before those roles exist and keep working when a role is recreated. Roles of the tooling account
 * (the pipeline's) use the key through their own IAM policies: the key's default policy delegates
 * to IAM in its account.
 */
import { ArnFormat, Duration, PhysicalName, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { SECURE_BUCKET_DEFAULTS } from '../construct-kit/bucket-defaults';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { deliveryKeyAlias } from '../contract';

export interface ArtifactReader {
  readonly account: string;
  /** ARNs of the roles in that account that may read artifacts (deploy roles). */
  readonly roleArns: readonly string[];
}

export interface ArtifactStoreProps {
  readonly teamId: string;
  /** Roles of other accounts that read artifacts in this region. */
  readonly readers: readonly ArtifactReader[];
  /**
   * Days artifacts are kept; executions older than this cannot be retried.
   * @default 90
   */
  readonly retentionDays?: number;
}

export class ArtifactStore extends Construct {
  readonly key: Key;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ArtifactStoreProps) {
    super(scope, id);
    validateReaders(props.readers);
    const days = props.retentionDays ?? 90;
    if (!Number.isInteger(days) || days < 1) throw new Error(`artifact retentionDays must be a positive whole number, received ${days}`);
    this.key = new Key(this, 'Key', {
      description: `Springboard delivery of ${props.teamId}: pipeline artifacts, notifications and build logs`,
      enableKeyRotation: true,
      alias: deliveryKeyAlias(props.teamId),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    limitGrantsToAwsServices(this.key);
    this.bucket = new Bucket(this, 'Bucket', {
      // The pipeline in the tooling region refers to a regional store by name: CDK derives one, deterministically.
      bucketName: PhysicalName.GENERATE_IF_NEEDED,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...SECURE_BUCKET_DEFAULTS,
      lifecycleRules: [{
        id: 'expire-artifacts',
        expiration: Duration.days(days),
        noncurrentVersionExpiration: Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
    this.allowServices();
    for (const reader of props.readers) this.allowReader(reader);
    const why = 'Pipeline artifacts are short-lived intermediates (expired after ' + days + ' days) written and read only by the team\'s pipeline '
      + 'and deploy roles; S3 cannot deliver server access logs into the KMS-encrypted log archive, and every pipeline execution records '
      + 'the artifacts it used (AU-2).';
    for (const rule of ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'CT.S3.PR.2']) acknowledge(this.bucket, rule, why);
  }

  /** Build logs (CloudWatch Logs) and pipeline notifications (EventBridge to SNS) of this account. */
  private allowServices(): void {
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(new PolicyStatement({
      sid: 'AllowBuildLogs',
      principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    this.key.addToResourcePolicy(new PolicyStatement({
      sid: 'AllowPipelineEventsToTopic',
      principals: [new ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
  }

  private allowReader(reader: ArtifactReader): void {
    const stack = Stack.of(this);
    const who = { ArnEquals: { 'aws:PrincipalArn': [...reader.roleArns].sort() } };
    this.bucket.addToResourcePolicy(new PolicyStatement({
      sid: `ReadArtifacts${reader.account}`,
      principals: [new AccountPrincipal(reader.account)],
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [this.bucket.arnForObjects('*')],
      conditions: who,
    }));
    this.key.addToResourcePolicy(new PolicyStatement({
      sid: `DecryptArtifacts${reader.account}`,
      principals: [new AccountPrincipal(reader.account)],
      actions: ['kms:Decrypt', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { ...who, StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }));
  }
}

function validateReaders(readers: readonly ArtifactReader[]): void {
  for (const r of readers) {
    if (!/^\d{12}$/.test(r.account)) throw new Error(`artifact reader account must be 12 digits, received "${r.account}"`);
    const bad = r.roleArns.filter(a => !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@-]+$/.test(a) || !a.includes(`::${r.account}:`));
    if (bad.length > 0) throw new Error(`artifact reader roles must be role ARNs in account ${r.account}, received ${bad.join(', ')}`);
  }
}
