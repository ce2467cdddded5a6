/**
 * The services Springboard lets act, and the source condition keys each sends when it does: the
 * table every trust policy and resource policy naming one of these service principals is held to
 * (`lib/construct-kit/source-conditions.ts` adds the keys; `test/contract/confused-deputy.test.ts`
 * proves every synthesized policy carries them). A key a service does not send makes the policy
 * deny the service silently, so an entry lists only what the linked AWS page documents; where the
 * page documents none for that use, the entry says so and requires none.
 */

/** Where a service principal is named: a role's trust policy, or a resource policy of SNS, KMS or S3. */
export type PolicyKind = 'trust' | 'sns-topic' | 'kms-key' | 's3-bucket';

/** The source keys Springboard puts on a statement (values: this account, or `arn:<partition>:<arnService>:<region>:<account>:*`). */
export type SourceKey = 'aws:SourceAccount' | 'aws:SourceArn' | 'kms:EncryptionContext:aws:logs:arn';

export interface ServiceSourceKeys {
  /** The service principal; `logs.{region}.amazonaws.com` stands for the regional CloudWatch Logs principal. */
  readonly principal: string;
  readonly kind: PolicyKind;
  /** Keys the service sends for this use, each required on every such statement; empty when none is documented. */
  readonly keys: readonly SourceKey[];
  /** The ARN service of `aws:SourceArn` / the encryption-context ARN (`arn:<partition>:<arnService>:…`). */
  readonly arnService?: string;
  /** The AWS documentation page that says which keys the service sends (or shows the policy without them). */
  readonly documentation: string;
  /** Why, when the keys are fewer than both global keys. */
  readonly note?: string;
}

const DOCS = 'https://docs.aws.amazon.com';

export const CONFUSED_DEPUTY_TABLE: readonly ServiceSourceKeys[] = [
  {
    principal: 'codebuild.amazonaws.com',
    kind: 'trust',
    keys: ['aws:SourceAccount', 'aws:SourceArn'],
    arnService: 'codebuild',
    documentation: `${DOCS}/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html`,
  },
  {
    principal: 'codepipeline.amazonaws.com',
    kind: 'trust',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/codepipeline/latest/userguide/how-to-custom-role.html`,
    note: 'the account only: the pipeline ARN is not required, so one service role pattern fits every pipeline of the account',
  },
  {
    principal: 'ecs-tasks.amazonaws.com',
    kind: 'trust',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/AmazonECS/latest/developerguide/task-iam-roles.html`,
    note: 'the account only: task and execution roles are shared by the services of one environment',
  },
  {
    principal: 'vpc-flow-logs.amazonaws.com',
    kind: 'trust',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/vpc/latest/userguide/flow-logs-iam-role.html`,
    note: 'the account only: the flow log id is generated after the role exists',
  },
  {
    principal: 'logs.{region}.amazonaws.com',
    kind: 'trust',
    keys: ['aws:SourceArn'],
    arnService: 'logs',
    documentation: `${DOCS}/AmazonCloudWatch/latest/logs/SubscriptionFilters.html`,
    note: 'the page\'s subscription role trusts CloudWatch Logs on aws:SourceArn (log groups of the account)',
  },
  {
    principal: 'backup.amazonaws.com',
    kind: 'trust',
    keys: [],
    documentation: `${DOCS}/aws-backup/latest/devguide/iam-service-roles.html`,
    note: 'the page\'s service role trusts backup.amazonaws.com with no source condition: none is documented as sent when Backup assumes it',
  },
  {
    principal: 'lambda.amazonaws.com',
    kind: 'trust',
    keys: [],
    documentation: `${DOCS}/lambda/latest/dg/lambda-intro-execution-role.html`,
    note: 'the execution role\'s documented trust has no source condition; iam:PassRole decides which function may use it',
  },
  {
    principal: 'firehose.amazonaws.com',
    kind: 'trust',
    keys: [],
    documentation: `${DOCS}/firehose/latest/dev/controlling-access.html`,
    note: 'the page documents sts:ExternalId (the account id) rather than aws:SourceArn; the log archive\'s role carries aws:SourceAccount, which this table does not require',
  },
  {
    principal: 'monitoring.rds.amazonaws.com',
    kind: 'trust',
    keys: [],
    documentation: `${DOCS}/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html`,
    note: 'the enhanced-monitoring role\'s documented trust has no source condition',
  },
  {
    principal: 'cloudwatch.amazonaws.com',
    kind: 'sns-topic',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html`,
  },
  {
    principal: 'cloudwatch.amazonaws.com',
    kind: 'kms-key',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services`,
  },
  {
    principal: 'events.amazonaws.com',
    kind: 'sns-topic',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions`,
  },
  {
    principal: 'events.amazonaws.com',
    kind: 'kms-key',
    keys: [],
    documentation: `${DOCS}/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services`,
    note: 'EventBridge delivering to an encrypted topic: the page\'s key policy has no source condition, and the keys are reported not to be sent on that KMS request; the topic policy carries the account',
  },
  {
    principal: 'logs.{region}.amazonaws.com',
    kind: 'kms-key',
    keys: ['kms:EncryptionContext:aws:logs:arn'],
    arnService: 'logs',
    documentation: `${DOCS}/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html`,
    note: 'CloudWatch Logs sends the log group ARN as encryption context, which the page conditions on',
  },
  {
    principal: 'logs.{region}.amazonaws.com',
    kind: 's3-bucket',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/AmazonCloudWatch/latest/logs/S3ExportTasksConsole.html`,
  },
  {
    principal: 'delivery.logs.amazonaws.com',
    kind: 's3-bucket',
    keys: ['aws:SourceAccount'],
    documentation: `${DOCS}/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html`,
  },
];

/** The table's principal for a concrete one (`logs.us-east-1.amazonaws.com` → `logs.{region}.amazonaws.com`). */
export function tablePrincipal(principal: string): string {
  return principal.replace(/^logs\.[a-z0-9-]+\.amazonaws\.com$/, 'logs.{region}.amazonaws.com');
}

/** The table's entry for a principal named in a policy of this kind, or undefined when the table has none. */
export function sourceKeysFor(principal: string, kind: PolicyKind): ServiceSourceKeys | undefined {
  const p = tablePrincipal(principal);
  return CONFUSED_DEPUTY_TABLE.find(e => e.principal === p && e.kind === kind);
}

/** The policy kind of a CloudFormation resource's policy property, for the resource types that hold one. */
export const POLICY_PROPERTIES: Readonly<Record<string, { readonly kind: PolicyKind; readonly property: string }>> = {
  'AWS::IAM::Role': { kind: 'trust', property: 'AssumeRolePolicyDocument' },
  'AWS::SNS::TopicPolicy': { kind: 'sns-topic', property: 'PolicyDocument' },
  'AWS::KMS::Key': { kind: 'kms-key', property: 'KeyPolicy' },
  'AWS::S3::BucketPolicy': { kind: 's3-bucket', property: 'PolicyDocument' },
};
