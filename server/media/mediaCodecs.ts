import type { RouterRtpCodecCapability } from 'mediasoup/types';

/**
 * Codecs every consult router offers. Opus for speech; VP8 first because every
 * browser decodes it in software, H264 for devices that only encode it in
 * hardware (older iPhones).
 */
export const mediaCodecs: RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];
