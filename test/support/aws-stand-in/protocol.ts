/**
 * How a local AWS stand-in reads a request and writes an answer in the protocol the SDK client
 * speaks: the query protocol (STS, CloudFormation, IAM: form-encoded `Action`, XML answers) and AWS
 * JSON 1.0/1.1 (`X-Amz-Target`, JSON answers); any other request (REST services) is told apart by
 * its method and path. The service is the signing name in the SigV4 credential scope, the caller's
 * account the one its access key names (`ASIAFAKE<account>`, as the stand-in's STS hands out).
 */
import type * as http from 'node:http';

export type Protocol = 'query' | 'json' | 'rest';

export interface StandInRequest {
  /** The SigV4 signing name: `sts`, `cloudformation`, `ssm`, `monitoring`, `ce`... */
  readonly service: string;
  /** The query `Action`, the last part of `X-Amz-Target`, or `METHOD /path` for REST. */
  readonly operation: string;
  readonly protocol: Protocol;
  /** The full `X-Amz-Target` ('' for query and REST). */
  readonly target: string;
  readonly account: string;
  /** The raw body. */
  readonly body: string;
  /** The query protocol's parameters (empty for others). */
  readonly form: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
}

/** An AWS error, written in the request's protocol (`Code` in XML, `__type` in JSON). */
export class AwsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** An answer passed on as it is (a response forwarded from another stand-in). */
export class RawAnswer {
  constructor(readonly status: number, readonly body: string, readonly headers: Readonly<Record<string, string>> = {}) {}
}

/** A throttling error in the shape each protocol's SDK retries (`Throttling` in XML, `ThrottlingException` in JSON). */
export function throttling(request: StandInRequest): AwsError {
  return new AwsError(request.protocol === 'query' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded');
}

/** Access denied as the service would say it to the caller. */
export function accessDenied(request: StandInRequest, message: string): AwsError {
  return new AwsError(request.protocol === 'query' ? 'AccessDenied' : 'AccessDeniedException', message, 403);
}

const ACCOUNT_KEY = /^ASIAFAKE(\d{12})$/;
const CREDENTIAL_SCOPE = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/** Reads what a request asks; `defaultAccount` owns credentials that are not the stand-in's own. */
export function readRequest(req: http.IncomingMessage, body: string, defaultAccount: string): StandInRequest {
  const scope = CREDENTIAL_SCOPE.exec(String(req.headers.authorization ?? ''));
  const target = String(req.headers['x-amz-target'] ?? '');
  const query = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
  const form = new URLSearchParams(query ? body : '');
  const protocol: Protocol = query ? 'query' : target ? 'json' : 'rest';
  const operation = query ? form.get('Action') ?? '' : target ? target.split('.').pop()! : `${req.method} ${req.url}`;
  return {
    service: scope?.[3] ?? '',
    operation,
    protocol,
    target,
    account: ACCOUNT_KEY.exec(scope?.[1] ?? '')?.[1] ?? defaultAccount,
    body,
    form,
    headers: req.headers,
  };
}

/** XML namespaces of the query-protocol services the stand-ins answer. */
const QUERY_NAMESPACES: Readonly<Record<string, string>> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
};

/** The answer to a request: for the query protocol the result's inner XML, for JSON a value. */
export function encodeAnswer(request: StandInRequest, result: unknown): RawAnswer {
  if (result instanceof RawAnswer) return result;
  if (request.protocol === 'query') {
    const op = request.operation;
    return new RawAnswer(200, `<${op}Response xmlns="${QUERY_NAMESPACES[request.service] ?? ''}"><${op}Result>${String(result)}</${op}Result>`
      + `<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${op}Response>`, { 'content-type': 'text/xml' });
  }
  return new RawAnswer(200, JSON.stringify(result), { 'content-type': jsonContentType(request) });
}

export function encodeError(request: StandInRequest, error: AwsError): RawAnswer {
  if (request.protocol === 'query') {
    return new RawAnswer(error.status, `<ErrorResponse><Error><Type>Sender</Type><Code>${error.type}</Code><Message>${error.message}</Message></Error>`
      + '<RequestId>fake</RequestId></ErrorResponse>', { 'content-type': 'text/xml' });
  }
  return new RawAnswer(error.status, JSON.stringify({ __type: error.type, message: error.message }), {
    'content-type': jsonContentType(request),
    'x-amzn-errortype': error.type,
  });
}

function jsonContentType(request: StandInRequest): string {
  return `application/x-amz-json-${String(request.headers['content-type'] ?? '').includes('1.0') ? '1.0' : '1.1'}`;
}
