/**
 * The scorecard's criteria: each one a pure function from a measured value and the thresholds of
 * `_platform.yaml` (`portfolio:`) to a level, with the reason the criterion is on the scorecard.
 * A value that could not be read is `unknown`, never green.
 */
import type { PortfolioThresholds } from '../../registry/schema';
import { type Band, BANDS, type Bands } from '../bands';
import { type Level, levelOf } from '../portfolio/levels';

export const CRITERIA = [
  'dora', 'templateCurrency', 'prodReleaseAge', 'acknowledgedFindings', 'alarmsInAlarm', 'budgetUse', 'criticalVulnerabilities',
] as const;
export type Criterion = (typeof CRITERIA)[number];

/** Heading and reason of each criterion, shown in the table's notes, the HTML and docs/portfolio.md. */
export const CRITERION_INFO: Readonly<Record<Criterion, { readonly title: string; readonly why: string }>> = {
  dora: { title: 'DORA', why: 'the worst of the four DORA bands over the last 30 days: how fast and how safely the team delivers' },
  templateCurrency: { title: 'template', why: 'the springboard-service version the last prod release was built with against this checkout\'s: old templates miss platform fixes' },
  prodReleaseAge: { title: 'last prod release', why: 'days since the last prod release: a service not released for long carries unpatched dependencies' },
  acknowledgedFindings: { title: 'accepted findings', why: 'compliance findings acknowledged on, or disabled platform-wide for, the team\'s stacks: accepted risk to review' },
  alarmsInAlarm: { title: 'alarms', why: 'the team\'s alarms in ALARM now, in every environment and its delivery' },
  budgetUse: { title: 'budget', why: 'percent of the monthly budget spent this month (AWS Budgets\' actual spend)' },
  criticalVulnerabilities: { title: 'critical vulns', why: 'critical findings of the image running in prod; red once one is older than the policy\'s days' },
};

/** The worst band among a team's four DORA figures; null when none has data. */
export function worstBand(bands: Bands): Band | null {
  const present = Object.values(bands).filter((b): b is Band => b !== null);
  return present.length === 0 ? null : present.reduce((worst, b) => (BANDS.indexOf(b) > BANDS.indexOf(worst) ? b : worst));
}

export function doraLevel(band: Band | null, t: PortfolioThresholds['doraBand']): Level {
  if (band === null) return 'unknown';
  const rank = BANDS.indexOf(band);
  if (rank >= BANDS.indexOf(t.red)) return 'red';
  if (rank >= BANDS.indexOf(t.amber)) return 'amber';
  return 'green';
}

export interface VersionGap {
  readonly majors: number;
  readonly minors: number;
}

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** How far `released` is behind `current`: majors, then minors within the same major; zero when not behind. */
export function versionGap(released: string, current: string): VersionGap | undefined {
  const r = parseVersion(released);
  const c = parseVersion(current);
  if (!r || !c) return undefined;
  if (r[0] < c[0]) return { majors: c[0] - r[0], minors: 0 };
  if (r[0] > c[0]) return { majors: 0, minors: 0 };
  return { majors: 0, minors: Math.max(0, c[1] - r[1]) };
}

/** A major version behind is red; otherwise the minors behind against the thresholds. */
export function templateLevel(gap: VersionGap | undefined | null, t: PortfolioThresholds['templateMinorVersionsBehind']): Level {
  if (!gap) return 'unknown';
  if (gap.majors > 0) return 'red';
  return levelOf(gap.minors, t);
}

/** Red when a critical is older than the policy's days, amber for any other critical. */
export function vulnerabilityLevel(criticalAgesDays: readonly number[] | null, maxAgeDays: number): Level {
  if (criticalAgesDays === null) return 'unknown';
  if (criticalAgesDays.some((a) => a > maxAgeDays)) return 'red';
  return criticalAgesDays.length > 0 ? 'amber' : 'green';
}

export { levelOf };
