// The HTTP API's request bodies (validated on the server with these schemas)
// and response shapes, shared with the client.
import { z } from 'zod';
import { displayNameSchema } from './schemas';

/** Account and invitation tokens: 32 random bytes, base64url. */
export const secretTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'malformed token');

export const emailSchema = z.email('not a valid e-mail address').max(254);

export const newPasswordSchema = z
  .string()
  .min(12, 'a password needs at least 12 characters')
  .max(256, 'a password has at most 256 characters');

export const registerDoctorRequestSchema = z.strictObject({
  invitationToken: secretTokenSchema,
  email: emailSchema,
  displayName: displayNameSchema,
  password: newPasswordSchema,
});

export const loginRequestSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(256),
});

export type RegisterDoctorRequest = z.infer<typeof registerDoctorRequestSchema>;
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export interface DoctorProfile {
  id: string;
  email: string;
  displayName: string;
}

export interface SessionResponse {
  doctor: DoctorProfile;
}

export interface DoctorInvitationResponse {
  /** Give it to the colleague as part of the registration link (after #). */
  invitationToken: string;
  expiresAt: string;
}

export const apiErrorCodes = [
  'invalid-payload',
  'invalid-credentials',
  'invitation-invalid',
  'email-taken',
  'unauthenticated',
  'rate-limited',
  'not-found',
  'internal-error',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export interface ApiErrorResponse {
  error: { code: ApiErrorCode; message: string };
}
