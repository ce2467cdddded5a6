/**
 * The benchmark's figures: what one synth measured, what the fleet sizes add up to (marginal cost,
 * growth ratio) and which of issue 10's goals hold. Pure functions, so the report can be rebuilt
 * from `synth.json`.
 */
import { CLOUDFORMATION_QUOTAS, QuotaName } from '../../lib/app/quota-check';

export type Mode = 'cold' | 'warm' | 'off';
export const MODES: readonly Mode[] = ['cold', 'warm', 'off'];

export const MODE_LABELS: Readonly<Record<Mode, string>> = {
  cold: 'gate on, cold cache',
  warm: 'gate on, warm cache (+1 team)',
  off: 'gate off',
};

export interface SynthRun {
  readonly wallSeconds: number;
  readonly peakTreeRssMiB?: number;
  readonly peakProcessRssMiB?: number;
  /** The gate's own time, from its progress line. */
  readonly gateSeconds?: number;
  readonly templates?: number;
  readonly cacheHits?: number;
  readonly load: readonly [number, number];
  readonly ok: boolean;
}

export interface QuotaUse {
  readonly stack: string;
  readonly used: number;
  readonly limit: number;
  readonly share: number;
}

export interface SizeResult {
  readonly teams: number;
  readonly stacks: number;
  /** The modes measured at this size (all three unless --modes chose fewer). */
  readonly runs: Readonly<Partial<Record<Mode, SynthRun>>>;
  /** For each quota, the stack using most of it (from the first measured assembly). */
  readonly largest: Readonly<Record<QuotaName, QuotaUse>>;
}

export interface OneOfResult {
  readonly fleet: number;
  readonly team: string;
  readonly run: SynthRun;
}

export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  readonly holds: boolean | undefined;
}

export interface Derived {
  /** Least-squares slope of wall time over team count, per mode. */
  readonly marginalSecondsPerTeam: Readonly<Record<Mode, number | undefined>>;
  /** t(largest)/t(20) per mode, when both sizes ran. */
  readonly growth: Readonly<Record<Mode, number | undefined>>;
  readonly growthSizes?: readonly [number, number];
}

/** Least-squares slope of y over x; undefined with fewer than two points. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number | undefined {
  if (points.length < 2) return undefined;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  return points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}

export function derive(sizes: readonly SizeResult[]): Derived {
  const perMode = (f: (m: Mode) => number | undefined) => Object.fromEntries(MODES.map(m => [m, f(m)])) as Record<Mode, number | undefined>;
  const marginal = perMode(m => slope(sizes.flatMap(s => (s.runs[m] ? [[s.teams, s.runs[m]!.wallSeconds] as const] : []))));
  const small = sizes.find(s => s.teams === 20);
  const large = sizes[sizes.length - 1];
  const growthSizes = small && large.teams > small.teams ? [small.teams, large.teams] as const : undefined;
  const ratio = (m: Mode) => (large.runs[m] && small?.runs[m] ? large.runs[m]!.wallSeconds / small.runs[m]!.wallSeconds : undefined);
  const growth = perMode(m => (growthSizes ? ratio(m) : undefined));
  return { marginalSecondsPerTeam: marginal, growth, growthSizes };
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? 'n/a' : n.toFixed(digits));

export function goals(sizes: readonly SizeResult[], derived: Derived, oneOf: OneOfResult | undefined, fleetOfOne: SynthRun | undefined): Goal[] {
  const cold = derived.marginalSecondsPerTeam.cold;
  const warm = derived.marginalSecondsPerTeam.warm;
  const growth = derived.growth.cold;
  const largest = sizes[sizes.length - 1];
  // Memory at the largest size: the worst of the modes measured there.
  const memories = MODES.flatMap(m => (largest.runs[m]?.peakTreeRssMiB === undefined ? [] : [largest.runs[m]!.peakTreeRssMiB!]));
  const memory = memories.length > 0 ? Math.max(...memories) : undefined;
  const worstShare = Math.max(...Object.values(largest.largest).map(q => q.share));
  return [
    { goal: 'gate-on marginal cost, cold', target: '<= 2.0 s/team', measured: `${fmt(cold)} s/team`, holds: cold === undefined ? undefined : cold <= 2.0 },
    { goal: 'gate-on marginal cost, warm', target: '<= 0.5 s/team', measured: `${fmt(warm)} s/team`, holds: warm === undefined ? undefined : warm <= 0.5 },
    {
      goal: `t(${derived.growthSizes?.[1] ?? 200})/t(${derived.growthSizes?.[0] ?? 20}), gate on, cold`,
      target: `<= ${derived.growthSizes ? (derived.growthSizes[1] / derived.growthSizes[0]) * 1.1 : 11}`,
      measured: fmt(growth),
      holds: growth === undefined || !derived.growthSizes ? undefined : growth <= (derived.growthSizes[1] / derived.growthSizes[0]) * 1.1,
    },
    {
      goal: `one team out of ${oneOf?.fleet ?? 'n/a'} vs a fleet of one (cold)`,
      target: 'no slower',
      measured: oneOf && fleetOfOne ? `${fmt(oneOf.run.wallSeconds, 1)} s vs ${fmt(fleetOfOne.wallSeconds, 1)} s` : 'n/a',
      // Within 5%: two single runs on a shared machine differ by more than that from noise alone.
      holds: oneOf && fleetOfOne ? oneOf.run.wallSeconds <= fleetOfOne.wallSeconds * 1.05 : undefined,
    },
    {
      goal: `peak memory at ${largest.teams} teams (process tree, ${MODES.filter(m => largest.runs[m]).join('/')})`,
      target: '<= 2048 MiB',
      measured: memory === undefined ? 'n/a' : `${memory.toFixed(0)} MiB`,
      holds: memory === undefined ? undefined : memory <= 2048,
    },
    { goal: `largest stack at ${largest.teams} teams`, target: '< 50% of every quota', measured: `${(worstShare * 100).toFixed(0)}%`, holds: worstShare < 0.5 },
  ];
}

export function quotaUse(stack: string, quota: QuotaName, used: number): QuotaUse {
  const limit = CLOUDFORMATION_QUOTAS[quota];
  return { stack, used, limit, share: used / limit };
}

/** The README table: one row per fleet size. */
export function markdownTable(sizes: readonly SizeResult[]): string {
  const header = '| Teams | Stacks | Cold (gate on) | Warm (+1 team) | Gate off | Peak MiB cold / warm / off | Largest stack: resources / outputs / KB | Load avg cold / warm / off |';
  const rule = '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |';
  const rows = sizes.map(s => {
    const l = s.largest;
    const loads = MODES.map(m => fmt(s.runs[m]?.load[0], 1)).join(' / ');
    const wall = (m: Mode) => (s.runs[m] ? `${fmt(s.runs[m]!.wallSeconds, 1)} s` : 'not run');
    const memory = MODES.map(m => fmt(s.runs[m]?.peakTreeRssMiB, 0)).join(' / ');
    return `| ${s.teams} | ${s.stacks} | ${wall('cold')} | ${wall('warm')} | ${wall('off')} `
      + `| ${memory} | ${l.resources.used} (${pct(l.resources)}) / ${l.outputs.used} (${pct(l.outputs)}) / `
      + `${(l.templateBytes.used / 1024).toFixed(0)} (${pct(l.templateBytes)}) | ${loads} |`;
  });
  return [header, rule, ...rows].join('\n');
}

function pct(q: QuotaUse): string {
  return `${(q.share * 100).toFixed(0)}%`;
}

export function goalsTable(list: readonly Goal[]): string {
  const rows = list.map(g => `| ${g.goal} | ${g.target} | ${g.measured} | ${g.holds === undefined ? 'not measured' : g.holds ? 'holds' : '**does not hold**'} |`);
  return ['| Goal | Target | Measured | |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function derivedLines(derived: Derived, oneOf: OneOfResult | undefined, fleetOfOne: SynthRun | undefined): string[] {
  const m = derived.marginalSecondsPerTeam;
  const g = derived.growth;
  const lines = [
    `marginal s/team (least squares over sizes): cold ${fmt(m.cold)}, warm ${fmt(m.warm)}, gate off ${fmt(m.off)}`,
  ];
  if (derived.growthSizes) {
    const [a, b] = derived.growthSizes;
    lines.push(`t(${b})/t(${a}): cold ${fmt(g.cold)}, warm ${fmt(g.warm)}, gate off ${fmt(g.off)} (linear would be ${(b / a).toFixed(1)})`);
  }
  if (oneOf) {
    lines.push(`one team (${oneOf.team}) out of ${oneOf.fleet}, cold: ${fmt(oneOf.run.wallSeconds, 1)} s`
      + (fleetOfOne ? `; a fleet of one, cold: ${fmt(fleetOfOne.wallSeconds, 1)} s` : ''));
  }
  return lines;
}
