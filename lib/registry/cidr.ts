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

/** Dotted-quad text of an address held as a number. */
export function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * What is wrong with a range allowed to reach a load balancer, as the "expected …" part of a
 * diagnostic; undefined when it is an IPv4 range on its boundary and narrower than the internet.
 */
export function ingressCidrProblem(value: string): string | undefined {
  const match = IPV4_CIDR.exec(value);
  if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255) || Number(match[5]) > 32) {
    return 'an IPv4 range in CIDR notation, like 203.0.113.0/24 (the load balancers accept IPv4 only)';
  }
  if (Number(match[5]) === 0) {
    return 'a range narrower than 0.0.0.0/0 (without allowedCidrs the load balancer is open to everyone already), like 203.0.113.0/24';
  }
  const address = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const { start } = parseCidr(value);
  if (address !== start) return `a range that starts on its boundary, like ${formatAddress(start)}/${match[5]}`;
  return undefined;
}
