import { RemovalPolicy } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface EncryptedLogGroupOptions {
  readonly logGroupName: string;
  readonly key: IKey;
  readonly retention: RetentionDays;
}

/**
 * A log group encrypted with the environment key and kept for the searchable period. Named
 * explicitly, so no service creates it first without encryption or retention.
 */
export function encryptedLogGroup(scope: Construct, id: string, options: EncryptedLogGroupOptions): LogGroup {
  return new LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    encryptionKey: options.key,
    retention: options.retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
