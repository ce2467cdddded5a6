/**
 * A local stand-in for the CodePipeline API, for integration tests and the benchmark. It speaks
 * the JSON 1.1 protocol the SDK uses (POST, `X-Amz-Target: CodePipeline_20150709.<Operation>`,
 * epoch-second timestamps, errors as `{"__type", "message"}`), pages with opaque `nextToken`s,
 * returns history newest first, and can throttle, fail, stall, deny or drop on demand.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ActionCategory = 'Source' | 'Build' | 'Deploy' | 'Approval' | 'Test' | 'Invoke';

export interface FakeAction {
  readonly name: string;
  readonly category: ActionCategory;
  readonly runOrder?: number;
}

export interface FakeStage {
  readonly name: string;
  readonly actions: readonly FakeAction[];
}

export interface FakeExecution {
  readonly id: string;
  readonly status: string;
  readonly startTime: Date;
  readonly lastUpdateTime: Date;
  readonly statusSummary?: string;
}

export interface FakeActionExecution {
  readonly pipelineExecutionId: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly status: 'InProgress' | 'Succeeded' | 'Failed' | 'Abandoned';
  readonly startTime: Date;
  readonly lastUpdateTime: Date;
  readonly errorMessage?: string;
}

export interface FakePipeline {
  readonly name: string;
  readonly stages: readonly FakeStage[];
  readonly executions: readonly FakeExecution[];
  readonly actionExecutions: readonly FakeActionExecution[];
}

/** What one request was about, for fault scripts. */
export interface FakeCall {
  readonly operation: string;
  readonly pipeline?: string;
  /** 1-based index of the request since the server started. */
  readonly index: number;
}

export type FakeFault =
  | { readonly kind: 'throttle' }
  | { readonly kind: 'server-error'; readonly status: 500 | 503 }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'denied' }
  | { readonly kind: 'drop' };

export interface FakeOptions {
  /** Added to every answer. @default 0 */
  readonly latencyMs?: number;
  /** Share of requests answered with ThrottlingException, at random. @default 0 */
  readonly throttleRate?: number;
  /** Share of requests answered with a 5xx, at random. @default 0 */
  readonly serverErrorRate?: number;
  /** Pipelines whose every read is denied. */
  readonly deniedPipelines?: readonly string[];
  /** Pipelines that answer only after this many ms. */
  readonly slowPipelines?: Readonly<Record<string, number>>;
  /** Denies with a message that echoes the request's signature headers (to prove they are redacted). */
  readonly echoSignatureFor?: readonly string[];
  /** Any other fault, decided per request; wins over the options above. */
  readonly fault?: (call: FakeCall) => FakeFault | undefined;
  /** Seed of the random faults, so a run can be repeated. @default 1 */
  readonly seed?: number;
  /**
   * Serialize each distinct answer once (the history never changes), so that a benchmark measures
   * the reader rather than this server's JSON encoding. @default false
   */
  readonly cacheResponses?: boolean;
}

export interface FakeStats {
  requests: number;
  byOperation: Record<string, number>;
  byPipeline: Record<string, number>;
  throttled: number;
  serverErrors: number;
  inFlight: number;
  maxInFlight: number;
  unsigned: number;
}

export interface FakeCodePipeline {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly stats: FakeStats;
  /** Replaces the fault options for the following requests. */
  setOptions(options: FakeOptions): void;
  resetStats(): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'CodePipeline_20150709.';
const MAX_PAGE = 100;

class ApiError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** A small seeded generator (Park–Miller) so that random faults repeat across runs. */
export function seededRandom(seed: number): () => number {
  const modulus = 2147483647;
  let state = Math.abs(Math.floor(seed)) % modulus || 1;
  return () => {
    state = (state * 48271) % modulus;
    return (state - 1) / (modulus - 1);
  };
}

const epoch = (d: Date): number => d.getTime() / 1000;

interface Indexed {
  readonly pipeline: FakePipeline;
  readonly executions: readonly FakeExecution[];
  readonly actions: ReadonlyArray<FakeActionExecution & { readonly id: string }>;
}

function index(pipeline: FakePipeline): Indexed {
  const newestFirst = <T extends { startTime: Date }>(list: readonly T[]): T[] =>
    list.map((item, i) => ({ item, i }))
      .sort((a, b) => b.item.startTime.getTime() - a.item.startTime.getTime() || b.i - a.i)
      .map((x) => x.item);
  const actions = pipeline.actionExecutions.map((a, i) => ({ ...a, id: `${pipeline.name}-ae-${i}` }));
  return { pipeline, executions: newestFirst(pipeline.executions), actions: newestFirst(actions) };
}

export async function startFakeCodePipeline(pipelines: readonly FakePipeline[], initial: FakeOptions = {}): Promise<FakeCodePipeline> {
  const byName = new Map(pipelines.map((p) => [p.name, index(p)]));
  let options = initial;
  let random = seededRandom(initial.seed ?? 1);
  const stats = emptyStats();
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
      const input = body ? JSON.parse(body) as Record<string, unknown> : {};
      const pipeline = typeof input.pipelineName === 'string' ? input.pipelineName : typeof input.name === 'string' ? input.name : undefined;
      stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
      if (pipeline) stats.byPipeline[pipeline] = (stats.byPipeline[pipeline] ?? 0) + 1;
      const call = { operation, pipeline, index: stats.requests };
      if (options.latencyMs) await sleep(options.latencyMs);
      const fault = options.fault?.(call) ?? builtInFault(call);
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'delay') await sleep(fault.ms);
      if (res.destroyed || req.socket.destroyed) return;
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) {
        stats.unsigned++;
        throw new ApiError('MissingAuthenticationTokenException', 'request is not signed with SigV4');
      }
      if (fault) throwFault(fault, req, pipeline);
      if (pipeline && options.echoSignatureFor?.includes(pipeline)) {
        throw new ApiError('AccessDeniedException',
          `not authorized; request had Authorization: ${req.headers.authorization} and token ${req.headers['x-amz-security-token'] ?? ''}`);
      }
      send(res, 200, answer(operation, input, body));
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError('InternalFailure', String(error), 500);
      if (e.type === 'ThrottlingException') stats.throttled++;
      if (e.status >= 500) stats.serverErrors++;
      send(res, e.status, { __type: e.type, message: e.message });
    } finally {
      stats.inFlight--;
    }
  }

  const cache = new Map<string, string>();
  function answer(operation: string, input: Record<string, unknown>, body: string): string {
    if (!options.cacheResponses) return JSON.stringify(dispatch(operation, input));
    const key = `${operation} ${body}`;
    let text = cache.get(key);
    if (text === undefined) {
      text = JSON.stringify(dispatch(operation, input));
      cache.set(key, text);
    }
    return text;
  }

  function builtInFault(call: FakeCall): FakeFault | undefined {
    if (call.pipeline && options.deniedPipelines?.includes(call.pipeline)) return { kind: 'denied' };
    const slow = call.pipeline ? options.slowPipelines?.[call.pipeline] : undefined;
    if (slow) return { kind: 'delay', ms: slow };
    if (options.throttleRate && random() < options.throttleRate) return { kind: 'throttle' };
    if (options.serverErrorRate && random() < options.serverErrorRate) return { kind: 'server-error', status: 503 };
    return undefined;
  }

  function dispatch(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'ListPipelines': return listPipelines(input);
      case 'GetPipeline': return getPipeline(lookup(input.name));
      case 'GetPipelineState': return getPipelineState(lookup(input.name));
      case 'ListPipelineExecutions': return listPipelineExecutions(lookup(input.pipelineName), input);
      case 'ListActionExecutions': return listActionExecutions(lookup(input.pipelineName), input);
      default: throw new ApiError('UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  function lookup(name: unknown): Indexed {
    const found = typeof name === 'string' ? byName.get(name) : undefined;
    if (!found) throw new ApiError('PipelineNotFoundException', `The account with id '123456789012' does not include a pipeline with the name ${String(name)}`);
    return found;
  }

  function listPipelines(input: Record<string, unknown>): unknown {
    const all = [...byName.values()].map(({ pipeline }) => ({
      name: pipeline.name, version: 1, pipelineType: 'V2', executionMode: 'SUPERSEDED', created: 1.7e9, updated: 1.7e9,
    }));
    const { page, nextToken } = paginate(all, input, 'ListPipelines', 1000);
    return { pipelines: page, ...(nextToken ? { nextToken } : {}) };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setOptions(next) {
      options = next;
      random = seededRandom(next.seed ?? 1);
    },
    resetStats() {
      Object.assign(stats, emptyStats());
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function emptyStats(): FakeStats {
  return { requests: 0, byOperation: {}, byPipeline: {}, throttled: 0, serverErrors: 0, inFlight: 0, maxInFlight: 0, unsigned: 0 };
}

function throwFault(fault: FakeFault, req: http.IncomingMessage, pipeline: string | undefined): void {
  switch (fault.kind) {
    case 'throttle': throw new ApiError('ThrottlingException', 'Rate exceeded');
    case 'server-error': throw new ApiError(fault.status === 503 ? 'ServiceUnavailableException' : 'InternalFailure', 'the service is unavailable', fault.status);
    case 'denied': {
      const arn = `arn:aws:codepipeline:us-east-1:111111111111:${pipeline ?? '*'}`;
      throw new ApiError('AccessDeniedException', `User is not authorized to perform: codepipeline:${String(req.headers['x-amz-target']).replace(TARGET_PREFIX, '')} on resource: ${arn}`);
    }
    default: return;
  }
}

function getPipeline({ pipeline }: Indexed): unknown {
  return {
    pipeline: {
      name: pipeline.name,
      roleArn: `arn:aws:iam::111111111111:role/${pipeline.name}-pipeline`,
      artifactStore: { type: 'S3', location: 'springboard-artifacts' },
      version: 1,
      pipelineType: 'V2',
      executionMode: 'SUPERSEDED',
      stages: pipeline.stages.map((stage) => ({
        name: stage.name,
        actions: stage.actions.map((a, i) => ({
          name: a.name,
          actionTypeId: { category: a.category, owner: 'AWS', provider: providerOf(a.category), version: '1' },
          runOrder: a.runOrder ?? i + 1,
          configuration: {},
        })),
      })),
    },
    metadata: { pipelineArn: `arn:aws:codepipeline:us-east-1:111111111111:${pipeline.name}`, created: 1.7e9, updated: 1.7e9 },
  };
}

function providerOf(category: ActionCategory): string {
  const providers: Record<ActionCategory, string> = {
    Source: 'CodeStarSourceConnection', Build: 'CodeBuild', Deploy: 'CloudFormation', Approval: 'Manual', Test: 'CodeBuild', Invoke: 'Lambda',
  };
  return providers[category];
}

function getPipelineState({ pipeline, actions }: Indexed): unknown {
  return {
    pipelineName: pipeline.name,
    pipelineVersion: 1,
    stageStates: pipeline.stages.map((stage) => stageState(stage, actions.filter((a) => a.stageName === stage.name))),
    created: 1.7e9,
    updated: 1.7e9,
  };
}

type IndexedAction = FakeActionExecution & { readonly id: string };

function stageState(stage: FakeStage, newestFirst: readonly IndexedAction[]): unknown {
  const latestRun = newestFirst[0];
  const actionStates = stage.actions.map((action) => {
    const latest = newestFirst.find((a) => a.actionName === action.name);
    return {
      actionName: action.name,
      latestExecution: latest && {
        actionExecutionId: latest.id,
        status: latest.status,
        lastStatusChange: epoch(latest.lastUpdateTime),
        summary: latest.status === 'Failed' ? latest.errorMessage : undefined,
        errorDetails: latest.status === 'Failed' ? { code: 'JobFailed', message: latest.errorMessage ?? 'Action failed' } : undefined,
        token: action.category === 'Approval' && latest.status === 'InProgress' ? `token-${latest.id}` : undefined,
      },
    };
  });
  if (!latestRun) return { stageName: stage.name, inboundTransitionState: { enabled: true }, actionStates };
  const run = newestFirst.filter((a) => a.pipelineExecutionId === latestRun.pipelineExecutionId);
  return {
    stageName: stage.name,
    inboundTransitionState: { enabled: true },
    actionStates,
    latestExecution: { pipelineExecutionId: latestRun.pipelineExecutionId, status: stageStatus(stage, run) },
  };
}

function stageStatus(stage: FakeStage, run: readonly FakeActionExecution[]): string {
  const latestPerAction = stage.actions.map((a) => run.find((r) => r.actionName === a.name));
  if (latestPerAction.some((r) => r?.status === 'InProgress')) return 'InProgress';
  if (latestPerAction.some((r) => r?.status === 'Failed')) return 'Failed';
  if (latestPerAction.every((r) => r?.status === 'Succeeded')) return 'Succeeded';
  return 'Stopped';
}

function listPipelineExecutions({ pipeline, executions }: Indexed, input: Record<string, unknown>): unknown {
  const { page, nextToken } = paginate(executions, input, `ListPipelineExecutions:${pipeline.name}`, MAX_PAGE);
  const pipelineExecutionSummaries = page.map((e) => ({
    pipelineExecutionId: e.id,
    status: e.status,
    statusSummary: e.statusSummary,
    startTime: epoch(e.startTime),
    lastUpdateTime: epoch(e.lastUpdateTime),
    trigger: { triggerType: 'CloudWatchEvent', triggerDetail: 'arn:aws:events:us-east-1:111111111111:rule/source' },
    executionMode: 'SUPERSEDED',
  }));
  return { pipelineExecutionSummaries, ...(nextToken ? { nextToken } : {}) };
}

function listActionExecutions({ pipeline, actions }: Indexed, input: Record<string, unknown>): unknown {
  const filter = (input.filter ?? {}) as { pipelineExecutionId?: string };
  const selected = filter.pipelineExecutionId ? actions.filter((a) => a.pipelineExecutionId === filter.pipelineExecutionId) : actions;
  const { page, nextToken } = paginate(selected, input, `ListActionExecutions:${pipeline.name}`, MAX_PAGE);
  const categoryOf = (stage: string, action: string): ActionCategory =>
    pipeline.stages.find((s) => s.name === stage)?.actions.find((a) => a.name === action)?.category ?? 'Build';
  const actionExecutionDetails = page.map((a) => {
    const category = categoryOf(a.stageName, a.actionName);
    return {
      pipelineExecutionId: a.pipelineExecutionId,
      actionExecutionId: a.id,
      pipelineVersion: 1,
      stageName: a.stageName,
      actionName: a.actionName,
      startTime: epoch(a.startTime),
      lastUpdateTime: epoch(a.lastUpdateTime),
      status: a.status,
      input: { actionTypeId: { category, owner: 'AWS', provider: providerOf(category), version: '1' }, configuration: {} },
      output: a.status === 'Failed'
        ? { executionResult: { externalExecutionSummary: a.errorMessage, errorDetails: { code: 'JobFailed', message: a.errorMessage } } }
        : { executionResult: { externalExecutionSummary: 'done' } },
    };
  });
  return { actionExecutionDetails, ...(nextToken ? { nextToken } : {}) };
}

function paginate<T>(items: readonly T[], input: Record<string, unknown>, scope: string, maxPage: number): { page: T[]; nextToken?: string } {
  const size = input.maxResults === undefined ? maxPage : Number(input.maxResults);
  if (!Number.isInteger(size) || size < 1 || size > maxPage) {
    throw new ApiError('ValidationException',
      `1 validation error detected: Value '${String(input.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${maxPage}`);
  }
  const offset = input.nextToken === undefined ? 0 : decodeToken(String(input.nextToken), scope);
  const page = items.slice(offset, offset + size);
  return { page, ...(offset + size < items.length ? { nextToken: encodeToken(scope, offset + size) } : {}) };
}

function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ scope, offset })).toString('base64url');
}

function decodeToken(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { scope?: string; offset?: number };
    if (parsed.scope === scope && Number.isInteger(parsed.offset)) return parsed.offset!;
  } catch {
    // fall through to the service's error
  }
  throw new ApiError('InvalidNextTokenException', 'The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.');
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `req-${Math.random().toString(16).slice(2)}`,
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
