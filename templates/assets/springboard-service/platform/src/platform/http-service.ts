import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceConfig } from './config';
import type { Logger } from './logger';

/** The team's request handler: everything except the health check. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface ServiceOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /**
   * How long in-flight requests may run after shutdown starts. ECS sends SIGKILL 30 seconds after
   * SIGTERM by default, so this stays below that.
   */
  readonly shutdownTimeoutMs?: number;
}

export interface RunningService {
  readonly server: Server;
  /** The port listened on: the configured one, or the one the system picked when it is 0. */
  readonly port: number;
  /** True once shutdown has started: the health check answers 503 from then on. */
  readonly draining: boolean;
  /** Stops accepting connections and resolves when in-flight requests are done (or the timeout passed). */
  close(): Promise<void>;
}

/** Writes a JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

/**
 * Starts the HTTP server: answers the health check itself, logs every request as one JSON line,
 * turns a handler's failure into a 500 (logged at level error), and shuts down gracefully.
 */
export async function startService(handler: RequestHandler, options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 25_000;
  let draining = false;
  let closing: Promise<void> | undefined;

  const server = createServer((request, response) => {
    const started = process.hrtime.bigint();
    const path = (request.url ?? '/').split('?')[0];
    const isHealthCheck = path === config.healthCheckPath;
    response.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = { method: request.method, path, status: response.statusCode, durationMs: Math.round(durationMs * 10) / 10 };
      // Health checks arrive every few seconds from the load balancer: keep them out of the default level.
      if (isHealthCheck) logger.debug('request', fields);
      else logger.info('request', fields);
    });
    if (isHealthCheck && (request.method === 'GET' || request.method === 'HEAD')) {
      sendJson(response, draining ? 503 : 200, { status: draining ? 'draining' : 'ok' });
      return;
    }
    Promise.resolve()
      .then(() => handler(request, response))
      .catch((error: unknown) => {
        logger.error('request failed', { method: request.method, path, error });
        if (!response.headersSent) sendJson(response, 500, { error: 'internal server error' });
        else response.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('service started', { port, healthCheckPath: config.healthCheckPath });

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      draining = true;
      logger.info('shutting down', { timeoutMs: shutdownTimeoutMs });
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout: closing remaining connections');
        server.closeAllConnections();
      }, shutdownTimeoutMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        logger.info('service stopped');
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return {
    server,
    port,
    get draining() {
      return draining;
    },
    close,
  };
}

/** On SIGTERM (ECS stopping a task) or SIGINT (Ctrl-C), finish in-flight requests, then exit. */
export function handleShutdownSignals(service: RunningService, logger: Logger): void {
  const stop = (signal: NodeJS.Signals): void => {
    logger.info('signal received', { signal });
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
