/**
 * The environment's customer-managed key: database, secrets, log groups and the release record's
 * neighbours are encrypted with it. CloudWatch Logs needs an explicit grant in the key policy.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';

export interface EnvironmentKeyProps {
  /** Shown in the console next to the key. */
  readonly description: string;
  /**
   * Alias of the key, without the `alias/` prefix.
   * @default - no alias
   */
  readonly alias?: string;
}

export class EnvironmentKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: EnvironmentKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      alias: props.alias ? `alias/${props.alias}` : undefined,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.allowCloudWatchLogs();
    limitGrantsToAwsServices(this.key);
  }

  /** Log groups of this account and region only (the encryption context names the log group). */
  private allowCloudWatchLogs(): void {
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(new PolicyStatement({
      principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
  }
}
