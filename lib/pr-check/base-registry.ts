/**
 * The registry as it is on the pull request's base: its files at a git ref, written to a folder, so
 * the current code can synthesize the approved registry and the audit compares registry with registry.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { InvalidInputError } from '../contract';

function git(repo: string, args: readonly string[]): Buffer {
  try {
    return execFileSync('git', ['-C', repo, ...args], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? '').trim();
    throw new InvalidInputError(`git ${args.join(' ')} in ${repo} failed: ${stderr || (e as Error).message}`);
  }
}

/**
 * Writes every file under `registryPath` (relative to the repository root) at `ref` into `dest`,
 * and returns the folder that holds them. Refuses a ref that does not resolve to a commit.
 */
export function registryAtRef(repo: string, ref: string, registryPath: string, dest: string): string {
  const commit = git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString().trim();
  const prefix = path.posix.normalize(registryPath.split(path.sep).join('/')).replace(/\/$/, '');
  const files = git(repo, ['ls-tree', '-r', '-z', '--name-only', commit, '--', prefix]).toString().split('\0').filter(Boolean);
  if (files.length === 0) {
    throw new InvalidInputError(`base ${ref} (${commit.slice(0, 12)}) has no files under ${prefix}/; expected the registry folder there (--registry names it)`);
  }
  for (const file of files) {
    const target = path.join(dest, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, git(repo, ['show', `${commit}:${file}`]));
  }
  return path.join(dest, prefix);
}

/** The commit a ref names, for the summary. */
export function commitOf(repo: string, ref: string): string {
  return git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString().trim();
}
