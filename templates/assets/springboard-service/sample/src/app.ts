import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, sendJson } from './platform';
import { sign, SIGNATURE_HEADER } from './signing';

export interface AppOptions {
  /** The key responses are signed with (a secret: see src/main.ts). */
  readonly signingKey: string;
}

/**
 * The service's routes. This file belongs to the team: template upgrades never touch it.
 * The health check is answered before a request gets here (see src/platform/http-service.ts).
 */
export function app(logger: Logger, options: AppOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/') {
      const body = { message: 'Hello from Springboard' };
      response.setHeader(SIGNATURE_HEADER, sign(JSON.stringify(body), options.signingKey));
      sendJson(response, 200, body);
      return;
    }
    logger.debug('no route', { path: url.pathname });
    sendJson(response, 404, { error: 'not found' });
  };
}
