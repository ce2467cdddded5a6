/**
 * Pacing and retries for the CodePipeline read APIs.
 *
 * The SDK's own retries are turned off (maxAttempts 1) because its retry budget is shared by a
 * client and fails fast after about a hundred throttled retries: over a fleet, a quarter of calls
 * throttled would then drop pipelines from the report. Instead every call goes through a Pacer:
 * one adaptive rate limiter per account and region (throttling is counted there), full-jitter
 * exponential backoff, and separate budgets for throttling (which only asks us to slow down) and
 * for transient faults (5xx, timeouts, dropped connections), which are retried a few times only so
 * that nothing hangs.
 */

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PacingOptions {
  /** Retries of a throttled call before it fails. @default 12 */
  readonly maxThrottleRetries?: number;
  /** Retries of a 5xx, timed-out or dropped call before it fails. @default 3 */
  readonly maxTransientRetries?: number;
  /** First backoff ceiling in ms; doubles with each retry. @default 100 */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling in ms. @default 5000 */
  readonly maxDelayMs?: number;
  /** Lowest request rate (per second) the limiter slows down to. @default 5 */
  readonly minRatePerSecond?: number;
  /** Rate above which the limiter switches itself off again. @default 500 */
  readonly maxRatePerSecond?: number;
  /** Shortest time between two rate cuts, so that one burst of throttles cuts once. @default 1000 */
  readonly cutIntervalMs?: number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly now?: () => number;
}

export type ErrorKind = 'throttling' | 'transient' | 'fatal';

const THROTTLING_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded',
  'ProvisionedThroughputExceededException', 'RequestThrottled', 'SlowDown', 'RequestThrottledException',
]);
const TRANSIENT_NAMES = new Set([
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalFailure', 'InternalError',
  'ServiceUnavailable', 'ServiceUnavailableException', 'InternalServerError',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

export interface ErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: { readonly throttling?: boolean };
}

// The SDK wraps values that are not `instanceof Error` (an error from another realm, such as a
// socket error under a test runner's sandbox) as "AWS SDK error wrapper for <Name>: <message>".
const WRAPPED = /^AWS SDK error wrapper for (\w+)(?::\s*(.*))?$/s;

/** The error with its original name and message when the SDK wrapped it. */
export function unwrapSdkError(error: unknown): ErrorShape & { readonly message?: string } {
  const e = (error ?? {}) as ErrorShape & { readonly message?: string };
  const match = typeof e.message === 'string' ? WRAPPED.exec(e.message) : null;
  if (!match) return e;
  const message = match[2] ?? '';
  const code = /hang up|ECONNRESET/.test(message) ? 'ECONNRESET' : e.code;
  return { ...e, name: match[1], message, code, $metadata: e.$metadata };
}

/** Whether an error from the SDK is throttling, worth retrying, or final. */
export function classifyError(error: unknown): ErrorKind {
  const e = unwrapSdkError(error);
  const status = e.$metadata?.httpStatusCode;
  if ((e.name && THROTTLING_NAMES.has(e.name)) || e.$retryable?.throttling || status === 429) return 'throttling';
  if ((e.name && TRANSIENT_NAMES.has(e.name)) || (e.code && TRANSIENT_CODES.has(e.code))) return 'transient';
  if (status !== undefined && status >= 500) return 'transient';
  return 'fatal';
}

const CUT_FACTOR = 0.7;

/**
 * A client-side rate limiter that stays off until the service throttles, then cuts the rate to
 * 70% of what was being sent (at most once per cut interval), and adds about one request per second per second while calls
 * succeed, switching off again once the rate is far above anything the service pushed back on.
 */
export class AdaptiveRateLimiter {
  private rate: number | undefined;
  private nextSlot = 0;
  private lastCut = Number.NEGATIVE_INFINITY;
  private readonly sent: number[] = [];

  constructor(
    private readonly minRate: number,
    private readonly maxRate: number,
    private readonly cutIntervalMs: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {}

  /** Requests per second currently allowed, or undefined when unlimited. */
  get currentRate(): number | undefined {
    return this.rate;
  }

  async acquire(): Promise<void> {
    const now = this.now();
    if (this.rate !== undefined) {
      const slot = Math.max(now, this.nextSlot);
      this.nextSlot = slot + 1000 / this.rate;
      if (slot > now) await this.sleep(slot - now);
    }
    this.record(this.now());
  }

  onThrottle(): void {
    const now = this.now();
    if (now - this.lastCut < this.cutIntervalMs) return;
    this.lastCut = now;
    const observed = this.observedRate(now);
    this.rate = Math.max(this.minRate, Math.min(this.rate ?? observed, observed) * CUT_FACTOR);
  }

  onSuccess(): void {
    if (this.rate === undefined) return;
    // About one more request per second, each second, while calls succeed.
    this.rate += 1 / this.rate;
    if (this.rate > this.maxRate) this.rate = undefined;
  }

  private record(now: number): void {
    this.sent.push(now);
    while (this.sent.length > 0 && this.sent[0] < now - 1000) this.sent.shift();
  }

  // Requests sent in the last second, scaled up when the limiter has been running for less.
  private observedRate(now: number): number {
    const recent = this.sent.filter((t) => t >= now - 1000);
    if (recent.length === 0) return this.minRate;
    const span = Math.min(1000, Math.max(now - recent[0], 50));
    return (recent.length * 1000) / span;
  }
}

/** Counters a benchmark or test can read. */
export interface PacerStats {
  /** Calls asked for (each logical API call once). */
  readonly calls: number;
  /** HTTP attempts, retries included. */
  readonly attempts: number;
  readonly throttled: number;
  readonly transientFailures: number;
}

/** Error raised when a call keeps failing; carries the last error and the attempt count. */
export class RetriesExhaustedError extends Error {
  constructor(readonly lastError: unknown, readonly attempts: number, readonly kind: ErrorKind) {
    super(`${kind === 'throttling' ? 'still throttled' : 'still failing'} after ${attempts} attempts`);
    this.name = 'RetriesExhaustedError';
  }
}

export class Pacer {
  readonly limiter: AdaptiveRateLimiter;
  private readonly options: Required<PacingOptions>;
  private counters = { calls: 0, attempts: 0, throttled: 0, transientFailures: 0 };

  constructor(options: PacingOptions = {}) {
    this.options = {
      maxThrottleRetries: options.maxThrottleRetries ?? 12,
      maxTransientRetries: options.maxTransientRetries ?? 3,
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 5000,
      minRatePerSecond: options.minRatePerSecond ?? 5,
      maxRatePerSecond: options.maxRatePerSecond ?? 500,
      cutIntervalMs: options.cutIntervalMs ?? 1000,
      sleep: options.sleep ?? realSleep,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
    };
    const o = this.options;
    this.limiter = new AdaptiveRateLimiter(o.minRatePerSecond, o.maxRatePerSecond, o.cutIntervalMs, o.now, o.sleep);
  }

  get stats(): PacerStats {
    return { ...this.counters };
  }

  /** Runs one API call with pacing and deliberate retries. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    this.counters.calls++;
    let throttles = 0;
    let transients = 0;
    for (;;) {
      await this.limiter.acquire();
      this.counters.attempts++;
      try {
        const result = await call();
        this.limiter.onSuccess();
        return result;
      } catch (error) {
        const kind = classifyError(error);
        if (kind === 'fatal') throw error;
        const retry = kind === 'throttling' ? ++throttles : ++transients;
        this.count(kind);
        const budget = kind === 'throttling' ? this.options.maxThrottleRetries : this.options.maxTransientRetries;
        if (retry > budget) throw new RetriesExhaustedError(error, throttles + transients, kind);
        await this.options.sleep(this.backoff(throttles + transients));
      }
    }
  }

  private count(kind: ErrorKind): void {
    if (kind === 'throttling') {
      this.counters.throttled++;
      this.limiter.onThrottle();
    } else {
      this.counters.transientFailures++;
    }
  }

  // Full jitter: a uniform wait below an exponentially growing ceiling.
  private backoff(retry: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (retry - 1));
    return Math.floor(this.options.random() * ceiling);
  }
}
