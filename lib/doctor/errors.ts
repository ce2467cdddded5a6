/**
 * A failed read becomes a row with what went wrong and what to do, never a stack trace: no
 * credentials, access denied, throttling that outlasted the retries, a role that cannot be
 * assumed, a region that cannot be reached. The text carries no secret (the fleet's redactor).
 */
import { READER_ROLE_NAME } from '../contract';
import { type CheckGroup, fail, type Finding, warn } from './types';
import { describeError, type Redactor } from '../fleet/errors';

interface ErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export type FailureKind = 'no-credentials' | 'denied' | 'throttled' | 'unreachable' | 'not-found' | 'other';

const DENIED = /AccessDenied|UnauthorizedOperation|UnrecognizedClient|InvalidClientTokenId|AuthorizationError|NotAuthorized|Forbidden|ExpiredToken|InvalidAccessException/i;
const THROTTLED = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|Rate exceeded/i;
// Node's network error codes are upper case; matched case-sensitively so ResourceNotFoundException is not ENOTFOUND.
const UNREACHABLE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)\b|TimeoutError|socket hang up|getaddrinfo/;

/** What kind of failure an SDK error is. */
export function failureKind(error: unknown): FailureKind {
  const e = (error ?? {}) as ErrorShape;
  const text = `${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`;
  if (e.name === 'CredentialsProviderError' || /Could not load credentials|no credentials/i.test(text)) return 'no-credentials';
  if (THROTTLED.test(text) || e.$metadata?.httpStatusCode === 429) return 'throttled';
  if (DENIED.test(text) || e.$metadata?.httpStatusCode === 403) return 'denied';
  if (UNREACHABLE.test(text)) return 'unreachable';
  if (/NotFound|NoSuch|does not exist/i.test(text)) return 'not-found';
  return 'other';
}

/** The row for a check whose read failed. */
export function failureRow(group: CheckGroup, check: string, error: unknown, redactor: Redactor, action: string): Finding {
  // describeError already says "access denied:"; the row says it once.
  const reason = describeError(error, redactor).replace(/^access denied: /, '');
  switch (failureKind(error)) {
    case 'no-credentials':
      return fail(group, check, `no AWS credentials: ${reason}`, 'sign in to the tooling account (aws sso login --profile <profile>, or export AWS_PROFILE) and run doctor again');
    case 'denied':
      return fail(group, check, `access denied on ${action}: ${reason}`,
        `deploy this account's baseline, which creates ${READER_ROLE_NAME} allowed ${action} (lib/contract/reader-actions.ts); a service control policy may also deny it`);
    case 'throttled':
      return warn(group, check, `throttled on ${action} after the SDK's retries: ${reason}`, 'run doctor again later, or with --concurrency 1');
    case 'unreachable':
      return fail(group, check, `cannot reach the ${action.split(':')[0]} endpoint: ${reason}`, 'check the region is enabled for the account (aws account list-regions) and the network or proxy reaches AWS');
    default:
      return fail(group, check, `${action} failed: ${reason}`, 'read the message above; run doctor again with the same credentials to confirm');
  }
}

/** Runs the reads of one check; whatever fails becomes that check's row, and the other checks still run. */
export async function guarded(
  group: CheckGroup, check: string, action: string, redactor: Redactor, read: () => Promise<Finding[]>,
): Promise<Finding[]> {
  try {
    return await read();
  } catch (error) {
    return [failureRow(group, check, error, redactor, action)];
  }
}
