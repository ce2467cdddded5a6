/**
 * One bar for every written justification (platform-wide disabled rules and per-construct
 * acknowledgments): an auditor must be able to read why, not a placeholder.
 */

/** Shortest reason accepted. A real reason names the resource's situation and the compensating control. */
export const MIN_REASON_LENGTH = 20;

/** Placeholders people type to get past a prompt. Compared after trimming, lower-cased, without punctuation. */
const GENERIC_REASONS = new Set([
  'n/a', 'na', 'none', 'todo', 'tbd', 'fixme', 'ok', 'okay', 'ignore', 'ignored', 'suppress', 'suppressed',
  'not applicable', 'not needed', 'false positive', 'by design', 'accepted', 'acknowledged', 'approved',
  'will fix later', 'fix later', 'temporary', 'test', 'testing', 'wip',
]);

/** The problem with a reason, or undefined when it is acceptable. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return `expected a reason as text, received ${reason === undefined ? 'nothing' : typeof reason}`;
  const trimmed = reason.trim();
  const normalized = trimmed.toLowerCase().replace(/[^a-z/ ]/g, '').replace(/\s+/g, ' ').trim();
  if (GENERIC_REASONS.has(normalized) || GENERIC_REASONS.has(trimmed.toLowerCase())) {
    return `received the placeholder "${trimmed}"; expected why the rule does not apply here and what compensates`;
  }
  if (trimmed.length < MIN_REASON_LENGTH) {
    return `received "${trimmed}" (${trimmed.length} characters); expected a specific reason of at least ${MIN_REASON_LENGTH} characters`;
  }
  return undefined;
}
