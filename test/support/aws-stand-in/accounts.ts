/**
 * The stand-in's accounts for doctor: STS hands out credentials per account (assuming each
 * account's reader role), CloudFormation, IAM and SSM answer what doctor's bootstrap check reads
 * (the CDKToolkit stack, the deploy role's trust, the bootstrap version parameter). Any other call
 * is refused as access denied in the service's own error shape, and any call can be throttled on
 * demand, so the SDK's real retry strategy runs.
 */
import { accessDenied, AwsError, type StandInRequest, throttling } from './protocol';
import { type StandIn, startStandIn } from './server';

export interface FakeAccount {
  /** The reader role is missing: AssumeRole into this account is refused. */
  readonly missingRole?: boolean;
  /** CDKToolkit's state and version; undefined: not bootstrapped. */
  readonly bootstrap?: { readonly status: string; readonly version: number; readonly trustedAccounts: readonly string[] };
  /** `service:Operation` answered with a throttling error every time. */
  readonly throttle?: readonly string[];
}

/** Serves `accounts`; the operator's own credentials (not handed out by this STS) belong to the tooling account. */
export async function startAccountsStandIn(toolingAccount: string, accounts: Readonly<Record<string, FakeAccount>>): Promise<StandIn> {
  return startStandIn(request => answerFor(request, accounts), { defaultAccount: toolingAccount });
}

function answerFor(request: StandInRequest, accounts: Readonly<Record<string, FakeAccount>>): unknown {
  const { service, operation, account, form } = request;
  const fake = accounts[account] ?? {};
  if (fake.throttle?.includes(`${service}:${operation}`)) throw throttling(request);
  if (service === 'sts' && operation === 'AssumeRole') return assumeRole(request, form.get('RoleArn') ?? '', accounts);
  if (service === 'cloudformation' && operation === 'DescribeStacks') return describeStacks(account, fake);
  if (service === 'ssm' && operation === 'GetParameter' && fake.bootstrap) {
    return { Parameter: { Name: '/cdk-bootstrap/hnb659fds/version', Type: 'String', Value: String(fake.bootstrap.version), Version: 1 } };
  }
  if (service === 'iam' && operation === 'GetRole' && fake.bootstrap) return getRole(form.get('RoleName') ?? '', account, fake.bootstrap.trustedAccounts);
  throw accessDenied(request, `User: ${readerSession(account)} is not authorized to perform: ${service}:${operation}`);
}

const readerSession = (account: string) => `arn:aws:sts::${account}:assumed-role/springboard-reader/springboard-doctor`;

function assumeRole(request: StandInRequest, roleArn: string, accounts: Readonly<Record<string, FakeAccount>>): string {
  const caller = request.account;
  const target = /:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? '';
  if (!target) throw new AwsError('ValidationError', `not a role ARN: ${roleArn}`);
  if (accounts[target]?.missingRole) throw accessDenied(request, `User: ${readerSession(caller)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  return `<Credentials><AccessKeyId>ASIAFAKE${target}</AccessKeyId>`
    + `<SecretAccessKey>fake-secret-${target}-from-${caller}</SecretAccessKey><SessionToken>fake-token-${target}</SessionToken>`
    + '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>'
    + `<AssumedRoleUser><AssumedRoleId>AROAFAKE:springboard-doctor</AssumedRoleId><Arn>${readerSession(target)}</Arn></AssumedRoleUser>`;
}

function describeStacks(account: string, fake: FakeAccount): string {
  if (!fake.bootstrap) throw new AwsError('ValidationError', 'Stack with id CDKToolkit does not exist');
  return `<Stacks><member><StackName>CDKToolkit</StackName><StackId>arn:aws:cloudformation:us-east-1:${account}:stack/CDKToolkit/fake</StackId>`
    + `<CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>${fake.bootstrap.status}</StackStatus>`
    + `<Outputs><member><OutputKey>BootstrapVersion</OutputKey><OutputValue>${fake.bootstrap.version}</OutputValue></member></Outputs></member></Stacks>`;
}

function getRole(roleName: string, account: string, trusted: readonly string[]): string {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [account, ...trusted].map(a => `arn:aws:iam::${a}:root`) }, Action: 'sts:AssumeRole' }] };
  return `<Role><Path>/</Path><RoleName>${roleName}</RoleName><RoleId>AROAFAKEROLE</RoleId>`
    + `<Arn>arn:aws:iam::${account}:role/${roleName}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>`
    + `<AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(trust))}</AssumeRolePolicyDocument></Role>`;
}
