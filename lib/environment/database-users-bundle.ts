/**
 * The database identities' function as one file: its handler, its SQL and `pg` (which the Lambda
 * runtime does not ship), bundled by esbuild's API in this process, never in Docker. Bundled once
 * per process and written to a folder named by the bundle's hash, so every stack of one synth, and
 * every synth of the same code, shares one asset (the asset hash and the synth time stay flat).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { NODE_MAJOR_VERSION } from '../contract/runtime';

/** The function's entry point (plain JavaScript, type-checked by its `@ts-check`). */
export const DATABASE_USERS_HANDLER_ENTRY = path.join(__dirname, 'database-users-handler', 'handler.js');
/** The bundle's file name, so the function's handler is `index.handler`. */
const BUNDLE_FILE = 'index.js';

let bundleDir: string | undefined;

/** The folder holding the bundled function, made on first use in this process. */
export function databaseUsersBundleDir(): string {
  if (bundleDir && existsSync(path.join(bundleDir, BUNDLE_FILE))) return bundleDir;
  const code = bundle();
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 20);
  const dir = path.join(os.tmpdir(), 'springboard-assets', `database-users-${hash}`);
  const file = path.join(dir, BUNDLE_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: parallel test workers may bundle at once and must never read half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  bundleDir = dir;
  return dir;
}

function bundle(): Uint8Array {
  const result = buildSync({
    entryPoints: [DATABASE_USERS_HANDLER_ENTRY],
    bundle: true,
    platform: 'node',
    target: `node${NODE_MAJOR_VERSION}`,
    format: 'cjs',
    write: false,
    // The runtime ships the AWS SDK; pg-native is pg's optional native driver, never loaded here.
    external: ['@aws-sdk/*', 'pg-native'],
    // Paths in the bundle's comments relative to the package root: the same bytes from any working directory.
    absWorkingDir: path.join(__dirname, '..', '..'),
    legalComments: 'eof',
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}
