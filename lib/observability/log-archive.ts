/**
 * The second half of OMB M-21-31 retention: every log event of a team environment is also streamed,
 * as it is written, into the account's log archive (the baseline's object-locked bucket, which moves
 * it to Glacier and Deep Archive and expires it at the total retention). CloudWatch keeps the
 * searchable copy for its retention period; the archive keeps the 30 months.
 *
 * Path: CloudWatch Logs subscription filter → Amazon Data Firehose (one stream per account and
 * region, in the baseline) → S3 `logs/` prefix, encrypted with the archive key. No Lambda, no
 * schedule: nothing to run or to fail silently between exports.
 */
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnSubscriptionFilter, LogGroup } from 'aws-cdk-lib/aws-logs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import {
  LOG_ARCHIVE_ERRORS_PREFIX, LOG_ARCHIVE_PARTITION_QUERY, LOG_ARCHIVE_STREAM_NAME, STREAMED_LOGS_PREFIX,
  logArchiveFilterName, logDeliveryRoleName, logSubscriptionRoleName,
} from './names';
import { acknowledge } from '../compliance/acknowledgments';

export interface LogArchiveDeliveryProps {
  /** The baseline's archive bucket. */
  readonly bucket: IBucket;
  /** The archive key the objects are encrypted with. */
  readonly key: IKey;
  /**
   * Seconds Firehose buffers before writing an object.
   * @default 300
   */
  readonly bufferSeconds?: number;
}

/** Baseline side: the stream and the two roles, found by name from every environment stack. */
export class LogArchiveDelivery extends Construct {
  readonly stream: CfnDeliveryStream;
  readonly deliveryRole: Role;
  readonly subscriptionRole: Role;

  constructor(scope: Construct, id: string, props: LogArchiveDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.deliveryRole = new Role(this, 'DeliveryRole', {
      roleName: logDeliveryRoleName(stack.region),
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'Firehose writes streamed logs into the log archive',
    });
    this.deliveryRole.addToPrincipalPolicy(new PolicyStatement({
      actions: ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
      resources: [props.bucket.bucketArn, props.bucket.arnForObjects(`${STREAMED_LOGS_PREFIX}*`), props.bucket.arnForObjects(`${LOG_ARCHIVE_ERRORS_PREFIX}*`)],
    }));
    this.deliveryRole.addToPrincipalPolicy(new PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [props.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
    }));
    this.stream = new CfnDeliveryStream(this, 'Stream', {
      deliveryStreamName: LOG_ARCHIVE_STREAM_NAME,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: this.deliveryRole.roleArn,
        // The batch is decompressed to read its team, and compressed again on the way out.
        compressionFormat: 'GZIP',
        fileExtension: '.json.gz',
        // One prefix per team, from the batch itself (dynamic partitioning): no per-team resource in the baseline.
        prefix: `${STREAMED_LOGS_PREFIX}!{partitionKeyFromQuery:team}/!{timestamp:yyyy/MM/dd}/`,
        errorOutputPrefix: `${LOG_ARCHIVE_ERRORS_PREFIX}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        // Dynamic partitioning needs a buffer of at least 64 MiB.
        bufferingHints: { intervalInSeconds: props.bufferSeconds ?? 300, sizeInMBs: 64 },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            { type: 'Decompression', parameters: [{ parameterName: 'CompressionFormat', parameterValue: 'GZIP' }] },
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: LOG_ARCHIVE_PARTITION_QUERY },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
          ],
        },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.key.keyArn } },
      },
    });
    this.stream.node.addDependency(this.deliveryRole);
    this.subscriptionRole = new Role(this, 'SubscriptionRole', {
      roleName: logSubscriptionRoleName(stack.region),
      assumedBy: new ServicePrincipal(`logs.${stack.region}.amazonaws.com`, {
        conditions: { StringLike: { 'aws:SourceArn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*` } },
      }),
      description: 'CloudWatch Logs puts subscribed log events into the archive stream',
    });
    this.subscriptionRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [this.stream.attrArn] }));
    acknowledge(this.deliveryRole, 'AwsSolutions-IAM5', 'Firehose writes one object per buffer under the archive\'s logs/<team>/ prefixes '
      + '(and errors/ for a batch it cannot partition) with generated names, so the object resources must end in a wildcard; '
      + 'the role can write nowhere else and cannot delete (AC-6, AU-9).');
    acknowledge(this.stream, 'CT.KINESIS.PR.1', 'Logs are in the stream only while buffered (at most five minutes), encrypted with an AWS-owned '
      + 'key; every object it writes is encrypted with the archive\'s customer-managed key (SC-28).');
  }
}

/** ARN of the account's archive stream, by name. */
export function logArchiveStreamArn(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return stack.formatArn({ service: 'firehose', resource: 'deliverystream', resourceName: LOG_ARCHIVE_STREAM_NAME });
}

/** ARN of the role CloudWatch Logs assumes, by name. */
export function logSubscriptionRoleArn(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: logSubscriptionRoleName(stack.region) });
}

export interface LogArchiveSubscriptionsProps {
  /** The team whose log groups these are: the filters carry its id, which the stream partitions by. */
  readonly teamId: string;
  /**
   * Where to look for log groups.
   * @default - the whole stack
   */
  readonly scope?: IConstruct;
}

/**
 * Environment side: a subscription filter, matching every event, on each log group the stack
 * creates (service, flow logs, database, firewall), into the baseline's archive stream.
 */
export class LogArchiveSubscriptions extends Construct {
  readonly filters: CfnSubscriptionFilter[] = [];

  constructor(scope: Construct, id: string, props: LogArchiveSubscriptionsProps) {
    super(scope, id);
    const root = props.scope ?? Stack.of(this);
    const groups = root.node.findAll().filter((c): c is LogGroup => c instanceof LogGroup);
    for (const group of groups) {
      const filter = new CfnSubscriptionFilter(this, `Archive-${group.node.path.replace(/[^A-Za-z0-9]/g, '')}`, {
        logGroupName: group.logGroupName,
        filterName: logArchiveFilterName(props.teamId),
        filterPattern: '',
        destinationArn: logArchiveStreamArn(this),
        roleArn: logSubscriptionRoleArn(this),
      });
      filter.addResourceDependency(group.node.defaultChild as CfnResource);
      this.filters.push(filter);
    }
  }
}

/** Longest a streamed event waits in the stream before it is in the archive. */
export const ARCHIVE_MAX_BUFFER = Duration.seconds(300);
