/** The process's own streams and files: the CommandIo every command gets outside tests. */
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { CommandIo } from '../contract';

export function processIo(): CommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    prompt: terminalPrompt(),
    writeFile: (path, content) => writeFileSync(path, content),
    now: () => new Date(),
  };
}

/** Questions go to stderr so stdout stays clean; only on a terminal, where a person can answer. */
function terminalPrompt(): CommandIo['prompt'] {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
