// JSON requests to our own HTTP API. Errors arrive as { error: { code } } and
// are thrown as ApiRequestError so screens can show a translated message.
import type { ApiErrorCode, ApiErrorResponse } from '../../shared/api';

export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  readonly code: ApiErrorCode | 'network';

  constructor(code: ApiErrorCode | 'network', message: string) {
    super(message);
    this.code = code;
  }
}

export async function apiRequest<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiRequestError('network', String(error));
  }
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) {
    const error = (payload as ApiErrorResponse | undefined)?.error;
    throw new ApiRequestError(error?.code ?? 'internal-error', error?.message ?? `HTTP ${response.status}`);
  }
  return payload as T;
}

export function apiErrorCode(error: unknown): string {
  return error instanceof ApiRequestError ? error.code : 'internal-error';
}
