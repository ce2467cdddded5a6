/**
 * Merges the shards' cloud assemblies into one, the assembly a full `cdk synth` writes: every
 * artifact of every shard in one manifest, every template, asset manifest, stack metadata file and
 * asset in one folder, and one construct tree. A stack built by several shards (a baseline) must
 * come out identical from each, artifact and files alike; a difference is an error, never a pick.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { COMPLIANCE_REPORT_FILE } from '../../contract/naming';

const MANIFEST = 'manifest.json';
const TREE = 'tree.json';

interface Manifest {
  readonly version: string;
  readonly minimumCliVersion?: string;
  readonly artifacts?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

interface TreeFile {
  readonly version: string;
  readonly tree: { readonly children?: Record<string, unknown>; readonly [key: string]: unknown };
}

export interface MergedAssembly {
  readonly artifacts: number;
  /** Files written by more than one shard (checked identical, kept once). */
  readonly shared: number;
}

/** Thrown when two shards wrote different content under one name. */
export class ShardConflictError extends Error {}

/**
 * Moves the shards' files into `outdir` (emptied first) and writes the merged manifest and tree.
 * Files are moved, not copied: the shard folders are spent afterwards. The compliance report is
 * left to merge-report.ts.
 */
export function mergeAssemblies(shardDirs: readonly string[], outdir: string): MergedAssembly {
  if (shardDirs.length === 0) throw new Error('mergeAssemblies: no shard assemblies to merge');
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const manifests = shardDirs.map(dir => readJson<Manifest>(path.join(dir, MANIFEST)));
  const manifest = mergeManifests(manifests, shardDirs);
  let shared = 0;
  const origin = new Map<string, string>();
  for (const dir of shardDirs) {
    for (const entry of fs.readdirSync(dir).sort()) {
      if (entry === MANIFEST || entry === TREE || entry === COMPLIANCE_REPORT_FILE) continue;
      const target = path.join(outdir, entry);
      if (!origin.has(entry)) {
        fs.renameSync(path.join(dir, entry), target);
        origin.set(entry, dir);
        continue;
      }
      shared++;
      checkSame(path.join(dir, entry), target, origin.get(entry)!);
    }
  }
  const trees = shardDirs.map(dir => path.join(dir, TREE)).filter(file => fs.existsSync(file)).map(file => readJson<TreeFile>(file));
  if (trees.length > 0) fs.writeFileSync(path.join(outdir, TREE), JSON.stringify(mergeTrees(trees)));
  fs.writeFileSync(path.join(outdir, MANIFEST), `${JSON.stringify(manifest, undefined, 2)}\n`);
  return { artifacts: Object.keys(manifest.artifacts ?? {}).length, shared };
}

/** Every artifact once, in the order the shards list them; one artifact id, one content. */
function mergeManifests(manifests: readonly Manifest[], shardDirs: readonly string[]): Manifest {
  const [first] = manifests;
  const artifacts: Record<string, unknown> = {};
  const from = new Map<string, string>();
  manifests.forEach((manifest, i) => {
    const { artifacts: own, ...header } = manifest;
    const { artifacts: _ignored, ...firstHeader } = first;
    if (!isDeepStrictEqual(header, firstHeader)) {
      throw new ShardConflictError(`shard ${shardDirs[i]} wrote a manifest header different from ${shardDirs[0]}'s `
        + `(${JSON.stringify(header)} against ${JSON.stringify(firstHeader)}): were the shards built by different CDK versions?`);
    }
    for (const [id, artifact] of Object.entries(own ?? {})) {
      if (!(id in artifacts)) {
        artifacts[id] = artifact;
        from.set(id, shardDirs[i]);
      } else if (!isDeepStrictEqual(artifacts[id], artifact)) {
        throw new ShardConflictError(`artifact ${id} differs between shards ${from.get(id)} and ${shardDirs[i]}: `
          + 'a stack built by several shards must come out identical (does it depend on which teams a synth selects?)');
      }
    }
  });
  return { ...first, artifacts };
}

function checkSame(file: string, kept: string, keptFrom: string): void {
  const stat = fs.statSync(file);
  // Asset folders are named by the hash of their content.
  if (stat.isDirectory()) return;
  if (!fs.readFileSync(file).equals(fs.readFileSync(kept))) {
    throw new ShardConflictError(`${path.basename(file)} differs between shards ${keptFrom} and ${path.dirname(file)}: `
      + 'a stack built by several shards must come out identical (does it depend on which teams a synth selects?)');
  }
}

/** One tree whose root holds every shard's top-level constructs (the same construct once). */
function mergeTrees(trees: readonly TreeFile[]): TreeFile {
  const children: Record<string, unknown> = {};
  for (const tree of trees) {
    for (const [id, child] of Object.entries(tree.tree.children ?? {})) {
      if (!(id in children)) children[id] = child;
    }
  }
  return { ...trees[0], tree: { ...trees[0].tree, children } };
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
