/** Runs the springboard command line in-process, the way bin/springboard does, with captured output. */
import { runCli, type CliSettings } from '../../lib/cli';
import type { CommandIo } from '../../lib/contract';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Files the command wrote through its io, by path. */
  readonly files: Record<string, string>;
  /** Questions asked, in order. */
  readonly questions: string[];
}

export interface CliRunOptions {
  /** Answers to the prompts, in order; without them there is no terminal to ask on. */
  readonly answers?: readonly string[];
  readonly now?: Date;
  readonly settings?: CliSettings;
  /** Write files to disk as well as recording them (commands whose output a later step reads). */
  readonly writeToDisk?: (path: string, content: string) => void;
}

export async function runSpringboard(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const files: Record<string, string> = {};
  const questions: string[] = [];
  const queue = [...(options.answers ?? [])];
  const io: CommandIo = {
    stdout: { isTTY: false, write: (t: string) => (stdout += t) },
    stderr: { isTTY: false, write: (t: string) => (stderr += t) },
    prompt: options.answers ? async (q) => (questions.push(q), queue.shift() ?? '') : undefined,
    writeFile: (path, content) => {
      files[path] = content;
      options.writeToDisk?.(path, content);
    },
    now: () => options.now ?? new Date(),
  };
  const code = await runCli(args, io, options.settings);
  return { code, stdout, stderr, files, questions };
}
