// JPEG-LS and JPEG 2000 test images, encoded with the same projects' encoders
// (CharLS and OpenJPEG, as compiled by Cornerstone). Both are lossless here,
// so a decoded frame must equal the stored values exactly.
import { createRequire } from 'node:module';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
  isUsingColorTransform?: boolean;
}

interface WasmFrameEncoder {
  getDecodedBuffer(info: FrameInfo): Uint8Array;
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

/** The loaded encoder module, for tests that need other frame shapes. */
export function wasmEncoderModule(codec: WasmCodecName): EncoderModule {
  const module = modules.get(codec);
  if (!module) throw new Error('call loadWasmEncoders() first');
  return module;
}

/** Encodes one grey 16-bit frame given as little-endian stored values. */
export function encodeWithWasm(codec: WasmCodecName, littleEndianPixels: Buffer, rows: number, columns: number, signed: boolean): Buffer {
  const module = modules.get(codec);
  const Encoder = module?.JpegLSEncoder ?? module?.J2KEncoder;
  if (!Encoder) throw new Error('call loadWasmEncoders() first');
  const encoder = new Encoder();
  try {
    encoder.getDecodedBuffer({ width: columns, height: rows, bitsPerSample: 16, componentCount: 1, isSigned: signed, isUsingColorTransform: false }).set(littleEndianPixels);
    encoder.encode();
    return Buffer.from(encoder.getEncodedBuffer());
  } finally {
    encoder.delete();
  }
}
