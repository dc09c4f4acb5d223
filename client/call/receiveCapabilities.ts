// What this browser tells the media server it can receive. Chromium repairs
// lost audio packets by asking for them again (NACK) when the offer it is
// given lists `nack` for Opus, but its own capabilities never list it, so
// mediasoup would not keep the voices' packets to resend. On a lossy mobile
// link a resent packet usually arrives well within the jitter buffer's
// delay, so a lost packet costs nothing instead of a concealed 20 ms of
// speech; Opus FEC alone cannot do that here, because each sender encodes
// FEC for the loss on its own leg to the server, not on ours.
import type { RtpCapabilities } from 'mediasoup-client/types';

export function withVoiceRetransmission(capabilities: RtpCapabilities): RtpCapabilities {
  return {
    ...capabilities,
    codecs: (capabilities.codecs ?? []).map((codec) =>
      codec.mimeType.toLowerCase() === 'audio/opus' && !codec.rtcpFeedback?.some((feedback) => feedback.type === 'nack')
        ? { ...codec, rtcpFeedback: [...(codec.rtcpFeedback ?? []), { type: 'nack', parameter: '' }] }
        : codec,
    ),
  };
}
