/**
 * A local stand-in for the AWS APIs doctor reads, on 127.0.0.1, for end-to-end runs of the command
 * (the SDK is pointed at it with AWS_ENDPOINT_URL). It tells services apart by the signing name in
 * each request's SigV4 credential scope and the account by the access key its STS hands out, and
 * speaks each protocol doctor's bootstrap check uses: STS, CloudFormation and IAM (query, XML) and
 * SSM (JSON 1.1). Any other call is refused as access denied in the service's own error shape, and
 * any call can be throttled on demand, so the SDK's real retry strategy runs.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAccount {
  /** The reader role is missing: AssumeRole into this account is refused. */
  readonly missingRole?: boolean;
  /** CDKToolkit's state and version; undefined: not bootstrapped. */
  readonly bootstrap?: { readonly status: string; readonly version: number; readonly trustedAccounts: readonly string[] };
  /** `service:Operation` answered with a throttling error every time. */
  readonly throttle?: readonly string[];
}

export interface FakeAwsCall {
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly status: number;
}

export interface FakeAws {
  readonly url: string;
  readonly calls: FakeAwsCall[];
  close(): Promise<void>;
}

const ACCOUNT_KEY = /^ASIAFAKE(\d{12})$/;

function credentialScope(req: http.IncomingMessage): { accessKey: string; region: string; service: string } {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
  return { accessKey: match?.[1] ?? '', region: match?.[2] ?? '', service: match?.[3] ?? '' };
}

const xml = (root: string, ns: string, result: string) =>
  `<${root}Response xmlns="${ns}"><${root}Result>${result}</${root}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${root}Response>`;
const queryError = (code: string, message: string) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`;

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export async function startFakeAws(toolingAccount: string, accounts: Readonly<Record<string, FakeAccount>>): Promise<FakeAws> {
  const calls: FakeAwsCall[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const scope = credentialScope(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const form = new URLSearchParams(raw);
      const query = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
      const operation = query ? form.get('Action') ?? '' : target ? target.split('.').pop()! : `${req.method} ${req.url}`;
      // The operator's own credentials belong to the tooling account; an assumed role's carry its account.
      const account = ACCOUNT_KEY.exec(scope.accessKey)?.[1] ?? toolingAccount;
      const answer = answerFor(scope.service, operation, account, accounts, form, query);
      calls.push({ service: scope.service, operation, account, status: answer.status });
      res.writeHead(answer.status, { 'content-type': query ? 'text/xml' : 'application/x-amz-json-1.1', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function answerFor(
  service: string, operation: string, account: string, accounts: Readonly<Record<string, FakeAccount>>, form: URLSearchParams, query: boolean,
): Answer {
  const fake = accounts[account] ?? {};
  if (fake.throttle?.includes(`${service}:${operation}`)) {
    return query
      ? { status: 400, body: queryError('Throttling', 'Rate exceeded') }
      : { status: 400, body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }), headers: { 'x-amzn-errortype': 'ThrottlingException' } };
  }
  if (service === 'sts' && operation === 'AssumeRole') return assumeRole(form.get('RoleArn') ?? '', account, accounts);
  if (service === 'cloudformation' && operation === 'DescribeStacks') return describeStacks(account, fake);
  if (service === 'ssm' && operation === 'GetParameter' && fake.bootstrap) {
    return { status: 200, body: JSON.stringify({ Parameter: { Name: '/cdk-bootstrap/hnb659fds/version', Type: 'String', Value: String(fake.bootstrap.version), Version: 1 } }) };
  }
  if (service === 'iam' && operation === 'GetRole' && fake.bootstrap) return getRole(form.get('RoleName') ?? '', account, fake.bootstrap.trustedAccounts);
  const message = `User: arn:aws:sts::${account}:assumed-role/springboard-reader/springboard-doctor is not authorized to perform: ${service}:${operation}`;
  return query
    ? { status: 403, body: queryError('AccessDenied', message) }
    : { status: 403, body: JSON.stringify({ __type: 'AccessDeniedException', message, Message: message }), headers: { 'x-amzn-errortype': 'AccessDeniedException' } };
}

function assumeRole(roleArn: string, caller: string, accounts: Readonly<Record<string, FakeAccount>>): Answer {
  const target = /:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? '';
  if (!target) return { status: 400, body: queryError('ValidationError', `not a role ARN: ${roleArn}`) };
  if (accounts[target]?.missingRole) {
    return { status: 403, body: queryError('AccessDenied', `User: arn:aws:sts::${caller}:assumed-role/springboard-reader/springboard-doctor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`) };
  }
  return {
    status: 200,
    body: xml('AssumeRole', 'https://sts.amazonaws.com/doc/2011-06-15/', `<Credentials><AccessKeyId>ASIAFAKE${target}</AccessKeyId>`
    + `<SecretAccessKey>fake-secret-${target}-from-${caller}</SecretAccessKey><SessionToken>fake-token-${target}</SessionToken>`
    + '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>'
    + `<AssumedRoleUser><AssumedRoleId>AROAFAKE:springboard-doctor</AssumedRoleId><Arn>arn:aws:sts::${target}:assumed-role/springboard-reader/springboard-doctor</Arn></AssumedRoleUser>`),
  };
}

function describeStacks(account: string, fake: FakeAccount): Answer {
  if (!fake.bootstrap) return { status: 400, body: queryError('ValidationError', 'Stack with id CDKToolkit does not exist') };
  const stack = `<member><StackName>CDKToolkit</StackName><StackId>arn:aws:cloudformation:us-east-1:${account}:stack/CDKToolkit/fake</StackId>`
    + `<CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>${fake.bootstrap.status}</StackStatus>`
    + `<Outputs><member><OutputKey>BootstrapVersion</OutputKey><OutputValue>${fake.bootstrap.version}</OutputValue></member></Outputs></member>`;
  return { status: 200, body: xml('DescribeStacks', 'http://cloudformation.amazonaws.com/doc/2010-05-15/', `<Stacks>${stack}</Stacks>`) };
}

function getRole(roleName: string, account: string, trusted: readonly string[]): Answer {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [account, ...trusted].map(a => `arn:aws:iam::${a}:root`) }, Action: 'sts:AssumeRole' }] };
  return {
    status: 200,
    body: xml('GetRole', 'https://iam.amazonaws.com/doc/2010-05-08/', `<Role><Path>/</Path><RoleName>${roleName}</RoleName><RoleId>AROAFAKEROLE</RoleId>`
    + `<Arn>arn:aws:iam::${account}:role/${roleName}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>`
    + `<AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(trust))}</AssumeRolePolicyDocument></Role>`),
  };
}
