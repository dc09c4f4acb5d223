// The built client over HTTP, made for a patient's phone on mobile data: each
// file as the brotli or gzip twin the build wrote beside it (vite.config.ts)
// when the browser takes that encoding, so nothing is compressed per request;
// files named after their content cached for a year; the page itself checked
// again on every visit; source maps never (the build keeps them outside).
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export const cacheControl = {
  /** Vite names everything under /assets/ after its content: a new build makes new names, so a copy never goes stale. */
  hashed: 'public, max-age=31536000, immutable',
  /** index.html names the current build's assets: always asked again (a 304 when unchanged), never used stale. */
  page: 'no-cache',
  /**
   * The rest (pdf.js's fonts, character maps and decoders under /pdfjs/) keeps its name across
   * builds: cached for an hour, as long as a consult, so an update reaches everyone soon after.
   */
  unhashed: 'public, max-age=3600',
} as const;

/** name-<8 character hash>.ext, as Vite (Rolldown) writes them. */
const hashedAsset = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$/;

/** The server's preference, best first: brotli is 10-20 % smaller than gzip on our scripts. */
const twins = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

export interface ClientFiles {
  /** GET and HEAD of a file of the built client; anything else goes on to the next handler (and so to a 404). */
  files: RequestHandler;
  /** Answers with index.html, for the addresses the client routes itself. */
  sendPage: (request: Request, response: Response, next: NextFunction) => void;
}

export function createClientFiles(clientDir: string): ClientFiles {
  return {
    files: (request, response, next) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return next();
      const path = publicPath(request.path);
      if (!path) return next();
      const policy = path === '/index.html' ? cacheControl.page : hashedAsset.test(path) ? cacheControl.hashed : cacheControl.unhashed;
      sendFile(request, response, next, join(clientDir, path), policy);
    },
    sendPage: (request, response, next) => sendFile(request, response, next, join(clientDir, 'index.html'), cacheControl.page),
  };
}

/**
 * The decoded URL path when it may name a published file: no hidden or parent
 * folders (so it stays inside the client folder), no source map and no
 * compressed twin asked for by name (their types would be wrong; the
 * original's address gets them).
 */
function publicPath(urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.endsWith('/') || /\.(map|br|gz)$/i.test(path)) return undefined;
  if (path.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  return path;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

function sendFile(request: Request, response: Response, next: NextFunction, file: string, policy: string): void {
  void chooseVariant(request, file).then(
    (variant) => {
      if (!variant) return next();
      // Caches must keep one copy per encoding, including the plain one for clients that take none.
      if (variant.hasTwins) response.vary('Accept-Encoding');
      // The original's type (a brotli twin of a script is a script), set before Express would guess one from .br.
      response.type(extname(file));
      response.setHeader('Cache-Control', policy);
      if (variant.encoding) response.setHeader('Content-Encoding', variant.encoding);
      // ETag and Last-Modified come from the file sent, so each encoding has its own and a 304 is exact.
      response.sendFile(variant.path, { cacheControl: false, dotfiles: 'allow' }, (error?: Error & { status?: number }) => {
        if (!error || response.headersSent) return;
        // The file went between the look and the send (a rebuild): none of its headers may stick to the answer that follows.
        for (const header of ['Content-Type', 'Content-Encoding', 'Cache-Control']) response.removeHeader(header);
        next(error.status === 404 ? undefined : error);
      });
    },
    (error: unknown) => next(error),
  );
}

/** The file to send for this request: the best twin the browser accepts, else the original; undefined when there is no such file. */
async function chooseVariant(request: Request, file: string): Promise<{ path: string; encoding?: string; hasTwins: boolean } | undefined> {
  const [original, ...present] = await Promise.all([isFile(file), ...twins.map(({ suffix }) => isFile(file + suffix))]);
  if (!original) return undefined;
  const hasTwins = present.some(Boolean);
  // Asked one by one: given both, Express would pick whichever the browser lists first (Chromium lists gzip first).
  const twin = twins.find(({ encoding }, index) => present[index] && request.acceptsEncodings(encoding) === encoding);
  return twin ? { path: file + twin.suffix, encoding: twin.encoding, hasTwins } : { path: file, hasTwins };
}
