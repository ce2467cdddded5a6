/**
 * Cache of raw findings by template content. The key covers everything the raw findings depend
 * on (the template bytes, the rule engines' versions and this evaluator's version); the policy and
 * the verdict are never cached, they are recomputed on every run. So a cache can only save time:
 * it cannot change a verdict. Unreadable or foreign entries are treated as misses.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { RawFinding } from './findings';
import { CFN_GUARD_PACKAGE_DIR } from './guard-catalog';

/** Bump when the evaluation itself changes (rule selection, mapping of findings). */
const EVALUATOR_VERSION = 2;

/** Default directory, relative to the working directory (git-ignored). */
export const DEFAULT_CACHE_DIR = '.springboard-cache/compliance';

/** Environment variable that moves the cache (the synth benchmark keeps its own). */
export const CACHE_DIR_ENV = 'SPRINGBOARD_CACHE_DIR';

/** The cache directory of a synth: the option, else the environment variable, else the default. */
export function cacheDirectory(option?: string | false): string | false {
  return option ?? (process.env[CACHE_DIR_ENV] || DEFAULT_CACHE_DIR);
}

export interface FindingsCache {
  get(key: string): RawFinding[] | undefined;
  set(key: string, findings: readonly RawFinding[]): void;
}

let engineFingerprint: string | undefined;

/** Versions of everything that decides raw findings besides the template itself. */
export function evaluationFingerprint(): string {
  engineFingerprint ??= JSON.stringify({
    evaluator: EVALUATOR_VERSION,
    cdkNag: packageVersion('cdk-nag/package.json'),
    cfnGuardValidator: packageVersion('@cdklabs/cdk-validator-cfnguard/package.json'),
    cfnGuard: fs.readFileSync(path.join(CFN_GUARD_PACKAGE_DIR, 'guard-version.json'), 'utf8').trim(),
    awsCdkLib: packageVersion('aws-cdk-lib/package.json'),
  });
  return engineFingerprint;
}

function packageVersion(manifest: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(manifest), 'utf8')) as { version: string }).version;
}

/** The cache key of one template's content. */
export function findingsCacheKey(templateText: string): string {
  return createHash('sha256').update(evaluationFingerprint()).update('\0').update(templateText).digest('hex');
}

/** A cache that remembers nothing. */
export const NO_CACHE: FindingsCache = { get: () => undefined, set: () => undefined };

/** One JSON file per key in `dir`, written atomically. */
export function directoryCache(dir: string): FindingsCache {
  return {
    get: key => readEntry(path.join(dir, `${key}.json`), key),
    set: (key, findings) => writeEntry(dir, key, findings),
  };
}

function readEntry(file: string, key: string): RawFinding[] | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: unknown; findings?: unknown };
    if (entry.key !== key || !Array.isArray(entry.findings) || !entry.findings.every(isRawFinding)) return undefined;
    return entry.findings;
  } catch {
    return undefined;
  }
}

function writeEntry(dir: string, key: string, findings: readonly RawFinding[]): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.${key}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify({ key, findings }));
    fs.renameSync(tmp, path.join(dir, `${key}.json`));
  } catch {
    // A cache that cannot be written only costs time on the next run.
  }
}

function isRawFinding(value: unknown): value is RawFinding {
  const f = value as Partial<RawFinding> | null;
  return typeof f?.ruleId === 'string' && typeof f.pack === 'string' && typeof f.logicalId === 'string'
    && typeof f.description === 'string' && (f.level === 'error' || f.level === 'warning');
}
