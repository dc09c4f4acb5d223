// How the HTTP API validates bodies and reports refusals: always JSON
// `{ error: { code, message } }` with a code from shared/refusals.ts, and the
// HTTP status that code maps to.
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { ApiErrorResponse } from '../../shared/api';
import type { RefusalCode } from '../../shared/refusals';

const statusByCode: Record<RefusalCode, number> = {
  'invalid-payload': 400,
  'rate-limited': 429,
  unauthenticated: 401,
  'invalid-credentials': 401,
  'invitation-invalid': 403,
  'email-taken': 409,
  forbidden: 403,
  'link-invalid': 401,
  'link-expired': 401,
  'link-revoked': 401,
  'link-in-use': 409,
  'consult-ended': 409,
  'consult-closed': 409,
  'consult-full': 409,
  'waiting-room-full': 409,
  'not-admitted': 403,
  'not-joined': 409,
  'already-joined': 409,
  'not-found': 404,
  'already-exists': 409,
  'not-ready': 409,
  'cannot-consume': 422,
  'edit-conflict': 409,
  locked: 409,
  'media-error': 500,
  'file-too-large': 413,
  'storage-full': 413,
  'unsupported-type': 415,
  'file-too-complex': 422,
  'archive-unsafe': 422,
  'server-busy': 503,
  'internal-error': 500,
};

export function sendApiError(response: Response, code: RefusalCode, message: string): void {
  const body: ApiErrorResponse = { error: { code, message } };
  response.status(statusByCode[code]).json(body);
}

/** The parsed body, or undefined after answering 400 with what is wrong. */
export function parseBody<S extends z.ZodType>(schema: S, request: Request, response: Response): z.infer<S> | undefined {
  const parsed = schema.safeParse(request.body);
  if (parsed.success) return parsed.data;
  sendApiError(response, 'invalid-payload', z.prettifyError(parsed.error));
  return undefined;
}

/** At most `perMinute` requests a minute from one address; past that, `rate-limited` with `message`. */
export function perMinuteLimit(perMinute: number, message: string): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_request, response) => sendApiError(response, 'rate-limited', message),
  });
}
