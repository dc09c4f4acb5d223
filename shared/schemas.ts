// Zod schemas for everything a client sends to the signalling server.
// The server parses every payload with these before acting on it; the types
// the client uses to send are inferred from the same schemas.
import { z } from 'zod';
import { withoutControlCharacters } from './plainText';

export const roles = ['patient', 'doctor', 'interpreter'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Consult ids appear in URLs: a conservative alphabet, bounded length. */
export const consultIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'consult id must be 1-64 letters, digits, - or _');

/** Display names are shown to others: bounded, and no control or text-direction characters (see plainText.ts). */
export const displayNameSchema = withoutControlCharacters(
  z.string().trim().min(1, 'name is required').max(64, 'name is at most 64 characters'),
  'the name',
);

/** mediasoup object ids are UUIDs. */
const idSchema = z.uuid();
const mediaKindSchema = z.enum(['audio', 'video']);
const uint32 = z.number().int().min(0).max(0xffffffff);
const parameterBagSchema = z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])).refine(
  (bag) => Object.keys(bag).length <= 32,
  'too many parameters',
);
/** The RTP header extensions mediasoup knows; it ignores nothing else safely. */
const headerExtensionUriSchema = z.enum([
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:3gpp:video-orientation',
  'urn:ietf:params:rtp-hdrext:toffset',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension',
]);
const rtcpFeedbackSchema = z.strictObject({ type: z.string().max(32), parameter: z.string().max(32).optional() });

const payloadTypeSchema = z.number().int().min(0).max(127);

/** What capabilities and parameters say alike about a codec. */
const codecFields = {
  mimeType: z.string().regex(/^(audio|video)\/[A-Za-z0-9._-]{1,32}$/),
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: parameterBagSchema.optional(),
  rtcpFeedback: z.array(rtcpFeedbackSchema).max(16).optional(),
};

const rtpCodecCapabilitySchema = z.strictObject({
  ...codecFields,
  kind: mediaKindSchema,
  preferredPayloadType: payloadTypeSchema,
});

const rtpHeaderExtensionSchema = z.strictObject({
  kind: mediaKindSchema,
  uri: headerExtensionUriSchema,
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

export const rtpCapabilitiesSchema = z.strictObject({
  codecs: z.array(rtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(rtpHeaderExtensionSchema).max(32).optional(),
});

const rtpParametersSchema = z.strictObject({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.strictObject({ ...codecFields, payloadType: payloadTypeSchema }),
    )
    .min(1)
    .max(16),
  headerExtensions: z
    .array(
      z.strictObject({
        uri: headerExtensionUriSchema,
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: parameterBagSchema.optional(),
      }),
    )
    .max(16)
    .optional(),
  encodings: z
    .array(
      z.strictObject({
        active: z.boolean().optional(),
        ssrc: uint32.optional(),
        rid: z.string().max(32).optional(),
        codecPayloadType: payloadTypeSchema.optional(),
        rtx: z.strictObject({ ssrc: uint32 }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().max(16).optional(),
        scaleResolutionDownBy: z.number().min(1).optional(),
        maxBitrate: z.number().int().positive().optional(),
        maxFramerate: z.number().positive().optional(),
        adaptivePtime: z.boolean().optional(),
        priority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
        networkPriority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
      }),
    )
    .max(4)
    .optional(),
  rtcp: z
    .strictObject({ cname: z.string().max(256).optional(), reducedSize: z.boolean().optional(), mux: z.boolean().optional() })
    .optional(),
  msid: z.string().max(256).optional(),
});

const dtlsParametersSchema = z.strictObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.strictObject({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}$/),
      }),
    )
    .min(1)
    .max(5),
});

/** What a producer carries: the UI shows microphone and camera state from it. */
export const mediaSourceSchema = z.enum(['microphone', 'camera']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

/** A signed invite token (a JWT): three base64url parts. */
/** Crockford's base 32: no I, L, O or U, so a code read aloud or retyped survives. */
export const shortInviteCodeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 14 characters, 70 bits: guessing one of a million live links would take 10^15 tries. */
export const shortInviteCodeLength = 14;

/**
 * A short invite code as people may type or paste it: any case, with spaces
 * or dashes, O for 0 and I or L for 1, normalised to the canonical form.
 */
export const shortInviteCodeSchema = z
  .string()
  .max(64)
  .transform((code) => code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1'))
  .pipe(z.string().regex(new RegExp(`^[${shortInviteCodeAlphabet}]{${shortInviteCodeLength}}$`), 'malformed invite code'));

export const inviteTokenSchema = z
  .string()
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'malformed invite token');

/**
 * Patients and interpreters join with the invite token from their link;
 * doctors join their own consult, identified by their session cookie.
 */
export const joinRequestSchema = z.discriminatedUnion('as', [
  z.strictObject({ as: z.literal('guest'), inviteToken: inviteTokenSchema, displayName: displayNameSchema }),
  z.strictObject({ as: z.literal('doctor'), consultId: consultIdSchema }),
]);

export const participantRequestSchema = z.strictObject({ participantId: z.uuid() });

/** The path a browser's media found (its selected ICE candidate pair); 'none' when it found none. */
export const connectionPathReportSchema = z.strictObject({ path: z.enum(['udp', 'tcp', 'relay-udp', 'relay-tcp', 'relay-tls', 'none']) });

/** The doctor's choice: may this person come back into the call without waiting to be let in again? */
export const allowReturnRequestSchema = z.strictObject({ participantId: z.uuid(), allowed: z.boolean() });

export const chatMessageMaxLength = 2000;

/**
 * A chat message. Without `to` it goes to everyone in the call (or, from
 * someone waiting, to the doctors); a doctor may write `to` someone waiting.
 */
export const sendChatRequestSchema = z.strictObject({
  text: withoutControlCharacters(
    z
      .string()
      .trim()
      .min(1, 'the message is empty')
      .max(chatMessageMaxLength, `a message has at most ${chatMessageMaxLength} characters`),
    'the message',
    true,
  ),
  to: z.uuid().optional(),
});

/**
 * Consecutive interpretation: a speaker hands the floor to the interpreter;
 * the interpreter asks the speaker to pause (and takes the floor) or hands it
 * back ("go on"); whoever has the floor, or a doctor, clears it.
 */
export const floorCues = ['hand-to-interpreter', 'ask-to-pause', 'hand-back', 'clear'] as const;
export const floorCueRequestSchema = z.strictObject({ cue: z.enum(floorCues) });
export type FloorCueRequest = z.infer<typeof floorCueRequestSchema>;

export const resumeRequestSchema = z.strictObject({
  participantId: z.uuid(),
  resumeToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'malformed resume token'),
});

export const createTransportRequestSchema = z.strictObject({ direction: z.enum(['send', 'receive']) });

export const connectTransportRequestSchema = z.strictObject({ transportId: idSchema, dtlsParameters: dtlsParametersSchema });

export const restartIceRequestSchema = z.strictObject({ transportId: idSchema });

export const setRtpCapabilitiesRequestSchema = z.strictObject({ rtpCapabilities: rtpCapabilitiesSchema });

export const produceRequestSchema = z
  .strictObject({
    transportId: idSchema,
    kind: mediaKindSchema,
    source: mediaSourceSchema,
    rtpParameters: rtpParametersSchema,
  })
  .refine((request) => (request.source === 'microphone') === (request.kind === 'audio'), {
    message: 'a microphone produces audio and a camera produces video',
    path: ['source'],
  });

export const producerRequestSchema = z.strictObject({ producerId: idSchema });

export const consumeRequestSchema = z.strictObject({ producerId: idSchema });

export const consumerRequestSchema = z.strictObject({ consumerId: idSchema });

/** How tall a video is drawn on the receiver's screen, in device pixels (capped at 2 per CSS pixel); 0: not seen at all. */
export const consumerViewRequestSchema = z.strictObject({ consumerId: idSchema, height: z.number().int().min(0).max(8192) });

/**
 * What of video this participant can take: `audioOnly` by their own choice (no video sent or
 * received); `sendingHeldBack` when their uplink cannot carry their camera (their browser paused
 * it); `receivingHeldBack` when their downlink cannot carry video beside the voices (the server
 * forwards them none until asked again); `downlinkWeak` from then until their downlink has carried
 * video again, trials included (the others send their voices compact meanwhile).
 */
export const videoLimitsRequestSchema = z.strictObject({
  audioOnly: z.boolean(),
  sendingHeldBack: z.boolean(),
  receivingHeldBack: z.boolean(),
  downlinkWeak: z.boolean(),
});

export type JoinRequest = z.infer<typeof joinRequestSchema>;
export type ParticipantRequest = z.infer<typeof participantRequestSchema>;
export type AllowReturnRequest = z.infer<typeof allowReturnRequestSchema>;
export type ConnectionPathReport = z.infer<typeof connectionPathReportSchema>;
export type ResumeRequest = z.infer<typeof resumeRequestSchema>;
export type SendChatRequest = z.infer<typeof sendChatRequestSchema>;
export type CreateTransportRequest = z.infer<typeof createTransportRequestSchema>;
export type ConnectTransportRequest = z.infer<typeof connectTransportRequestSchema>;
export type RestartIceRequest = z.infer<typeof restartIceRequestSchema>;
export type SetRtpCapabilitiesRequest = z.infer<typeof setRtpCapabilitiesRequestSchema>;
export type ProduceRequest = z.infer<typeof produceRequestSchema>;
export type ProducerRequest = z.infer<typeof producerRequestSchema>;
export type ConsumeRequest = z.infer<typeof consumeRequestSchema>;
export type ConsumerRequest = z.infer<typeof consumerRequestSchema>;
export type ConsumerViewRequest = z.infer<typeof consumerViewRequestSchema>;
export type VideoLimitsRequest = z.infer<typeof videoLimitsRequestSchema>;
