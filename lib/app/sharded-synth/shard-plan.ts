/**
 * How a sharded synth divides the registry: one shard builds the platform scope (`-c scope=platform`:
 * baselines, pipeline stacks, fleet-wide stacks), and N shards each build a disjoint set of teams
 * (`-c teams=a,b`: their environment and delivery stacks and the baselines they stand on). Every
 * stack of a full build is built by at least one shard; a baseline may be built by several, and
 * the merge checks those copies are identical (merge-assembly.ts).
 */

export interface Shard {
  /** Name of the shard's output folder and of its lines in the progress output. */
  readonly name: string;
  /** Context given to its `cdk synth` (`-c key=value`). */
  readonly context: Readonly<Record<string, string>>;
  /** Teams it builds (empty for the platform shard). */
  readonly teams: readonly string[];
}

/** The platform shard's name. */
export const PLATFORM_SHARD = 'platform';

/**
 * The platform shard first (it builds what every team shard's baselines also hold), then
 * `teamShards` shards of consecutive team ids, sizes differing by at most one. Fewer team shards
 * when there are fewer teams.
 */
export function planShards(teamIds: readonly string[], teamShards: number): Shard[] {
  if (!Number.isInteger(teamShards) || teamShards < 1) throw new Error(`planShards: expected at least one team shard, received ${teamShards}`);
  const ids = [...new Set(teamIds)].sort();
  const count = Math.min(teamShards, ids.length);
  const shards: Shard[] = [{ name: PLATFORM_SHARD, context: { scope: 'platform' }, teams: [] }];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(ids.length / count) + (i < ids.length % count ? 1 : 0);
    const teams = ids.slice(start, start + size);
    start += size;
    shards.push({ name: `teams-${String(i + 1).padStart(String(count).length, '0')}`, context: { teams: teams.join(',') }, teams });
  }
  return shards;
}
