/**
 * The account's log archive: logs leave CloudWatch after their searchable period and stay here,
 * immutable (Object Lock in COMPLIANCE mode: nobody, root included, can delete or shorten an archived
 * object before its retention ends; docs/adr/0002-log-archive-compliance-lock.md), in cold storage,
 * until the total retention (OMB M-21-31: 30 months). Its key can be neither disabled nor scheduled
 * for deletion except by the break-glass role.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, BucketEncryption, ObjectLockRetention, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { logArchiveBucketName } from './names';
import { acknowledge } from '../compliance/acknowledgments';
import { SECURE_BUCKET_DEFAULTS } from '../construct-kit/bucket-defaults';
import { denyKeyDeletionExceptBreakGlass, limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { PLATFORM_OWNER, TAG_KEYS } from '../contract';
import { DEFAULT_BREAK_GLASS_ROLE_NAME } from '../contract/naming';
import { STREAMED_LOGS_PREFIX } from '../observability/names';

export interface LogArchiveProps {
  /** Days an archived log is kept in all (913 for 30 months). */
  readonly totalDays: number;
  /**
   * Days after which archived logs move to Glacier Flexible Retrieval.
   * @default 90
   */
  readonly glacierAfterDays?: number;
  /**
   * Days after which archived logs move to Glacier Deep Archive.
   * @default 180
   */
  readonly deepArchiveAfterDays?: number;
  /**
   * The only role that may disable the archive key or schedule its deletion.
   * @default DEFAULT_BREAK_GLASS_ROLE_NAME
   */
  readonly breakGlassRoleName?: string;
}

export class LogArchive extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const glacier = props.glacierAfterDays ?? 90;
    const deep = props.deepArchiveAfterDays ?? 180;
    validateTiers(props.totalDays, glacier, deep);
    const stack = Stack.of(this);
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'Springboard log archive', removalPolicy: RemovalPolicy.RETAIN });
    limitGrantsToAwsServices(this.key);
    denyKeyDeletionExceptBreakGlass(this.key, props.breakGlassRoleName ?? DEFAULT_BREAK_GLASS_ROLE_NAME);
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: logArchiveBucketName(stack.account, stack.region),
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...SECURE_BUCKET_DEFAULTS,
      objectLockEnabled: true,
      // COMPLIANCE, not GOVERNANCE: a governance lock yields to anyone allowed s3:BypassGovernanceRetention.
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.totalDays)),
      lifecycleRules: [{
        id: 'archive-then-expire',
        transitions: [
          { storageClass: StorageClass.GLACIER, transitionAfter: Duration.days(glacier) },
          { storageClass: StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(deep) },
        ],
        expiration: Duration.days(props.totalDays),
        noncurrentVersionExpiration: Duration.days(props.totalDays),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });
    this.allowLogExports();
    this.confineTeams();
    const destination = 'The log archive is the end destination of the platform\'s logs: server access logs of it would need yet another bucket. '
      + 'Its objects are immutable under Object Lock, encrypted with the archive key, and reachable only over TLS (AU-9, SC-8).';
    for (const rule of ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'CT.S3.PR.2']) acknowledge(this.bucket, rule, destination);
  }

  /**
   * Each team's logs are under `logs/<team>/` (the stream partitions by team). A principal tagged with a team
   * may read only its own prefix, and no team principal writes, deletes or re-dates anything here; principals
   * without a Team tag (services) and the platform's own (`Team=springboard`) are not concerned.
   */
  private confineTeams(): void {
    const team = `aws:PrincipalTag/${TAG_KEYS.team}`;
    const teamPrincipal = { Null: { [team]: 'false' }, StringNotEquals: { [team]: PLATFORM_OWNER } };
    const ownPrefix = `${STREAMED_LOGS_PREFIX}\${${team}}/*`;
    this.bucket.addToResourcePolicy(new PolicyStatement({
      sid: 'TeamsReadOnlyTheirPrefix',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:GetObject*', 's3:RestoreObject'],
      notResources: [this.bucket.arnForObjects(ownPrefix)],
      conditions: teamPrincipal,
    }));
    this.bucket.addToResourcePolicy(new PolicyStatement({
      sid: 'TeamsListOnlyTheirPrefix',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:ListBucket*'],
      resources: [this.bucket.bucketArn],
      conditions: { ...teamPrincipal, StringNotLike: { 's3:prefix': ownPrefix } },
    }));
    this.bucket.addToResourcePolicy(new PolicyStatement({
      sid: 'TeamsWriteNothing',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject*', 's3:DeleteObject*', 's3:BypassGovernanceRetention', 's3:PutBucket*', 's3:PutLifecycleConfiguration', 's3:DeleteBucket*'],
      resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      conditions: teamPrincipal,
    }));
  }

  /** CloudWatch Logs export tasks of this account write here, encrypted with the archive key. */
  private allowLogExports(): void {
    const stack = Stack.of(this);
    const logs = new ServicePrincipal(`logs.${stack.region}.amazonaws.com`);
    const sameAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    this.bucket.addToResourcePolicy(new PolicyStatement({
      effect: Effect.ALLOW, principals: [logs], actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn], conditions: sameAccount,
    }));
    this.bucket.addToResourcePolicy(new PolicyStatement({
      effect: Effect.ALLOW, principals: [logs], actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('exports/*')], conditions: sameAccount,
    }));
    this.key.addToResourcePolicy(new PolicyStatement({
      principals: [logs], actions: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], resources: ['*'], conditions: sameAccount,
    }));
  }
}

function validateTiers(total: number, glacier: number, deep: number): void {
  // S3 requires at least 90 days in Glacier before Deep Archive and a strictly later expiration.
  if (!(glacier >= 1 && deep >= glacier + 90 && total > deep)) {
    throw new Error(`log archive tiers must satisfy 1 <= glacier, glacier + 90 <= deep archive < total; received glacier ${glacier}, deep archive ${deep}, total ${total} days`);
  }
}
