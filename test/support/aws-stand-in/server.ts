/**
 * The one local AWS stand-in's server, on 127.0.0.1, for end-to-end runs of the commands (the SDK
 * is pointed at it with AWS_ENDPOINT_URL or a client's `endpoint`): it refuses unsigned requests,
 * reads each request in its protocol (protocol.ts), hands it to the services it was started with,
 * writes their answer or error in the same protocol, and logs every call. What each service
 * answers lives beside it: accounts.ts (STS, CloudFormation, IAM, SSM for doctor) and
 * test/support/fleet/fake-aws.ts (ECS, ECR, SSM, CloudWatch, Budgets, Cost Explorer for fleet).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError, encodeAnswer, encodeError, RawAnswer, readRequest, type StandInRequest } from './protocol';

/** Answers one request: a value in its protocol (protocol.ts `encodeAnswer`), or throws an AwsError. */
export type StandInHandler = (request: StandInRequest) => unknown;

export interface StandInOptions {
  /** The account of credentials the stand-in's STS did not hand out (the operator's own). @default '111111111111' */
  readonly defaultAccount?: string;
  /** Added before every answer. */
  readonly latencyMs?: number;
}

export interface StandInCall {
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly status: number;
}

export interface StandIn {
  readonly url: string;
  /** Every signed request, in order of answer. */
  readonly calls: StandInCall[];
  close(): Promise<void>;
}

export async function startStandIn(handler: StandInHandler, options: StandInOptions = {}): Promise<StandIn> {
  const calls: StandInCall[] = [];
  const server = http.createServer((req, res) => {
    void readBody(req).then(body => answer(req, body)).then(({ request, reply }) => {
      calls.push({ service: request.service, operation: request.operation, account: request.account, status: reply.status });
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-length': String(Buffer.byteLength(reply.body)), 'x-amzn-requestid': 'req', ...reply.headers });
      res.end(reply.body);
    });
  });

  async function answer(req: http.IncomingMessage, body: string): Promise<{ request: StandInRequest; reply: RawAnswer }> {
    const request = readRequest(req, body, options.defaultAccount ?? '111111111111');
    try {
      if (options.latencyMs) await new Promise(resolve => setTimeout(resolve, options.latencyMs));
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) throw new AwsError('MissingAuthenticationTokenException', 'not signed');
      return { request, reply: encodeAnswer(request, await handler(request)) };
    } catch (error) {
      return { request, reply: encodeError(request, error instanceof AwsError ? error : new AwsError('InternalFailure', String(error), 500)) };
    }
  }

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
