/**
 * The environment's customer-managed key: database, secrets, log groups and the release record's
 * neighbours are encrypted with it. CloudWatch Logs needs an explicit grant in the key policy.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { denyKeyDeletionExceptBreakGlass, limitGrantsToAwsServices } from '../construct-kit/key-policy';

export interface EnvironmentKeyProps {
  /** Shown in the console next to the key. */
  readonly description: string;
  /**
   * Alias of the key, without the `alias/` prefix.
   * @default - no alias
   */
  readonly alias?: string;
  /**
   * For a key of prod data: the only role that may disable it or schedule its deletion.
   * @default - no such restriction (non-prod)
   */
  readonly breakGlassRoleName?: string;
  /**
   * The backup account that prod recovery points are copied to: an RDS snapshot encrypted with this
   * key can be copied there only when the key lets that account use it for the copy.
   * @default - no backup account
   */
  readonly backupAccount?: string;
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
    if (props.breakGlassRoleName) denyKeyDeletionExceptBreakGlass(this.key, props.breakGlassRoleName);
    if (props.backupAccount) this.allowBackupCopies(props.backupAccount);
  }

  /** The backup account may use the key to copy recovery points (grants only for AWS resources, i.e. AWS Backup's copy). */
  private allowBackupCopies(account: string): void {
    const principal = new AccountPrincipal(account);
    this.key.addToResourcePolicy(new PolicyStatement({
      sid: 'AllowBackupAccountCopies', principals: [principal], actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: ['*'],
    }));
    this.key.addToResourcePolicy(new PolicyStatement({
      sid: 'AllowBackupAccountCopyGrants',
      principals: [principal],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
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
