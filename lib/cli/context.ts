/** What every subcommand is built with: where it reads and writes, and where its exit code goes. */
import type { CliSettings } from './index';
import type { CommandIo } from '../contract';

export interface CommandContext {
  readonly io: CommandIo;
  readonly settings: CliSettings;
  /** The exit code of the run (a UserError thrown instead sets its own). */
  readonly setExitCode: (code: number) => void;
}

/** An action that returns its exit code, as commander's action handler. */
export function exitingWith<Args extends unknown[]>(
  context: CommandContext,
  run: (...args: Args) => number | Promise<number>,
): (...args: Args) => Promise<void> {
  return async (...args) => context.setExitCode(await run(...args));
}
