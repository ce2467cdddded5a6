/**
 * The reporting window [since, until): parsing of `--since 30d|ISO` and `--until ISO`.
 */
import { UsageError } from '../contract/command';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** CodePipeline keeps execution history for 12 months; older windows would silently come back empty. */
export const HISTORY_RETENTION_DAYS = 365;

export interface Window {
  /** Inclusive. */
  readonly since: Date;
  /** Exclusive. */
  readonly until: Date;
}

const RELATIVE = /^(\d+)([dh])$/;
// Date only, or date and time with seconds, optional fraction, and a zone (Z or ±hh:mm).
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Thrown for values a person typed wrongly; the message says what was received and what is expected. */
export class WindowError extends UsageError {}

/** An ISO 8601 date (`2026-03-01`, read as UTC midnight) or date-time with a zone. */
export function parseIsoInstant(value: string, flag: string): Date {
  const text = value.trim();
  if (!ISO.test(text)) {
    throw new WindowError(
      `${flag} must be an ISO 8601 date (2026-03-01) or date-time with a zone (2026-03-01T12:00:00Z), received "${value}"`,
    );
  }
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime()) || !sameCalendarDay(text, date)) {
    throw new WindowError(`${flag} is not a real calendar date, received "${value}"`);
  }
  return date;
}

// `2026-02-30` parses to 2 March; reject it instead of silently shifting the window.
function sameCalendarDay(text: string, date: Date): boolean {
  if (text.length !== 10 && !text.endsWith('Z')) return true;
  return date.toISOString().slice(0, 10) === text.slice(0, 10);
}

/** `30d`, `12h` (before `end`: the window's end, now by default) or an ISO instant. */
export function parseSince(value: string, end: Date): Date {
  const relative = RELATIVE.exec(value.trim());
  if (!relative) {
    if (/^\d+$/.test(value.trim())) {
      throw new WindowError(`--since needs a unit: did you mean "${value.trim()}d"? Expected 30d, 12h or an ISO date, received "${value}"`);
    }
    if (!/^\d{4}-/.test(value.trim())) {
      throw new WindowError(`--since must be a duration like 30d or 12h, or an ISO 8601 date, received "${value}"`);
    }
    return parseIsoInstant(value, '--since');
  }
  const amount = Number(relative[1]);
  if (amount <= 0) throw new WindowError(`--since must be a positive duration, received "${value}"`);
  return new Date(end.getTime() - amount * (relative[2] === 'd' ? DAY_MS : HOUR_MS));
}

export interface WindowOptions {
  readonly since?: string;
  readonly until?: string;
  readonly now: Date;
}

/** Resolves the window, 30 days up to now by default (a relative --since counts back from --until), and checks it makes sense. */
export function resolveWindow(options: WindowOptions): Window {
  const until = options.until === undefined ? options.now : parseIsoInstant(options.until, '--until');
  const since = options.since === undefined ? new Date(until.getTime() - 30 * DAY_MS) : parseSince(options.since, until);
  if (since.getTime() >= until.getTime()) {
    throw new WindowError(`--since must be before --until, received since ${since.toISOString()} and until ${until.toISOString()}`);
  }
  return { since, until };
}

/** Days in the window, fractional. */
export function windowDays(window: Window): number {
  return (window.until.getTime() - window.since.getTime()) / DAY_MS;
}

/** True when part of the window is older than CodePipeline's history retention. */
export function exceedsRetention(window: Window, now: Date): boolean {
  return now.getTime() - window.since.getTime() > HISTORY_RETENTION_DAYS * DAY_MS;
}

export function inWindow(time: Date, window: Window): boolean {
  const t = time.getTime();
  return t >= window.since.getTime() && t < window.until.getTime();
}
