import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header of a signed response: `sha256=<hex HMAC of the body>`. */
export const SIGNATURE_HEADER = 'x-signature';

/**
 * Signs a response body with the key the service shares with its partner, so the partner can check
 * that an answer came from this service and was not changed on the way.
 */
export function sign(body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/** True when `signature` is `body` signed with `key` (constant-time comparison). */
export function verify(body: string, signature: string, key: string): boolean {
  const expected = Buffer.from(sign(body, key));
  const received = Buffer.from(signature);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
