// Why a request to our server did not succeed, over HTTP or Socket.IO alike:
// the server's refusal code (shared/refusals.ts), or what went wrong on the
// way there. Screens show a translated text for the code.
import type { ApiErrorResponse } from '../../shared/api';
import { isRefusalCode, type RefusalCode } from '../../shared/refusals';

export type FailureCode = RefusalCode | 'network' | 'timeout';

export class RequestFailure extends Error {
  override name = 'RequestFailure';
  readonly code: FailureCode;

  constructor(code: FailureCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Answers that say "not now" rather than "no": no answer at all, or a server
 * too busy to give one. The same request, asked again shortly, may succeed.
 */
export function isPassingFailure(code: string): boolean {
  return code === 'timeout' || code === 'network' || code === 'internal-error' || code === 'server-busy' || code === 'rate-limited';
}

/** The code to show for whatever a request threw. */
export function failureCodeOf(error: unknown): FailureCode {
  return error instanceof RequestFailure ? error.code : 'internal-error';
}

/**
 * The refusal in an HTTP answer's body, whatever the body holds. `fallback`:
 * the code when it holds none (a proxy's own error page, say).
 */
export function failureFromResponse(payload: unknown, status: number, fallback: RefusalCode = 'internal-error'): RequestFailure {
  const error = (payload as Partial<ApiErrorResponse> | undefined)?.error;
  const code = isRefusalCode(error?.code) ? error.code : fallback;
  return new RequestFailure(code, typeof error?.message === 'string' ? error.message : `HTTP ${status}`);
}
