// HTTP side: health check and the built client. Everything else (signalling,
// media) goes over Socket.IO and WebRTC.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';

export interface HealthSource {
  liveWorkerCount: number;
  expectedWorkerCount: number;
}

export function createHttpApp(clientDir: string, health: () => HealthSource): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // No third-party origin anywhere: scripts, styles, media and sockets are ours.
          defaultSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      // Links to a consult must not leak through the Referer header.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  app.get('/healthz', (_request, response) => {
    const { liveWorkerCount, expectedWorkerCount } = health();
    const healthy = liveWorkerCount === expectedWorkerCount;
    response.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', workers: liveWorkerCount });
  });

  const indexHtml = join(clientDir, 'index.html');
  app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  // The client routes itself (/, /c/<consultId>); unknown asset paths stay 404.
  app.get(['/', '/c/:consultId'], (_request, response) => {
    if (!existsSync(indexHtml)) {
      response.status(503).type('text/plain').send('The client is not built. Run `npm run build` (or `npm start`, which builds it).\n');
      return;
    }
    response.setHeader('Cache-Control', 'no-store');
    response.sendFile(indexHtml);
  });
  return app;
}
