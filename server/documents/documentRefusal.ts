// Why an upload or a document request was refused, with the API error code
// the client shows a translated message for.
import type { ApiErrorCode } from '../../shared/api';

export class DocumentRefusal extends Error {
  override name = 'DocumentRefusal';
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
