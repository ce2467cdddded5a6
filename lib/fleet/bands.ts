/**
 * Performance bands from the 2024 Accelerate State of DevOps report (DORA, Google Cloud), table
 * "Software delivery performance levels". The report describes four clusters; a single figure is
 * placed in the best band whose threshold it meets, and in `low` otherwise. Where the report's
 * medium cluster is no worse than high (change fail rate 10% against 20%; recovery "less than one
 * day" for both), any figure that meets medium also meets high, so medium is never given there.
 */

export const BAND_SOURCE = '2024 Accelerate State of DevOps report (DORA)';

export type Band = 'elite' | 'high' | 'medium' | 'low';
export const BANDS: readonly Band[] = ['elite', 'high', 'medium', 'low'];

const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

/** One metric's thresholds, best band first; `meets` is the report's wording turned into a test. */
export interface BandRule {
  readonly band: Exclude<Band, 'low'>;
  readonly report: string;
  readonly meets: (value: number) => boolean;
}

export const DEPLOYMENT_FREQUENCY_RULES: readonly BandRule[] = [
  { band: 'elite', report: 'on demand (multiple deploys per day)', meets: (perDay) => perDay > 1 },
  { band: 'high', report: 'between once per day and once per week', meets: (perDay) => perDay >= 1 / 7 },
  { band: 'medium', report: 'between once per week and once per month', meets: (perDay) => perDay >= 1 / 30 },
];
export const DEPLOYMENT_FREQUENCY_LOW = 'between once per month and once every six months';

export const LEAD_TIME_RULES: readonly BandRule[] = [
  { band: 'elite', report: 'less than one day', meets: (s) => s < DAY },
  { band: 'high', report: 'between one day and one week', meets: (s) => s < WEEK },
  { band: 'medium', report: 'between one week and one month', meets: (s) => s < MONTH },
];
export const LEAD_TIME_LOW = 'between one month and six months';

export const CHANGE_FAILURE_RATE_RULES: readonly BandRule[] = [
  { band: 'elite', report: '5%', meets: (rate) => rate <= 0.05 },
  { band: 'high', report: '20%', meets: (rate) => rate <= 0.2 },
  { band: 'medium', report: '10%', meets: (rate) => rate <= 0.1 },
];
export const CHANGE_FAILURE_RATE_LOW = '40%';

export const RECOVERY_TIME_RULES: readonly BandRule[] = [
  { band: 'elite', report: 'less than one hour', meets: (s) => s < HOUR },
  { band: 'high', report: 'less than one day', meets: (s) => s < DAY },
  { band: 'medium', report: 'less than one day', meets: (s) => s < DAY },
];
export const RECOVERY_TIME_LOW = 'between one week and one month';

function bandBy(rules: readonly BandRule[], value: number | null): Band | null {
  if (value === null) return null;
  return rules.find((rule) => rule.meets(value))?.band ?? 'low';
}

export interface Bands {
  readonly deploymentFrequency: Band | null;
  readonly leadTime: Band | null;
  readonly changeFailureRate: Band | null;
  readonly timeToRestore: Band | null;
}

export interface BandInputs {
  readonly deploymentFrequencyPerDay: number | null;
  readonly leadTimeSecondsMedian: number | null;
  readonly changeFailureRate: number | null;
  readonly timeToRestoreSecondsMedian: number | null;
}

/** The band of each figure, or null when the figure is null. */
export function bandsOf(figures: BandInputs): Bands {
  return {
    deploymentFrequency: bandBy(DEPLOYMENT_FREQUENCY_RULES, figures.deploymentFrequencyPerDay),
    leadTime: bandBy(LEAD_TIME_RULES, figures.leadTimeSecondsMedian),
    changeFailureRate: bandBy(CHANGE_FAILURE_RATE_RULES, figures.changeFailureRate),
    timeToRestore: bandBy(RECOVERY_TIME_RULES, figures.timeToRestoreSecondsMedian),
  };
}

/** The thresholds as printed under tables and in the HTML report. */
export interface ThresholdRow {
  readonly metric: string;
  readonly elite: string;
  readonly high: string;
  readonly medium: string;
  readonly low: string;
}

export const THRESHOLD_TABLE: readonly ThresholdRow[] = [
  row('deployment frequency', DEPLOYMENT_FREQUENCY_RULES, DEPLOYMENT_FREQUENCY_LOW),
  row('change lead time', LEAD_TIME_RULES, LEAD_TIME_LOW),
  row('change fail rate', CHANGE_FAILURE_RATE_RULES, CHANGE_FAILURE_RATE_LOW),
  row('failed deployment recovery time', RECOVERY_TIME_RULES, RECOVERY_TIME_LOW),
];

function row(metric: string, rules: readonly BandRule[], low: string): ThresholdRow {
  const text = (band: Band): string => rules.find((r) => r.band === band)?.report ?? low;
  return { metric, elite: text('elite'), high: text('high'), medium: text('medium'), low };
}
