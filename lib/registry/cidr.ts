/** IPv4 range arithmetic for the registry's network ranges, and the /20 layout of derived ranges. */

export interface Range {
  readonly start: number;
  readonly end: number;
}

export function parseCidr(cidr: string): Range {
  const [address, prefix] = cidr.split('/');
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(prefix));
  const start = value - (value % size);
  return { start, end: start + size - 1 };
}

export const overlaps = (a: Range, b: Range): boolean => a.start <= b.end && b.start <= a.end;

/** Derived ranges are the 4,096 /20 blocks of 10.0.0.0/8. */
export const DERIVED_BLOCKS = 4096;

/** The /20 with the given index inside 10.0.0.0/8. */
export function blockCidr(index: number): string {
  return `10.${Math.floor(index / 16)}.${(index % 16) * 16}.0/20`;
}

/** Index of the /20 block a range starts in. */
export function blockIndex(cidr: string): number {
  return (parseCidr(cidr).start - parseCidr('10.0.0.0/8').start) / 4096;
}
