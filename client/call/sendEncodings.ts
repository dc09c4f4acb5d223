// How our microphone and camera go out. The camera in three simulcast layers
// (a quarter, half and full resolution), so the media server can forward to
// each person the layer their own downlink carries: one weak link lowers only
// what that person receives. The voice first: Opus with in-band FEC, and the
// highest sending priority, so the browser's congestion control gives way on
// video before it touches speech.
import type { ProducerOptions, RtpEncodingParameters } from 'mediasoup-client/types';
import type { MediaSource } from '../../shared/protocol';

/** Quarter, half and full resolution; each with three temporal layers, so a layer can also drop to 15 or 7.5 frames a second. */
export const cameraLayers = [
  // The layer for weak links and small tiles: 15 frames a second at most leaves room for the voices.
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 100_000, maxFramerate: 15, scalabilityMode: 'L1T3', priority: 'low', networkPriority: 'low' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3', priority: 'low', networkPriority: 'low' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3', priority: 'low', networkPriority: 'low' },
] satisfies RtpEncodingParameters[];

/**
 * Our voice while our uplink is too weak for video: Opus at 16 kbit/s is still clear wideband
 * speech (Opus's own guidance for wideband speech is 16-20 kbit/s; Chromium sends about 32),
 * and with the packet headers (some 26 kbit/s at 50 packets a second) it takes about 42 kbit/s
 * on the wire instead of 58, which leaves a 60 kbit/s link room for the signalling.
 */
export const compactVoice = { maxBitrate: 16_000 } satisfies RtpEncodingParameters;

/** What `produce` is given besides the track, by what the track is. */
export function sendOptionsFor(source: MediaSource): Pick<ProducerOptions, 'encodings' | 'codecOptions'> {
  if (source === 'microphone') {
    return {
      encodings: [{ priority: 'high', networkPriority: 'high' }],
      // DTX only sends comfort noise in silence; Opus resumes within one 20 ms frame, so no syllable is lost.
      codecOptions: { opusFec: true, opusDtx: true, opusPtime: 20, opusNack: true },
    };
  }
  return { encodings: cameraLayers };
}
