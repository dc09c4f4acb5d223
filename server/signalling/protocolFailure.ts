import type { ErrorCode, ProtocolError } from '../../shared/protocol';

/** A refusal the client is told about, with a code from the shared protocol. */
export class ProtocolFailure extends Error {
  override name = 'ProtocolFailure';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toProtocolError(): ProtocolError {
    return { code: this.code, message: this.message };
  }
}
