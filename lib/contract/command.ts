/**
 * The command contract: what every Springboard command (`springboard ...`, the CDK app, the
 * platform pipeline's steps) means by its exit code, how it tells a user's mistake from a defect,
 * and where it reads and writes. Scripts and pipelines rely on the exit codes; docs/architecture.md
 * and the README list them.
 */

/** Exit codes of every Springboard command. */
export const EXIT_CODES = {
  /** Done, nothing to report. */
  success: 0,
  /** Findings (a failed gate or audit, a blocked change set, an unreadable pipeline) or input that does not hold (the registry, a team id). */
  failed: 1,
  /** The command line itself is wrong: an unknown or missing flag, a malformed value, flags that conflict. */
  usage: 2,
  /** A defect in Springboard: printed with its stack trace, to be reported. */
  defect: 70,
} as const;

export type UserErrorExitCode = typeof EXIT_CODES.failed | typeof EXIT_CODES.usage;

/**
 * A mistake by the person running Springboard. Commands print its message (no stack trace) and exit
 * with its code; any other error is a defect and keeps its stack trace.
 */
export class UserError extends Error {
  public constructor(message: string, public readonly exitCode: UserErrorExitCode) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not hold: a registry file, a team that does not exist, a folder that is not an assembly. Exits 1. */
export class InvalidInputError extends UserError {
  public constructor(message: string) {
    super(message, EXIT_CODES.failed);
  }
}

/** The command line itself is wrong: a flag missing, malformed or in conflict with another. Exits 2. */
export class UsageError extends UserError {
  public constructor(message: string) {
    super(message, EXIT_CODES.usage);
  }
}

/** Is `error` a user's mistake (print the message) rather than a defect (keep the stack trace)? */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/**
 * What a command prints and exits with for an error it did not handle: a user's mistake is one
 * line, `<command>: <message>`, with its own exit code; anything else is a defect and keeps its
 * stack trace (exit 70).
 */
export function failureReport(error: unknown, command: string): { readonly exitCode: number; readonly text: string } {
  if (isUserError(error)) return { exitCode: error.exitCode, text: `${command}: ${error.message}\n` };
  const trace = error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : String(error);
  return { exitCode: EXIT_CODES.defect, text: `${command}: a defect in Springboard; please report it with this trace:\n${trace}\n` };
}

/** Somewhere a command writes text; `isTTY` lets it show progress only to a person. */
export interface TextSink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Where a command reads and writes: the process's own streams, or a test's. */
export interface CommandIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Asks one question and returns the answer; undefined when there is no terminal to ask on. */
  readonly prompt?: (question: string) => Promise<string>;
  readonly writeFile: (path: string, content: string) => void;
  readonly now: () => Date;
}
