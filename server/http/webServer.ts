// The HTTP(S) server the app and Socket.IO run on. Given a certificate and
// key it serves HTTPS itself, and picks up a renewed certificate without a
// restart: certbot and similar tools replace the files in place, so the files
// are checked every `reloadMs` and, when they changed and still make a valid
// pair, the server's secure context is swapped (open connections keep theirs).
// An optional plain-HTTP listener sends everyone to the HTTPS address.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TlsConfig } from '../config';
import type { Logger } from '../logger';

export interface WebServer {
  server: HttpServer | HttpsServer;
  secure: boolean;
  /** The certificate served now, when serving HTTPS. */
  certificate(): X509Certificate | undefined;
  /** Stops checking the certificate files. */
  stopWatching(): void;
}

interface KeyPair {
  cert: Buffer;
  key: Buffer;
  certificate: X509Certificate;
  /** The files' modification times, to notice a renewal. */
  stamp: string;
}

/**
 * Lets a closing server end every connection still open. Closing waits for requests in
 * progress, and a connection whose other end vanished mid-request (a phone that lost its
 * network) never ends by itself: without this, a shutdown would wait for it for ever.
 * Upgraded connections (WebSockets) are counted too.
 */
export function trackConnections(server: HttpServer | HttpsServer): { destroyAll(): void } {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    destroyAll: () => {
      for (const socket of open) socket.destroy();
    },
  };
}

/** Reads and checks a certificate and its key; throws with a plain message when they are unusable. */
export function readKeyPair(tls: Pick<TlsConfig, 'certFile' | 'keyFile'>): KeyPair {
  const stamp = [tls.certFile, tls.keyFile].map((file) => statSync(file).mtimeMs).join('/');
  const cert = readFileSync(tls.certFile);
  const key = readFileSync(tls.keyFile);
  const certificate = new X509Certificate(cert);
  if (!certificate.checkPrivateKey(createPrivateKey(key))) throw new Error(`the key in ${tls.keyFile} does not belong to the certificate in ${tls.certFile}`);
  return { cert, key, certificate, stamp };
}

export function createWebServer(app: RequestListener, tls: TlsConfig | undefined, logger: Logger): WebServer {
  if (!tls) return { server: createHttpServer(app), secure: false, certificate: () => undefined, stopWatching: () => undefined };
  let current = readKeyPair(tls);
  const server = createHttpsServer({ cert: current.cert, key: current.key }, app);
  const timer = setInterval(() => {
    let stamp: string;
    try {
      stamp = [tls.certFile, tls.keyFile].map((file) => statSync(file).mtimeMs).join('/');
    } catch {
      return; // between a renewal's two renames: look again next time
    }
    if (stamp === current.stamp) return;
    try {
      const renewed = readKeyPair(tls);
      server.setSecureContext({ cert: renewed.cert, key: renewed.key });
      current = renewed;
      logger.info({ subject: renewed.certificate.subject, validTo: renewed.certificate.validTo }, 'TLS certificate reloaded');
    } catch (error) {
      // A half-written renewal: keep serving the old certificate and try again.
      logger.warn({ err: error }, 'TLS certificate files changed but cannot be used yet; keeping the current certificate');
    }
  }, tls.reloadMs);
  timer.unref();
  return { server, secure: true, certificate: () => current.certificate, stopWatching: () => clearInterval(timer) };
}

/**
 * Plain HTTP that sends every request to the same path on the HTTPS origin:
 * `publicUrl` when configured, else the host the request asked for on `httpsPort`.
 */
export function createRedirectServer(publicUrl: string | undefined, httpsPort: number): HttpServer {
  return createHttpServer((request, response) => {
    const path = request.url?.startsWith('/') ? request.url : '/';
    let origin: string;
    if (publicUrl?.startsWith('https://')) {
      origin = publicUrl;
    } else {
      const host = (request.headers.host ?? 'localhost').replace(/:\d+$/, '').replace(/[^A-Za-z0-9.\-[\]:]/g, '');
      origin = `https://${host}${httpsPort === 443 ? '' : `:${httpsPort}`}`;
    }
    response.writeHead(301, { location: `${origin}${path}`, 'cache-control': 'no-store' });
    response.end();
  });
}

/** Listens on `port` (0: any free one) and resolves with the port bound. */
export function listen(server: HttpServer | HttpsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
