export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line, for a request or a component. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Lines below this level are dropped; defaults to LOG_LEVEL, else `info`. */
  readonly level?: LogLevel;
  /** Where lines go; defaults to stdout, which ECS sends to the service's log group. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

function isLogLevel(value: string | undefined): value is LogLevel {
  return value !== undefined && value in SEVERITY;
}

/** Errors do not survive JSON.stringify; keep what a person needs to find the cause. */
function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}

/**
 * Structured logs: one JSON object per line with `time`, `level` and `message` first. CloudWatch Logs
 * Insights reads the fields as columns, and the platform's appLogErrors alarm counts `"level":"error"`.
 */
export function createLogger(base: LogFields = {}, options: LoggerOptions = {}): Logger {
  const envLevel = process.env.LOG_LEVEL;
  const threshold = SEVERITY[options.level ?? (isLogLevel(envLevel) ? envLevel : 'info')];
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = options.now ?? (() => new Date());

  const log = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (SEVERITY[level] < threshold) return;
    const entry: Record<string, unknown> = { time: now().toISOString(), level, message };
    for (const [key, value] of Object.entries({ ...base, ...fields })) {
      if (!(key in entry)) entry[key] = serialize(value);
    }
    write(JSON.stringify(entry));
  };

  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => createLogger({ ...base, ...fields }, options),
  };
}
