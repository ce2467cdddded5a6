/**
 * Creates the release records of the team environments in this account and region, so a new
 * environment's first deploy needs no manual step (docs/releases.md, docs/delivery.md).
 *
 * One custom resource per baseline carries the whole list, so the stack's resource count does not
 * grow with its account's team count (docs/scale.md). Its function (`release-records-handler/`)
 * puts each record once with `Overwrite: false`: a record that exists, holding a team's release, is
 * left as it is and only tagged with its team's tags. Nothing ever deletes or overwrites a record from here, so no
 * baseline update, rollback or deletion can revert a release.
 */
import * as path from 'node:path';
import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { MANAGED_BY_VALUE, RELEASE_RECORDS_RESOURCE_TYPE, releaseParameterName, TAG_KEYS } from '../contract';

/** Value of a release record before the team's first release (the environment stack runs no task). */
export const UNRELEASED_VALUE = 'unreleased';

/** CloudFormation type of the one resource that holds a baseline's records (named in the contract). */
export { RELEASE_RECORDS_RESOURCE_TYPE };

/** Where the function's code lives (plain JavaScript: the asset needs no build step). */
export const RELEASE_RECORDS_HANDLER_DIR = path.join(__dirname, 'release-records-handler');

export interface ReleaseRecordSpec {
  readonly teamId: string;
  readonly environment: string;
  /**
   * The contract's tags of the team environment: the record belongs to the team (`Team=<team>`), so
   * the boundary refuses every other team on it.
   */
  readonly tags: Readonly<Record<string, string>>;
}

/** One record as the function receives it. */
export interface ReleaseRecordEntry {
  readonly Name: string;
  readonly Team: string;
  readonly Environment: string;
  /** Tag key to value, sorted by key. */
  readonly Tags: Readonly<Record<string, string>>;
}

export interface ReleaseRecordsProps {
  /** Team environments placed in this stack's account and region. */
  readonly records: readonly ReleaseRecordSpec[];
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

export class ReleaseRecords extends Construct {
  /** The custom resource; its `Records` property lists every record, sorted by name. */
  readonly resource: CustomResource;
  readonly handler: LambdaFunction;

  constructor(scope: Construct, id: string, props: ReleaseRecordsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
      encryptionKey: logKey(this),
    });
    this.handler = new LambdaFunction(this, 'Handler', {
      runtime: Runtime.NODEJS_22_X, // NODE_MAJOR_VERSION in lib/contract/runtime.ts
      code: Code.fromAsset(RELEASE_RECORDS_HANDLER_DIR),
      handler: 'index.handler',
      // A few hundred records at four calls in flight take well under a minute; retries need headroom.
      timeout: Duration.minutes(10),
      memorySize: 256,
      logGroup,
      description: 'Springboard: creates missing release records (never overwrites one)',
    });
    this.handler.addToRolePolicy(new PolicyStatement({
      actions: ['ssm:PutParameter', 'ssm:AddTagsToResource'],
      // Release records only; one ARN per record would outgrow the role's policy size at a few hundred teams.
      resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: releaseParameterName('*', '*').slice(1) })],
      // The function never overwrites a record: a put that would is refused even if its code changed.
      conditions: { StringNotEquals: { 'ssm:Overwrite': 'true' } },
    }));
    const provider = new Provider(this, 'Provider', { onEventHandler: this.handler, logGroup });
    this.resource = new CustomResource(this, 'Records', {
      serviceToken: provider.serviceToken,
      resourceType: RELEASE_RECORDS_RESOURCE_TYPE,
      properties: {
        RecordSetId: `${stack.stackName}-release-records`,
        Records: releaseRecordEntries(props.records),
      },
      // Records outlive the baseline: deleting this resource deletes none of them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeFindings([this.handler, provider.node.findChild('framework-onEvent')]);
  }
}

/** The records as the function receives them: one per name, sorted, so the template is stable. */
export function releaseRecordEntries(records: readonly ReleaseRecordSpec[]): ReleaseRecordEntry[] {
  const byName = new Map(records.map(r => [releaseParameterName(r.teamId, r.environment), r]));
  return [...byName.keys()].sort().map(name => {
    const r = byName.get(name)!;
    return { Name: name, Team: r.teamId, Environment: r.environment, Tags: recordTags(r) };
  });
}

/** The team's tags, sorted by key; a record without its team's `Team` tag would be open to every team. */
function recordTags(record: ReleaseRecordSpec): Record<string, string> {
  if (record.tags[TAG_KEYS.team] !== record.teamId || record.tags[TAG_KEYS.managedBy] !== MANAGED_BY_VALUE) {
    throw new Error(`release record of ${record.teamId}/${record.environment} must be tagged ${TAG_KEYS.team}=${record.teamId} and `
      + `${TAG_KEYS.managedBy}=${MANAGED_BY_VALUE}, received ${JSON.stringify(record.tags)}`);
  }
  return Object.fromEntries(Object.keys(record.tags).sort().map(key => [key, record.tags[key]]));
}

/** A customer-managed key for the function's logs, usable only by CloudWatch Logs of this account and region (SC-28). */
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

function acknowledgeFindings(functions: readonly Construct[]): void {
  const runsOnce = 'This function runs only while CloudFormation deploys the baseline, to create missing release records; '
    + 'it reaches only the SSM API, holds no data and no network position worth a VPC, and CloudFormation reports a failed call (SC-7, SI-13).';
  for (const fn of functions) {
    for (const rule of ['NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'NIST.800.53.R5-LambdaInsideVPC', 'CT.LAMBDA.PR.3']) {
      acknowledge(fn, rule, runsOnce);
    }
    acknowledge(fn, 'AwsSolutions-IAM4', 'AWSLambdaBasicExecutionRole only lets the function write its own logs; '
      + 'its other permissions are the release-record statements or the call of the records function (AC-6).');
  }
  const [handler, framework] = functions;
  acknowledge(handler, 'AwsSolutions-IAM5', 'The function may put and tag parameters named /springboard/<team>/<env>/release only, never with '
    + 'Overwrite=true; one ARN per record would outgrow the role policy size limit at a few hundred environments (AC-6).');
  acknowledge(framework, 'AwsSolutions-IAM5', 'The provider framework may invoke only the records function, any of its versions (<arn>:*), '
    + 'which is how CDK grants Lambda invoke (AC-6).');
  acknowledge(handler, 'AwsSolutions-L1', 'The function runs on the Node.js major the platform pins everywhere (lib/contract/runtime.ts) and '
    + 'moves with it; it uses only the AWS SDK the runtime ships (SI-2).');
}
