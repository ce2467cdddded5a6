/**
 * Scorecard levels. `unknown` (the figure could not be read) is never shown as green: it ranks
 * between amber and green, so a team whose figures are all unknown is not reported as healthy.
 */
export type Level = 'green' | 'unknown' | 'amber' | 'red';

const RANK: Record<Level, number> = { green: 0, unknown: 1, amber: 2, red: 3 };

export function worstLevel(levels: readonly Level[]): Level {
  return levels.reduce<Level>((worst, l) => (RANK[l] > RANK[worst] ? l : worst), 'green');
}

/** Amber from `amber`, red from `red` (both inclusive); unknown when the value is. */
export function levelOf(value: number | null, thresholds: { readonly amber: number; readonly red: number }): Level {
  if (value === null) return 'unknown';
  if (value >= thresholds.red) return 'red';
  if (value >= thresholds.amber) return 'amber';
  return 'green';
}

export const LEVELS: readonly Level[] = ['red', 'amber', 'unknown', 'green'];
