/**
 * Creates the release records of the team environments in this account and region, so a new
 * environment's first deploy needs no manual step (docs/releases.md, docs/delivery.md). Each
 * record is written once with `Overwrite: false`: a record that exists, holding a team's release,
 * is left as it is (`ParameterAlreadyExists` is expected and ignored). Nothing ever deletes or
 * overwrites a record from here, so no baseline update, rollback or deletion can revert a release.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { MANAGED_BY_VALUE, releaseParameterName, TAG_KEYS } from '../contract';

/** Value of a release record before the team's first release (the environment stack runs no task). */
export const UNRELEASED_VALUE = 'unreleased';

export interface ReleaseRecordSpec {
  readonly teamId: string;
  readonly environment: string;
  /**
   * The contract's tags of the team environment: the record belongs to the team (`Team=<team>`), so
   * the boundary refuses every other team on it.
   */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ReleaseRecordsProps {
  /** Team environments placed in this stack's account and region. */
  readonly records: readonly ReleaseRecordSpec[];
  /**
   * How long the helper function's logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

export class ReleaseRecords extends Construct {
  readonly resources: readonly AwsCustomResource[];

  constructor(scope: Construct, id: string, props: ReleaseRecordsProps) {
    super(scope, id);
    const records = sortedUnique(props.records);
    const stack = Stack.of(this);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
      encryptionKey: logKey(this),
    });
    this.resources = records.map(r => {
      const name = releaseParameterName(r.teamId, r.environment);
      const create = {
        service: 'SSM',
        action: 'putParameter',
        parameters: {
          Name: name,
          Value: UNRELEASED_VALUE,
          Type: 'String',
          Overwrite: false,
          Description: `Image tag ${r.teamId} released to ${r.environment}; written by its pipeline after a verified release`,
          Tags: recordTags(r),
        },
        physicalResourceId: PhysicalResourceId.of(name),
        ignoreErrorCodesMatching: 'ParameterAlreadyExists',
      };
      return new AwsCustomResource(this, `${r.teamId}.${r.environment}`, {
        resourceType: 'Custom::SpringboardReleaseRecord',
        onCreate: create,
        // A changed description re-runs the same idempotent call; there is no onDelete: the record outlives the baseline.
        onUpdate: create,
        installLatestAwsSdk: false,
        logGroup,
        policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({
          actions: ['ssm:PutParameter', 'ssm:AddTagsToResource'],
          resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) })],
        })]),
      });
    });
    acknowledgeProvider(stack);
  }
}

/** A customer-managed key for the helper's logs, usable only by CloudWatch Logs of this account and region (SC-28). */
function logKey(scope: Construct): Key {
  const stack = Stack.of(scope);
  const key = new Key(scope, 'LogsKey', { enableKeyRotation: true, description: 'Springboard release-record helper logs', removalPolicy: RemovalPolicy.RETAIN });
  limitGrantsToAwsServices(key);
  key.addToResourcePolicy(new PolicyStatement({
    sid: 'AllowLogsOfThisAccount',
    principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  return key;
}

/** The one function CDK shares between every AwsCustomResource of a stack. */
function acknowledgeProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) return;
  const runsOnce = 'CDK\'s custom-resource function runs only while CloudFormation deploys this stack, to create missing release records; '
    + 'it reaches only the SSM API, holds no data and no network position worth a VPC, and CloudFormation retries a failed call (SC-7, SI-13).';
  for (const rule of ['NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'NIST.800.53.R5-LambdaInsideVPC', 'CT.LAMBDA.PR.3']) {
    acknowledge(provider, rule, runsOnce);
  }
  acknowledge(provider, 'AwsSolutions-IAM4', 'AWSLambdaBasicExecutionRole only lets CDK\'s custom-resource function write its own logs; '
    + 'its other permissions are the release-record statements, limited to those parameters (AC-6).');
}

/** The team's tags, sorted by key; a record without its team's `Team` tag would be open to every team. */
function recordTags(record: ReleaseRecordSpec): Array<{ Key: string; Value: string }> {
  if (record.tags[TAG_KEYS.team] !== record.teamId || record.tags[TAG_KEYS.managedBy] !== MANAGED_BY_VALUE) {
    throw new Error(`release record of ${record.teamId}/${record.environment} must be tagged ${TAG_KEYS.team}=${record.teamId} and ${TAG_KEYS.managedBy}=${MANAGED_BY_VALUE}, received ${JSON.stringify(record.tags)}`);
  }
  return Object.keys(record.tags).sort().map(key => ({ Key: key, Value: record.tags[key] }));
}

function sortedUnique(records: readonly ReleaseRecordSpec[]): ReleaseRecordSpec[] {
  const byName = new Map(records.map(r => [releaseParameterName(r.teamId, r.environment), r]));
  return [...byName.keys()].sort().map(k => byName.get(k)!);
}
