import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, sendJson } from './platform';

/**
 * The service's routes. This file belongs to the team: template upgrades never touch it.
 * The health check is answered before a request gets here (see src/platform/http-service.ts).
 */
export function app(logger: Logger) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/') {
      sendJson(response, 200, { message: 'Hello from Springboard' });
      return;
    }
    logger.debug('no route', { path: url.pathname });
    sendJson(response, 404, { error: 'not found' });
  };
}
