// HTTP side: health check and the built client. Everything else (signalling,
// media) goes over Socket.IO and WebRTC.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { createAccountsRouter, type LoginRateLimit } from './accountsRouter';
import { createClientFiles } from './clientFiles';
import type { AccountStore } from '../accounts/accountStore';
import { createConsultsRouter, type ConsultsRouterDependencies } from './consultsRouter';
import { createInviteRouter } from './inviteRouter';
import { createNetworkCheckRouter, type NetworkCheckDependencies } from './networkCheckRouter';
import { createDocumentsRouter, type DocumentsRouterDependencies } from './documentsRouter';
import { consultRequesterIdentifier } from './consultRequester';
import { createIntakeRouter } from './intakeRouter';
import type { IntakeStore } from '../review/intakeStore';
import type { OpinionStore } from '../review/opinionStore';
import type { PdfPool } from '../review/pdfPool';
import { createOpinionRouter } from './opinionRouter';
import type { Logger } from '../logger';
import { sendApiError } from './apiResponses';
import type { OriginPolicy } from './originPolicy';

export interface HealthSource {
  liveWorkerCount: number;
  expectedWorkerCount: number;
}

export interface HttpAppOptions {
  clientDir: string;
  health: () => HealthSource;
  accounts: AccountStore;
  consults: Omit<ConsultsRouterDependencies, 'accounts'>;
  documents: DocumentsRouterDependencies;
  /** The written side of a consult: the patient's case and the opinion. */
  review: { intakes: IntakeStore; opinions: OpinionStore; pdfs: PdfPool };
  networkCheck: Omit<NetworkCheckDependencies, 'accounts' | 'authorizer'>;
  loginRateLimit: LoginRateLimit;
  trustProxyHops: number;
  /** Which pages may send state-changing API requests. */
  origins: OriginPolicy;
  logger: Logger;
  /** Serves GET /metrics on this app; undefined when metrics are off or served elsewhere. */
  metrics?: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
}

export function createHttpApp({ clientDir, health, accounts, consults, documents, review, networkCheck, loginRateLimit, trustProxyHops, origins, logger, metrics }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS proxy: the client's address for rate limiting, https for Secure cookies.
  app.set('trust proxy', trustProxyHops);
  // upgrade-insecure-requests only where the page itself came over HTTPS (directly or through the
  // proxy): on a plain-HTTP LAN page it would send Socket.IO's WebSocket to wss://, which fails.
  const secureHeaders = securityHeaders(true);
  const plainHeaders = securityHeaders(false);
  app.use((request, response, next) => (request.secure ? secureHeaders : plainHeaders)(request, response, next));

  app.get('/healthz', (_request, response) => {
    const { liveWorkerCount, expectedWorkerCount } = health();
    const healthy = liveWorkerCount === expectedWorkerCount;
    response.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', workers: liveWorkerCount });
  });

  if (metrics) app.get('/metrics', (request, response) => metrics(request, response));

  app.use('/api', (request, response, next) => {
    // Reading is harmless (and same-origin pages send no Origin for it); changing anything must come from our own pages.
    if (request.method === 'GET' || request.method === 'HEAD' || origins.allows(request)) return next();
    logger.warn({ origin: request.headers.origin, method: request.method }, 'API request from a foreign origin refused');
    sendApiError(response, 'forbidden', 'requests from other sites are refused');
  });
  app.use('/api', express.json({ limit: '16kb' }), cookieParser());
  app.use('/api', createAccountsRouter(accounts, loginRateLimit, logger));
  // Before the doctor-only consults API: patients and interpreters use this one with their links.
  app.use('/api/invite', createInviteRouter(documents.authorizer, accounts));
  app.use('/api/network-check', createNetworkCheckRouter({ ...networkCheck, accounts, authorizer: documents.authorizer }));
  app.use('/api/consults/:consultId/documents', createDocumentsRouter(documents));
  const identify = consultRequesterIdentifier({ consults: documents.consults, accounts, authorizer: documents.authorizer, registry: documents.registry });
  app.use('/api/consults/:consultId/intake', createIntakeRouter({ identify, intakes: review.intakes, audit: documents.audit }));
  app.use(
    '/api/consults/:consultId/opinion',
    createOpinionRouter({
      identify,
      opinions: review.opinions,
      consults: documents.consults,
      documents: documents.library.store,
      audit: documents.audit,
      readingPeriodMs: consults.readingPeriodMs,
      pdfs: review.pdfs,
    }),
  );
  app.use('/api/consults', createConsultsRouter({ ...consults, accounts }));
  app.use('/api', (_request, response) => sendApiError(response, 'not-found', 'no such API endpoint'));
  app.use('/api', apiErrorHandler(logger));

  const indexHtml = join(clientDir, 'index.html');
  // Compressed, cached by whether a name changes with the content, and without source maps (clientFiles.ts).
  const clientFiles = createClientFiles(clientDir);
  app.use(clientFiles.files);
  // The client routes itself; unknown asset paths stay 404.
  app.get(['/', '/c/:consultId', '/join', '/j', '/setup', '/register', '/login', '/dashboard'], (request, response, next) => {
    if (!existsSync(indexHtml)) {
      response.status(503).type('text/plain').send('The client is not built. Run `npm run build` (or `npm start`, which builds it).\n');
      return;
    }
    clientFiles.sendPage(request, response, next);
  });
  return app;
}

/** Malformed or oversized JSON is the client's fault; anything else is ours, logged. */
function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendApiError(response, 'invalid-payload', 'the request body is not valid JSON or is too large');
    }
    logger.error({ err: error }, 'API request failed');
    sendApiError(response, 'internal-error', 'the server could not handle this request');
  };
}

function securityHeaders(secure: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        // No third-party origin anywhere: scripts, styles, media and sockets are ours.
        defaultSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'"],
        // pdf.js (JPEG 2000 and JBIG2 in PDFs) and the DICOM viewer's JPEG-LS and JPEG 2000 codecs are
        // WebAssembly; no JavaScript eval is allowed.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    // Only where the page came over HTTPS: on plain HTTP it would lock the host out of HTTP for a year.
    strictTransportSecurity: secure ? { maxAge: 31_536_000 } : false,
    // Links to a consult must not leak through the Referer header.
    referrerPolicy: { policy: 'no-referrer' },
  });
}
