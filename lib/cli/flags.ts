/**
 * Parsing of flag values, for every command: each parser turns the text of one flag into its value
 * or refuses it with a message that names the flag, what was received and what is expected. A
 * refusal is a usage mistake (exit 2).
 */
import { InvalidArgumentError } from 'commander';

/** A whole number from `min` to `max`, like `--concurrency 4`. */
export function wholeNumber(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}, received "${value}"`);
    }
    return n;
  };
}

/** A number above zero, like `--budget 900` or `--budget 12.5`. */
export function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!value.trim() || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive number, received "${value}"`);
    return n;
  };
}

/** A repeatable flag: every occurrence, in order. */
export function repeatable(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** A comma-separated list, blanks dropped: `a, b,,c` is [a, b, c]. */
export function commaList(value: string): string[] {
  return value.split(',').map(item => item.trim()).filter(item => item.length > 0);
}
