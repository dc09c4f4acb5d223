// The HTTP API's request bodies (validated on the server with these schemas)
// and response shapes, shared with the client.
import { z } from 'zod';
import { withoutControlCharacters } from './plainText';
import type { RefusalReason } from './refusals';
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

/** How the HTTP API says no (see refusals.ts). */
export interface ApiErrorResponse {
  error: RefusalReason;
}

// ---------------------------------------------------------------- consults

/** BCP 47 language tags as browsers use them: en, de, pt-BR, zh-Hant. */
export const languageTagSchema = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'a language code such as en, de or pt-BR');

/** An IANA time zone the runtime knows, e.g. Europe/Berlin. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/Berlin');

/** A video consult with a call; or a review of the records alone, answered in writing, with no call. */
export const consultKinds = ['call', 'records'] as const;
export type ConsultKind = (typeof consultKinds)[number];

export const createConsultRequestSchema = z.strictObject({
  kind: z.enum(consultKinds).default('call'),
  /** For the doctor's own lists only: patients and interpreters never see it. */
  title: withoutControlCharacters(z.string().trim().min(1, 'a title is required').max(120), 'the title'),
  /** What the patient (and interpreter) read about the consult, in the doctor's words; null: a neutral default. */
  patientDescription: withoutControlCharacters(z.string().trim().max(500), 'the description for the patient', true)
    .transform((text) => (text === '' ? null : text))
    .nullable()
    .default(null),
  scheduledAt: z.iso.datetime({ offset: true }),
  patientName: displayNameSchema,
  patientLanguage: languageTagSchema,
  /** The language pair the interpreter bridges, or null when none is needed. */
  interpretation: z.strictObject({ from: languageTagSchema, to: languageTagSchema }).nullable(),
  /** Where the doctor is; the consult's time is shown to them in this zone. */
  doctorTimeZone: timeZoneSchema,
  /** Where the patient is, if the doctor knows (their own browser's zone is used on their side). */
  patientTimeZone: timeZoneSchema.nullable(),
});
export type CreateConsultRequest = z.infer<typeof createConsultRequestSchema>;

export const inviteRoles = ['patient', 'interpreter'] as const;
export type InviteRole = (typeof inviteRoles)[number];
export const createInviteLinkRequestSchema = z.strictObject({ role: z.enum(inviteRoles) });

export type ConsultStatus = 'upcoming' | 'live' | 'past';

/**
 * Where a consult's second opinion stands, from the doctor's side: nothing from the patient yet;
 * their case or records are in; the call is over; an opinion is drafted; it waits for the
 * interpreter's translation; it is released; an amendment to it is drafted.
 */
export const consultStages = ['waiting-for-records', 'ready-for-review', 'call-done', 'opinion-drafted', 'awaiting-translation', 'released', 'amendment-drafted'] as const;
export type ConsultStage = (typeof consultStages)[number];

export interface ConsultSummary {
  id: string;
  title: string;
  patientDescription: string | null;
  scheduledAt: string;
  patientName: string;
  patientLanguage: string;
  interpretation: { from: string; to: string } | null;
  /** null for consults scheduled before time zones were recorded. */
  doctorTimeZone: string | null;
  patientTimeZone: string | null;
  kind: ConsultKind;
  status: ConsultStatus;
  /** Where the second opinion stands, so the doctor sees what needs them. */
  stage: ConsultStage;
  /** When the doctor began reviewing the case (the patient's answers are kept as they are from then on). */
  reviewStartedAt: string | null;
}

export interface InviteLinkInfo {
  id: string;
  role: InviteRole;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** The short code for /j#<code> while the link can be used; null once withdrawn or expired. */
  code: string | null;
}

export interface ConsultDetails extends ConsultSummary {
  links: InviteLinkInfo[];
}

export interface CreatedInviteLink {
  link: InviteLinkInfo;
  /** Goes after '#' in /join#<token>; shown once, never stored. */
  token: string;
}

/** POST /api/invite/resolve: a short code from /j#<code>, exchanged for the link's token. */
export interface ResolveInviteCodeRequest {
  code: string;
}

export interface ResolvedInviteCode {
  /** Goes after '#' in /join#<token>, as if the long link had been opened. */
  token: string;
}

/** What an invite link's holder may know of their consult before joining (GET /api/invite). */
export interface InviteDetails {
  role: InviteRole;
  /** Whom the link is for, as the doctor recorded them: the page's first language and the name field's first value. */
  person: { name: string | null; language: string | null };
  consult: {
    /** The doctor's words for the patient; null: the page says something neutral. */
    description: string | null;
    doctorName: string;
    scheduledAt: string;
    doctorTimeZone: string | null;
    interpretation: { from: string; to: string } | null;
    kind: ConsultKind;
    /** The call is over (ended, or its time has passed), or there is none: the link opens the written side only. */
    callOver: boolean;
  };
  /** Until when the link opens the consult (its written side after the call). */
  expiresAt: string;
}

export interface AuditEventInfo {
  at: string;
  action: string;
  actor: string | null;
  subject: string | null;
}

/** One of the media server's ports to try directly, as a throwaway ICE-only transport. */
export interface NetworkCheckDirectProbe {
  protocol: 'udp' | 'tcp';
  iceParameters: { usernameFragment: string; password: string };
  iceCandidates: { foundation: string; priority: number; address: string; protocol: 'udp' | 'tcp'; port: number; type: string; tcpType?: string | undefined }[];
  /** The transport's certificate fingerprint (the browser needs one to describe the far end). */
  fingerprint: { algorithm: string; value: string };
}

/** A way to reach our TURN server: no credentials, the check only asks whether it answers. */
export interface NetworkCheckRelayProbe {
  protocol: 'udp' | 'tcp' | 'tls';
  url: string;
}

/** POST /api/network-check: what the pre-join network check should try, valid for `expiresInMs`. */
export interface NetworkCheckPlan {
  direct: NetworkCheckDirectProbe[];
  relays: NetworkCheckRelayProbe[];
  expiresInMs: number;
}
