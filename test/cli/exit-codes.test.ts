/**
 * One CLI shape: every command exits 0 on success, 1 on findings or invalid input, 2 on a usage
 * mistake, and a defect keeps its stack trace (70); the README lists the same codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../lib/cli';
import { EXIT_CODES, type CommandIo } from '../../lib/contract';
import { runSpringboard } from '../support/cli';
import { registryWith } from '../support/registry-files';

const ROOT = join(__dirname, '..', '..');

describe('exit codes of springboard', () => {
  test('0: success', async () => {
    expect((await runSpringboard(['validate', '--registry', join(ROOT, 'teams')])).code).toBe(EXIT_CODES.success);
    expect((await runSpringboard(['--help'])).code).toBe(EXIT_CODES.success);
  });

  test('1: invalid input, and the same registry error exits 1 in every command', async () => {
    const bad = registryWith({ 'broken.yaml': 'id: [' });
    for (const args of [['validate'], ['team', 'retire', 'benefits-screener'], ['fleet', 'status']]) {
      const run = await runSpringboard([...args, '--registry', bad]);
      expect({ args, code: run.code }).toEqual({ args, code: EXIT_CODES.failed });
      expect(run.stderr).toMatch(/broken\.yaml/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test.each([
    [['validate', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['team', 'retire'], /missing required argument 'id'/],
    [['fleet', 'status', '--discover', '--concurrency', 'many'], /--concurrency must be a whole number from 1 to 64, received "many"/],
    [['no-such-command'], /unknown command 'no-such-command'/],
  ])('2: a usage mistake %j', async (args, message) => {
    const run = await runSpringboard(args);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(message);
  });

  test('70: a defect prints its stack trace (here the output itself fails)', async () => {
    let stderr = '';
    const io: CommandIo = {
      stdout: { write: () => { throw new Error('stdout closed'); } },
      stderr: { write: (t: string) => (stderr += t) },
      writeFile: () => undefined,
      now: () => new Date(),
    };
    const code = await runCli(['validate', '--registry', join(ROOT, 'teams')], io);
    expect(code).toBe(EXIT_CODES.defect);
    expect(stderr).toMatch(/^springboard validate: a defect in Springboard; please report it with this trace:\nError: stdout closed\n\s+at /);
  });
});

test('the README lists the same exit codes', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `(\d+)` \| /gm)].map(m => Number(m[1]));
  expect(rows).toEqual(Object.values(EXIT_CODES));
});
