// Which web pages may talk to this server from a browser: its own. A browser
// sends `Origin` with every WebSocket handshake and every cross-site request;
// a page on another site must not open a consult's signalling or call the
// API with the doctor's cookie (SameSite=Strict already keeps that cookie
// from cross-site requests; this is the second lock).
//
// Allowed: no Origin at all (not a browser: curl, the tests, the bench
// bots); the origin of PUBLIC_URL and of ALLOWED_ORIGINS; and the origin the
// request was addressed to (its Host, or X-Forwarded-Host behind a trusted
// proxy), so the server works under whatever name it is reached by.
import type { IncomingMessage } from 'node:http';

export interface OriginPolicyOptions {
  publicUrl: string | undefined;
  allowedOrigins: string[];
  trustProxyHops: number;
}

export class OriginPolicy {
  readonly #allowed: Set<string>;
  readonly #trustProxy: boolean;

  constructor(options: OriginPolicyOptions) {
    this.#allowed = new Set([options.publicUrl, ...options.allowedOrigins].flatMap((url) => (url ? [originOf(url)] : [])).filter(isDefined));
    this.#trustProxy = options.trustProxyHops > 0;
  }

  allows(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    const normalized = originOf(origin);
    if (normalized === undefined) return false;
    if (this.#allowed.has(normalized)) return true;
    const host = this.#addressedHost(request);
    return host !== undefined && new URL(normalized).host === host.toLowerCase();
  }

  #addressedHost(request: IncomingMessage): string | undefined {
    const forwarded = request.headers['x-forwarded-host'];
    if (this.#trustProxy && typeof forwarded === 'string' && forwarded.length > 0) return forwarded.split(',')[0]?.trim();
    return request.headers.host;
  }
}

/** scheme://host[:port], lower-cased, default ports dropped; undefined for anything that is not an http(s) origin. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
