// Why an HTTP request was refused, with the API error code the client shows
// a translated message for (sendApiError turns it into the answer).
import type { ApiErrorCode } from '../../shared/api';

export class ApiRefusal extends Error {
  override name = 'ApiRefusal';
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
