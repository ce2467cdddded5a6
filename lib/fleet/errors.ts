/**
 * Turning a failed read into the short text shown on a team's row, with no secret in it.
 */
import { RetriesExhaustedError, unwrapSdkError } from './pacing';

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const ACCESS_KEY_ID = /\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g;
// Pieces of a SigV4 request that may surface in an error message from a proxy or a misbehaving endpoint.
const SIGNED_PARTS = /(Credential|Signature|X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature)=[^\s,&"']+/gi;
const BEARER = /(Authorization:?\s*)[^\n]+/gi;

/** Removes credentials from text: every secret the SDK was given, and anything shaped like one. */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor() {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      this.add(process.env[name]);
    }
  }

  remember<T extends Credentials>(credentials: T): T {
    this.add(credentials.accessKeyId);
    this.add(credentials.secretAccessKey);
    this.add(credentials.sessionToken);
    return credentials;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out.replace(SIGNED_PARTS, '$1=[redacted]').replace(BEARER, '$1[redacted]').replace(ACCESS_KEY_ID, '[redacted]');
  }

  private add(value: string | undefined): void {
    // Short values would redact ordinary words; real keys are 16 characters or more.
    if (value && value.length >= 8) this.secrets.add(value);
  }
}

interface ErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
}

const MAX_MESSAGE = 300;

/** A one-line description of why a pipeline could not be read. */
export function describeError(error: unknown, redactor: Redactor): string {
  const text = redactor.redact(rawDescription(error)).replace(/\s+/g, ' ').trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

function rawDescription(error: unknown): string {
  if (error instanceof RetriesExhaustedError) {
    return `${rawDescription(error.lastError)} (${error.message})`;
  }
  const e = unwrapSdkError(error) as ErrorShape;
  const name = e.name ?? 'Error';
  const message = e.message ?? String(error);
  switch (name) {
    case 'AccessDeniedException':
      return `access denied: ${message}`;
    case 'PipelineNotFoundException':
      return `pipeline not found: ${message}`;
    case 'TimeoutError':
      return `timed out: ${message.replace('@smithy/node-http-handler - [ERROR] ', '')}`;
    default:
      return message && message !== 'UnknownError' ? `${name}: ${message}` : name;
  }
}
