// Serving GET /metrics: on the main port (behind a bearer token) or on a
// listener of its own, meant for an internal address.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsConfig } from '../config';
import type { Logger } from '../logger';
import type { ServerMetrics } from './metrics';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
function authorized(request: IncomingMessage, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/** Answers a scrape; `token`, when set, is required. */
export function metricsHandler(metrics: ServerMetrics, token: string | undefined, logger: Logger) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (token !== undefined && !authorized(request, token)) {
      response.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => {
        response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be collected');
        response.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  };
}

/** A listener that serves only GET /metrics. */
export async function startMetricsListener(
  metrics: ServerMetrics,
  config: MetricsConfig & { listener: NonNullable<MetricsConfig['listener']> },
  logger: Logger,
): Promise<{ server: HttpServer; port: number }> {
  const handle = metricsHandler(metrics, config.token, logger);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (path === '/metrics' && (request.method === 'GET' || request.method === 'HEAD')) {
      handle(request, response);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listener.port, config.listener.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
