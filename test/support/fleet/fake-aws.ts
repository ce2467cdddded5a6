/**
 * A local stand-in for the services the portfolio commands read: ECS, ECR, SSM, Budgets and Cost
 * Explorer (AWS JSON 1.1) and CloudWatch (AWS JSON 1.0), dispatched on `X-Amz-Target`, with
 * epoch-second timestamps, `{"__type", "message"}` errors and opaque page tokens. CodePipeline
 * requests are forwarded to a FakeCodePipeline, so one endpoint serves every client. It throttles
 * at random (seeded) and denies every read of a listed team.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './fake-codepipeline';

export interface FakeScan {
  /** `missing` answers ScanNotFoundException. */
  readonly status: 'COMPLETE' | 'ACTIVE' | 'FAILED' | 'IN_PROGRESS' | 'missing';
  readonly completedAt?: Date;
  readonly counts?: Readonly<Record<string, number>>;
  /** Enhanced findings (ACTIVE); every severity, paged. */
  readonly enhanced?: ReadonlyArray<{ readonly id: string; readonly severity: string; readonly firstObservedAt: Date }>;
}

export interface FakeAwsState {
  /** ECS service name (= cluster name) → image URI of its task definition's service container. */
  readonly services: Readonly<Record<string, string>>;
  /** Image digest → scan. */
  readonly scans: Readonly<Record<string, FakeScan>>;
  /** SSM parameter name → metadata. */
  readonly parameters: Readonly<Record<string, { readonly version: number; readonly lastModified: Date; readonly description?: string }>>;
  /** Metric alarms in ALARM. */
  readonly alarmsInAlarm: readonly string[];
  /** `<account>|<budget name>` → actual spend. */
  readonly budgets: Readonly<Record<string, { readonly actualUsd: number; readonly limitUsd: number }>>;
  /** Cost lines: account, tag values ('' when untagged), amount. */
  readonly costs: ReadonlyArray<{ readonly account: string; readonly team: string; readonly environment: string; readonly usd: number }>;
}

export interface FakeAwsOptions {
  readonly throttleRate?: number;
  readonly seed?: number;
  /** Teams whose every read is denied. */
  readonly deniedTeams?: readonly string[];
  readonly latencyMs?: number;
  /** Groups per Cost Explorer page. @default 100 */
  readonly costPageSize?: number;
  /** Enhanced findings per ECR page (at most the request's maxResults). @default 50 */
  readonly findingsPageSize?: number;
  /** Where CodePipeline requests go. */
  readonly codePipelineUrl?: string;
}

export interface FakeAws {
  readonly url: string;
  /** `byAction` counts requests by the IAM action that authorizes them (`ecs:DescribeServices`, `budgets:ViewBudget`). */
  readonly stats: { requests: number; throttled: number; byOperation: Record<string, number>; byAction: Record<string, number> };
  close(): Promise<void>;
}

/** IAM service prefix of each X-Amz-Target service name. */
const SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  AmazonSSM: 'ssm',
  GraniteServiceVersion20100801: 'cloudwatch',
  AWSBudgetServiceGateway: 'budgets',
  AWSInsightsIndexService: 'ce',
  CodePipeline_20150709: 'codepipeline',
};
/** API operations authorized by an IAM action of another name. */
const IAM_ACTIONS: Readonly<Record<string, string>> = { 'budgets:DescribeBudget': 'budgets:ViewBudget' };

class ApiError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

const epoch = (d: Date): number => d.getTime() / 1000;

function token(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}
function offsetOf(t: unknown): number {
  if (t === undefined || t === null) return 0;
  const parsed = JSON.parse(Buffer.from(String(t), 'base64url').toString()) as { offset?: number };
  if (!Number.isInteger(parsed.offset)) throw new ApiError('InvalidNextTokenException', 'invalid token');
  return parsed.offset!;
}
function page<T>(items: readonly T[], t: unknown, size: number): { items: T[]; next?: string } {
  const offset = offsetOf(t);
  return { items: items.slice(offset, offset + size), ...(offset + size < items.length ? { next: token(offset + size) } : {}) };
}

export async function startFakeAws(state: FakeAwsState, options: FakeAwsOptions = {}): Promise<FakeAws> {
  const random = seededRandom(options.seed ?? 1);
  const stats = { requests: 0, throttled: 0, byOperation: {} as Record<string, number>, byAction: {} as Record<string, number> };
  const denied = (body: string): boolean => (options.deniedTeams ?? []).some((team) =>
    [`springboard-${team}-`, `/${team}/`, `springboard/${team}"`, `"springboard-${team}"`].some((needle) => body.includes(needle)));

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    stats.requests++;
    const target = String(req.headers['x-amz-target'] ?? '');
    const jsonVersion = String(req.headers['content-type'] ?? '').includes('1.0') ? '1.0' : '1.1';
    try {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) throw new ApiError('MissingAuthenticationTokenException', 'not signed');
      const operation = target.split('.').pop() ?? '';
      stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
      const action = IAM_ACTIONS[`${SERVICE_PREFIXES[target.split('.')[0]] ?? target}:${operation}`] ?? `${SERVICE_PREFIXES[target.split('.')[0]] ?? target}:${operation}`;
      stats.byAction[action] = (stats.byAction[action] ?? 0) + 1;
      if (options.throttleRate && random() < options.throttleRate) throw new ApiError('ThrottlingException', 'Rate exceeded');
      if (target.startsWith('CodePipeline_20150709.')) {
        await forward(req, res, body);
        return;
      }
      if (denied(body)) throw new ApiError('AccessDeniedException', `User: arn:aws:sts::111111111111:assumed-role/springboard-fleet-reader/s is not authorized to perform: ${operation}`);
      send(res, 200, dispatch(operation, JSON.parse(body || '{}') as Record<string, unknown>), jsonVersion);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError('InternalFailure', String(error), 500);
      if (e.type === 'ThrottlingException') stats.throttled++;
      send(res, e.status, { __type: e.type, message: e.message }, jsonVersion);
    }
  }

  async function forward(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    if (!options.codePipelineUrl) throw new ApiError('UnknownOperationException', 'no CodePipeline behind this stand-in');
    const answer = await fetch(options.codePipelineUrl, { method: 'POST', headers: req.headers as Record<string, string>, body });
    const text = await answer.text();
    res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function dispatch(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'DescribeServices': {
        const name = (input.services as string[])[0];
        const image = state.services[name];
        if (!image || input.cluster !== name) return { services: [], failures: [{ arn: `arn:aws:ecs:us-east-1:1:service/${name}`, reason: 'MISSING' }] };
        return { services: [{ serviceName: name, status: 'ACTIVE', taskDefinition: `arn:aws:ecs:us-east-1:222222222222:task-definition/${name}:7` }], failures: [] };
      }
      case 'DescribeTaskDefinition': {
        const name = /task-definition\/(.+):\d+$/.exec(String(input.taskDefinition))![1];
        return { taskDefinition: { taskDefinitionArn: input.taskDefinition, family: name, containerDefinitions: [{ name: 'service', image: state.services[name] }] } };
      }
      case 'DescribeImageScanFindings': return scanFindings(input);
      case 'DescribeParameters': {
        const name = ((input.ParameterFilters as Array<{ Values: string[] }>)[0]).Values[0];
        const p = state.parameters[name];
        return { Parameters: p ? [{ Name: name, Type: 'String', Version: p.version, LastModifiedDate: epoch(p.lastModified), ...(p.description ? { Description: p.description } : {}) }] : [] };
      }
      case 'DescribeAlarms': {
        const prefix = String(input.AlarmNamePrefix ?? '');
        const matching = state.alarmsInAlarm.filter((a) => a.startsWith(prefix)).sort();
        const { items, next } = page(matching, input.NextToken, Math.min(Number(input.MaxRecords ?? 100), 100));
        return { MetricAlarms: items.map((AlarmName) => ({ AlarmName, StateValue: 'ALARM', StateUpdatedTimestamp: 1.7e9 })), CompositeAlarms: [], ...(next ? { NextToken: next } : {}) };
      }
      case 'DescribeBudget': {
        const b = state.budgets[`${String(input.AccountId)}|${String(input.BudgetName)}`];
        if (!b) throw new ApiError('NotFoundException', `Unable to get budget: ${String(input.BudgetName)} - the budget doesn't exist.`);
        return {
          Budget: {
            BudgetName: input.BudgetName,
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: String(b.limitUsd), Unit: 'USD' },
            CalculatedSpend: { ActualSpend: { Amount: String(b.actualUsd), Unit: 'USD' } },
          },
        };
      }
      case 'GetCostAndUsage': return costAndUsage(input);
      default: throw new ApiError('UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  function scanFindings(input: Record<string, unknown>): unknown {
    const digest = String((input.imageId as { imageDigest: string }).imageDigest);
    const scan = state.scans[digest];
    if (!scan || scan.status === 'missing') throw new ApiError('ScanNotFoundException', `Image scan does not exist for the image with '{imageDigest:'${digest}'}'`);
    if (scan.status === 'FAILED' || scan.status === 'IN_PROGRESS') return { imageScanStatus: { status: scan.status, description: 'scan did not complete' } };
    const enhanced = scan.status === 'ACTIVE';
    const size = Math.min(Number(input.maxResults ?? 100), options.findingsPageSize ?? 50);
    const { items, next } = enhanced ? page(scan.enhanced ?? [], input.nextToken, size) : { items: [], next: undefined };
    return {
      imageScanStatus: { status: scan.status, description: 'ok' },
      imageScanFindings: {
        imageScanCompletedAt: scan.completedAt ? epoch(scan.completedAt) : undefined,
        findingSeverityCounts: scan.counts ?? {},
        ...(enhanced
          ? {
            enhancedFindings: items.map((f) => ({
              severity: f.severity,
              firstObservedAt: epoch(f.firstObservedAt),
              title: f.id,
              packageVulnerabilityDetails: { vulnerabilityId: f.id },
            })),
          }
          : { findings: [] }),
      },
      ...(next ? { nextToken: next } : {}),
    };
  }

  function costAndUsage(input: Record<string, unknown>): unknown {
    const groupBy = (input.GroupBy as Array<{ Type: string; Key: string }>).map((g) => `${g.Type}:${g.Key}`);
    if (groupBy.join(',') !== 'TAG:Team,TAG:Environment') throw new ApiError('ValidationException', `unexpected GroupBy ${groupBy.join(',')}`);
    const accounts = new Set(((input.Filter as { Dimensions: { Key: string; Values: string[] } }).Dimensions).Values);
    const sums = new Map<string, number>();
    for (const c of state.costs.filter((x) => accounts.has(x.account))) {
      const key = `Team$${c.team}|Environment$${c.environment}`;
      sums.set(key, (sums.get(key) ?? 0) + c.usd);
    }
    const groups = [...sums].sort(([a], [b]) => a.localeCompare(b))
      .map(([key, usd]) => ({ Keys: key.split('|'), Metrics: { UnblendedCost: { Amount: usd.toFixed(10), Unit: 'USD' } } }));
    const { items, next } = page(groups, input.NextPageToken, options.costPageSize ?? 100);
    const period = input.TimePeriod as { Start: string; End: string };
    return {
      GroupDefinitions: input.GroupBy,
      ResultsByTime: [{ TimePeriod: period, Total: {}, Groups: items, Estimated: true }],
      DimensionValueAttributes: [],
      ...(next ? { NextPageToken: next } : {}),
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, jsonVersion: string): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': `application/x-amz-json-${jsonVersion}`, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'req' });
  res.end(text);
}
