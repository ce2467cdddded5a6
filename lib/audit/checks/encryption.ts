/** Encryption at rest of every data store, per resource type. */
import { ResourceView, StackView, asArray, describeValue, referencedLogicalId } from '../template';
import { CheckResult, NOT_APPLICABLE, ResourceCheck, compliant, nonCompliant } from './types';

type Props = Record<string, unknown>;

/** How a data-store type declares encryption: `opt-in` types are plain text unless the template says otherwise. */
interface StoreRule {
  readonly label: string;
  readonly default: 'opt-in' | 'service-default';
  /** The key reference, when encrypted; `false` when explicitly or implicitly unencrypted. */
  readonly key: (p: Props) => unknown | false;
}

const get = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Props)[k] : undefined), value);
const on = (v: unknown) => v === true || v === 'true';
const off = (v: unknown) => v === false || v === 'false';

/** Data-store types Springboard inventories, with where each keeps its encryption setting. */
export const DATA_STORES: Readonly<Record<string, StoreRule>> = {
  'AWS::S3::Bucket': {
    label: 'S3 bucket',
    default: 'service-default',
    key: p => {
      const rule = get(asArray(get(p, 'BucketEncryption', 'ServerSideEncryptionConfiguration'))[0], 'ServerSideEncryptionByDefault') as Props | undefined;
      if (!rule) return 'S3-managed key (SSE-S3, service default)';
      return rule.KMSMasterKeyID ?? (String(rule.SSEAlgorithm).startsWith('aws:kms') ? 'AWS managed key aws/s3' : 'S3-managed key (SSE-S3)');
    },
  },
  'AWS::RDS::DBInstance': { label: 'RDS instance', default: 'opt-in', key: p => storageKey(p, 'StorageEncrypted', 'aws/rds') },
  'AWS::RDS::DBCluster': { label: 'RDS cluster', default: 'opt-in', key: p => storageKey(p, 'StorageEncrypted', 'aws/rds') },
  'AWS::DocDB::DBCluster': { label: 'DocumentDB cluster', default: 'opt-in', key: p => storageKey(p, 'StorageEncrypted', 'aws/rds') },
  'AWS::Neptune::DBCluster': { label: 'Neptune cluster', default: 'opt-in', key: p => storageKey(p, 'StorageEncrypted', 'aws/rds') },
  'AWS::EFS::FileSystem': { label: 'EFS file system', default: 'opt-in', key: p => storageKey(p, 'Encrypted', 'aws/elasticfilesystem') },
  'AWS::EC2::Volume': { label: 'EBS volume', default: 'opt-in', key: p => storageKey(p, 'Encrypted', 'aws/ebs') },
  'AWS::ElastiCache::ReplicationGroup': { label: 'ElastiCache replication group', default: 'opt-in', key: p => storageKey(p, 'AtRestEncryptionEnabled', 'aws/elasticache') },
  'AWS::Redshift::Cluster': { label: 'Redshift cluster', default: 'opt-in', key: p => storageKey(p, 'Encrypted', 'aws/redshift') },
  'AWS::OpenSearchService::Domain': {
    label: 'OpenSearch domain',
    default: 'opt-in',
    key: p => on(get(p, 'EncryptionAtRestOptions', 'Enabled')) ? get(p, 'EncryptionAtRestOptions', 'KmsKeyId') ?? 'AWS managed key aws/es' : false,
  },
  'AWS::Kinesis::Stream': {
    label: 'Kinesis stream',
    default: 'opt-in',
    key: p => get(p, 'StreamEncryption', 'KeyId') ?? false,
  },
  'AWS::SNS::Topic': { label: 'SNS topic', default: 'opt-in', key: p => p.KmsMasterKeyId ?? false },
  'AWS::DynamoDB::Table': {
    label: 'DynamoDB table',
    default: 'service-default',
    key: p => on(get(p, 'SSESpecification', 'SSEEnabled'))
      ? get(p, 'SSESpecification', 'KMSMasterKeyId') ?? 'AWS managed key aws/dynamodb'
      : 'AWS owned key (service default)',
  },
  'AWS::SQS::Queue': {
    label: 'SQS queue',
    default: 'service-default',
    key: p => p.KmsMasterKeyId ?? (off(p.SqsManagedSseEnabled) ? false : 'SQS-managed key (SSE-SQS)'),
  },
  'AWS::Logs::LogGroup': { label: 'log group', default: 'service-default', key: p => p.KmsKeyId ?? 'CloudWatch Logs service key (service default)' },
  'AWS::SecretsManager::Secret': { label: 'secret', default: 'service-default', key: p => p.KmsKeyId ?? 'AWS managed key aws/secretsmanager' },
  'AWS::ECR::Repository': {
    label: 'image repository',
    default: 'service-default',
    key: p => get(p, 'EncryptionConfiguration', 'KmsKey') ?? (get(p, 'EncryptionConfiguration', 'EncryptionType') === 'KMS' ? 'AWS managed key aws/ecr' : 'ECR-managed key (AES-256)'),
  },
  'AWS::Backup::BackupVault': { label: 'backup vault', default: 'service-default', key: p => p.EncryptionKeyArn ?? 'AWS Backup managed key' },
};

function storageKey(p: Props, flag: string, awsManaged: string): unknown | false {
  if (on(p[flag]) || p.KmsKeyId !== undefined) return p.KmsKeyId ?? `AWS managed key ${awsManaged}`;
  return false;
}

/** Who manages the key: a key in this template, one referenced from elsewhere, or AWS. */
export function keyOwner(key: unknown, stack: StackView): string {
  const ref = referencedLogicalId(key);
  if (ref) {
    const target = stack.resources.find(r => r.logicalId === ref);
    return target?.type === 'AWS::KMS::Key' ? 'customer-managed KMS key' : 'customer-managed KMS key (referenced)';
  }
  if (typeof key === 'string' && !/^arn:|^alias\//.test(key)) return key;
  return typeof key === 'string' && /alias\/aws\//.test(key) ? 'AWS managed key' : 'customer-managed KMS key (referenced)';
}

/** Non-compliant when a data store is stored unencrypted. */
export function checkEncryptionAtRest(resource: ResourceView, stack: StackView): CheckResult {
  const rule = DATA_STORES[resource.type];
  if (!rule) return NOT_APPLICABLE;
  const key = rule.key(resource.properties);
  if (key === false) {
    return nonCompliant(`${rule.label} is stored unencrypted; expected encryption at rest, with a customer-managed KMS key`, { store: rule.label, key: 'none' });
  }
  const owner = keyOwner(key, stack);
  const keyText = typeof key === 'string' ? key : describeValue(key);
  return compliant(`${rule.label} encrypted at rest with ${owner === keyText ? owner : `${owner} ${keyText}`}`, { store: rule.label, key: owner === keyText ? owner : `${owner}: ${keyText}` });
}

export const ENCRYPTION_AT_REST: ResourceCheck = {
  id: 'Springboard-EncryptionAtRest',
  title: 'Data stores are encrypted at rest',
  section: 'encryption',
  controls: ['SC-28', 'SC-13', 'SC-12'],
  scope: 'resource',
  check: checkEncryptionAtRest,
};
