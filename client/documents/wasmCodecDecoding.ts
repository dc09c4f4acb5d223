// Decoding one frame with a WebAssembly codec (CharLS for JPEG-LS, OpenJPEG
// for JPEG 2000). Both are Emscripten builds with the same decoder shape; how
// the module is loaded differs between the browser and the tests, so it is
// passed in.
import { UnsupportedDicom } from './dicomImage';

export interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
}

/** The decoder classes both codecs export; buffers are views into the module's memory. */
export interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

export interface WasmCodecModule {
  JpegLSDecoder?: new () => WasmFrameDecoder;
  J2KDecoder?: new () => WasmFrameDecoder;
}

export interface DecodedCodecFrame {
  info: CodecFrameInfo;
  /** Samples interleaved, little endian, copied out of the module's memory. */
  samples: Uint8Array;
}

export function decodeWithModule(module: WasmCodecModule, bytes: Uint8Array): DecodedCodecFrame {
  const Decoder = module.JpegLSDecoder ?? module.J2KDecoder;
  if (!Decoder) throw new Error('not a codec module');
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(bytes.byteLength).set(bytes);
    decoder.decode();
    // slice(): the module's memory may move or be reused by the next frame.
    return { info: decoder.getFrameInfo(), samples: decoder.getDecodedBuffer().slice() };
  } catch {
    // Emscripten throws bare numbers (pointers to C++ exceptions).
    throw new UnsupportedDicom({ reason: 'damaged' });
  } finally {
    decoder.delete();
  }
}
