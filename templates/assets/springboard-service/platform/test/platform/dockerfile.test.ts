import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEAM } from '../../src/platform/team';

// No Docker engine is needed: the Dockerfile is checked as text, instruction by instruction.
const root = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    while (logical.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      logical = logical.trimEnd().slice(0, -1) + ' ' + lines[++i].trim();
    }
    const trimmed = logical.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [keyword, ...rest] = trimmed.split(/\s+/);
    result.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: start + 1 });
  }
  return result;
}

const all = instructions(dockerfile);
const stages = all.reduce<Instruction[][]>((acc, instruction) => {
  if (instruction.keyword === 'FROM') acc.push([]);
  acc[acc.length - 1]?.push(instruction);
  return acc;
}, []);
const runtime = stages[stages.length - 1];

test('every base image is pinned by digest', () => {
  const froms = all.filter((i) => i.keyword === 'FROM');
  expect(froms.length).toBeGreaterThan(0);
  for (const from of froms) {
    expect({ line: from.line, image: from.args.split(/\s+/)[0] }).toEqual({ line: from.line, image: expect.stringMatching(/@sha256:[a-f0-9]{64}$/) });
  }
});

test('the runtime stage runs as a non-root user before the command', () => {
  const users = runtime.filter((i) => i.keyword === 'USER');
  expect(users.length).toBeGreaterThan(0);
  const user = users[users.length - 1].args.split(':')[0];
  expect(['root', '0']).not.toContain(user);
  const cmd = runtime.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  expect(cmd).toBeDefined();
  expect(users[users.length - 1].line).toBeLessThan(cmd!.line);
});

test('the command uses exec form so the service receives SIGTERM', () => {
  const cmd = runtime.filter((i) => i.keyword === 'CMD').pop();
  expect(cmd?.args.startsWith('[')).toBe(true);
});

test('has a health check and exposes the registry port', () => {
  expect(runtime.some((i) => i.keyword === 'HEALTHCHECK' && i.args.includes('CMD'))).toBe(true);
  expect(runtime.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args)).toEqual([String(TEAM.port)]);
});

test('installs from the lockfile and never downloads with ADD', () => {
  expect(all.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
  expect(all.filter((i) => i.keyword === 'ADD')).toEqual([]);
});

test('.dockerignore keeps node_modules, .git and local secrets out of the build context', () => {
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', '.env']));
});
