// One vocabulary for "no": every refusal the server gives, over Socket.IO (in
// an acknowledgement) or HTTP (as `{ error }`), carries one of these codes and
// a message for logs and developers; pages show a translated text for the
// code. Neutral to transport: the HTTP layer maps codes to status codes, the
// signalling layer puts the reason in the acknowledgement.
export const refusalCodes = [
  // The request itself
  'invalid-payload',
  'rate-limited',
  // Who is asking
  'unauthenticated',
  'invalid-credentials',
  'invitation-invalid',
  'email-taken',
  'forbidden',
  'link-invalid',
  'link-expired',
  'link-revoked',
  'link-in-use',
  // The consult
  'consult-ended',
  'consult-closed',
  'consult-full',
  'waiting-room-full',
  'not-admitted',
  'not-joined',
  'already-joined',
  // Things in it
  'not-found',
  'already-exists',
  'not-ready',
  'cannot-consume',
  // Written work (the patient's case, the opinion)
  'edit-conflict',
  'locked',
  'media-error',
  // Documents
  'file-too-large',
  'storage-full',
  'unsupported-type',
  'file-too-complex',
  'archive-unsafe',
  'server-busy',
  // Ours
  'internal-error',
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

/** A refusal as it travels. */
export interface RefusalReason {
  code: RefusalCode;
  /** For logs and developers; pages show a translated text for `code`. */
  message: string;
}

export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && (refusalCodes as readonly string[]).includes(value);
}

/** Thrown wherever the server says no; the transport turns it into its answer. */
export class Refusal extends Error {
  override name = 'Refusal';
  readonly code: RefusalCode;

  constructor(code: RefusalCode, message: string) {
    super(message);
    this.code = code;
  }

  get reason(): RefusalReason {
    return { code: this.code, message: this.message };
  }
}
