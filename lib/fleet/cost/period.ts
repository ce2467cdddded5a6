/**
 * The cost period: one calendar month in UTC (`--month 2026-11`), by default the current one up to
 * today. Cost Explorer takes `Start` inclusive and `End` exclusive, as dates.
 */
import { FleetUsageError } from '../run';

export interface CostPeriod {
  /** `YYYY-MM-DD`, inclusive. */
  readonly start: string;
  /** `YYYY-MM-DD`, exclusive. */
  readonly end: string;
  /** `YYYY-MM`. */
  readonly month: string;
  /** Whether the month is still running (figures are month to date). */
  readonly partial: boolean;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

export function resolvePeriod(month: string | undefined, now: Date): CostPeriod {
  const current = now.toISOString().slice(0, 7);
  const chosen = month ?? current;
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(chosen);
  if (!m) throw new FleetUsageError(`--month must be a calendar month like 2026-11, received "${chosen}"`);
  if (chosen > current) throw new FleetUsageError(`--month ${chosen} has not started yet (the current month is ${current})`);
  const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
  const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const end = next < tomorrow ? next : tomorrow;
  return { start: day(start), end: day(end), month: chosen, partial: end < next };
}
