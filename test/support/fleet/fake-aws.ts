/**
 * A local stand-in for the services the portfolio commands read: ECS, ECR, SSM, Budgets and Cost
 * Explorer (AWS JSON 1.1) and CloudWatch (AWS JSON 1.0), dispatched on `X-Amz-Target`, with
 * epoch-second timestamps, `{"__type", "message"}` errors and opaque page tokens, served by the one
 * local AWS stand-in (test/support/aws-stand-in/server.ts). CodePipeline requests are forwarded to
 * a FakeCodePipeline, so one endpoint serves every client. It throttles at random (seeded) and
 * denies every read of a listed team.
 */
import { seededRandom } from './fake-codepipeline';
import { AwsError, RawAnswer, type StandInRequest, throttling } from '../aws-stand-in/protocol';
import { type StandIn, startStandIn } from '../aws-stand-in/server';

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

export interface FakeAws extends StandIn {
  /** `byAction` counts requests by the IAM action that authorizes them (`ecs:DescribeServices`, `budgets:ViewBudget`). */
  readonly stats: { requests: number; throttled: number; byOperation: Record<string, number>; byAction: Record<string, number> };
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

const epoch = (d: Date): number => d.getTime() / 1000;

function token(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}
function offsetOf(t: unknown): number {
  if (t === undefined || t === null) return 0;
  const parsed = JSON.parse(Buffer.from(String(t), 'base64url').toString()) as { offset?: number };
  if (!Number.isInteger(parsed.offset)) throw new AwsError('InvalidNextTokenException', 'invalid token');
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

  async function handle(request: StandInRequest): Promise<unknown> {
    const { operation, target } = request;
    stats.requests++;
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
    const prefix = SERVICE_PREFIXES[target.split('.')[0]] ?? target;
    const action = IAM_ACTIONS[`${prefix}:${operation}`] ?? `${prefix}:${operation}`;
    stats.byAction[action] = (stats.byAction[action] ?? 0) + 1;
    if (options.throttleRate && random() < options.throttleRate) {
      stats.throttled++;
      throw throttling(request);
    }
    if (target.startsWith('CodePipeline_20150709.')) return forward(request);
    if (denied(request.body)) throw new AwsError('AccessDeniedException', `User: arn:aws:sts::111111111111:assumed-role/springboard-fleet-reader/s is not authorized to perform: ${operation}`);
    return dispatch(operation, JSON.parse(request.body || '{}') as Record<string, unknown>);
  }

  async function forward(request: StandInRequest): Promise<RawAnswer> {
    if (!options.codePipelineUrl) throw new AwsError('UnknownOperationException', 'no CodePipeline behind this stand-in');
    const answer = await fetch(options.codePipelineUrl, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body });
    return new RawAnswer(answer.status, await answer.text(), { 'content-type': 'application/x-amz-json-1.1' });
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
        if (!b) throw new AwsError('NotFoundException', `Unable to get budget: ${String(input.BudgetName)} - the budget doesn't exist.`);
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
      default: throw new AwsError('UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  function scanFindings(input: Record<string, unknown>): unknown {
    const digest = String((input.imageId as { imageDigest: string }).imageDigest);
    const scan = state.scans[digest];
    if (!scan || scan.status === 'missing') throw new AwsError('ScanNotFoundException', `Image scan does not exist for the image with '{imageDigest:'${digest}'}'`);
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
    if (groupBy.join(',') !== 'TAG:Team,TAG:Environment') throw new AwsError('ValidationException', `unexpected GroupBy ${groupBy.join(',')}`);
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

  const standIn = await startStandIn(handle, { latencyMs: options.latencyMs });
  return { ...standIn, stats };
}
