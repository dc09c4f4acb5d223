// JPEG-LS and JPEG 2000 test images, encoded with the same projects' encoders
// (CharLS and OpenJPEG, as compiled by Cornerstone). Both are lossless here,
// so a decoded frame must equal the stored values exactly.
import { createRequire } from 'node:module';

/** The shape of a frame to encode; samples are little endian. */
export interface EncodedFrame {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

interface WasmFrameEncoder {
  getDecodedBuffer(frame: EncodedFrame & { isUsingColorTransform: boolean }): Uint8Array;
  /** JPEG-LS: 0 for colour planes one after another, 2 for interleaved pixels. */
  setInterleaveMode?(mode: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

interface EncoderModule {
  JpegLSEncoder?: new () => WasmFrameEncoder;
  J2KEncoder?: new () => WasmFrameEncoder;
}

type Factory = (options?: { print?: () => void; printErr?: () => void }) => Promise<EncoderModule>;

export type WasmCodecName = 'jpeg-ls' | 'jpeg-2000';

const require = createRequire(import.meta.url);
const modules = new Map<WasmCodecName, EncoderModule>();

/** Loads both encoders; call before writing a JPEG-LS or JPEG 2000 image. */
export async function loadWasmEncoders(): Promise<void> {
  const quiet = () => undefined;
  const load = (name: string) => (require(name) as Factory)({ print: quiet, printErr: quiet });
  modules.set('jpeg-ls', await load('@cornerstonejs/codec-charls'));
  modules.set('jpeg-2000', await load('@cornerstonejs/codec-openjpeg'));
}

/**
 * Encodes one frame. For colour JPEG-LS, `interleaveMode` 0 takes the colour
 * planes one after another (the codec's default interleaves pixels).
 */
export function encodeWithWasm(codec: WasmCodecName, samples: Uint8Array, frame: EncodedFrame, interleaveMode?: number): Buffer {
  const module = modules.get(codec);
  const Encoder = module?.JpegLSEncoder ?? module?.J2KEncoder;
  if (!Encoder) throw new Error('call loadWasmEncoders() first');
  const encoder = new Encoder();
  try {
    encoder.getDecodedBuffer({ ...frame, isUsingColorTransform: false }).set(samples);
    if (interleaveMode !== undefined) encoder.setInterleaveMode?.(interleaveMode);
    encoder.encode();
    return Buffer.from(encoder.getEncodedBuffer());
  } finally {
    encoder.delete();
  }
}
