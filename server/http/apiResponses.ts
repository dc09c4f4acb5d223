// How the HTTP API validates bodies and reports errors: always JSON
// `{ error: { code, message } }` with a code from shared/api.ts.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ApiErrorCode, ApiErrorResponse } from '../../shared/api';

const statusByCode: Record<ApiErrorCode, number> = {
  'invalid-payload': 400,
  'invalid-credentials': 401,
  unauthenticated: 401,
  'invitation-invalid': 403,
  forbidden: 403,
  'not-admitted': 403,
  'not-found': 404,
  'email-taken': 409,
  'consult-ended': 409,
  'file-too-large': 413,
  'storage-full': 413,
  'unsupported-type': 415,
  'file-too-complex': 422,
  'archive-unsafe': 422,
  'server-busy': 503,
  'rate-limited': 429,
  'internal-error': 500,
};

export function sendApiError(response: Response, code: ApiErrorCode, message: string): void {
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
