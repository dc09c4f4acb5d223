// Decoding one frame with a WebAssembly codec (CharLS for JPEG-LS, OpenJPEG
// for JPEG 2000). Both are Emscripten builds with the same decoder shape; how
// the module is loaded differs between the browser and the tests, so it is
// passed in.
import { UnsupportedDicom } from './unsupportedDicom';

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
  /** JPEG-LS only: 0 when the colour planes come one after another. */
  getInterleaveMode?(): number;
  delete(): void;
}

export interface WasmCodecModule {
  JpegLSDecoder?: new () => WasmFrameDecoder;
  J2KDecoder?: new () => WasmFrameDecoder;
}

export interface DecodedCodecFrame {
  info: CodecFrameInfo;
  /** Little endian, copied out of the module's memory. */
  samples: Uint8Array;
  /** Colour planes one after another rather than interleaved pixel by pixel. */
  planar: boolean;
}

export function decodeWithModule(module: WasmCodecModule, bytes: Uint8Array): DecodedCodecFrame {
  const Decoder = module.JpegLSDecoder ?? module.J2KDecoder;
  if (!Decoder) throw new Error('not a codec module');
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(bytes.byteLength).set(bytes);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const planar = info.componentCount > 1 && decoder.getInterleaveMode?.() === 0;
    // slice(): the module's memory may move or be reused by the next frame.
    return { info, samples: decoder.getDecodedBuffer().slice(), planar };
  } catch {
    // Emscripten throws bare numbers (pointers to C++ exceptions).
    throw new UnsupportedDicom({ reason: 'damaged' });
  } finally {
    decoder.delete();
  }
}

/**
 * The codecs' modules, each loaded once and kept, except after a failed
 * decode: these builds cannot unwind C++ exceptions inside WebAssembly, so a
 * failure leaks the module's stack, and a few hundred would break it for good.
 */
export class WasmCodecs<Codec extends string> {
  readonly #load: (codec: Codec) => Promise<WasmCodecModule>;
  readonly #loaded = new Map<Codec, Promise<WasmCodecModule>>();

  constructor(load: (codec: Codec) => Promise<WasmCodecModule>) {
    this.#load = load;
  }

  async decode(codec: Codec, bytes: Uint8Array): Promise<DecodedCodecFrame> {
    let module = this.#loaded.get(codec);
    if (!module) {
      module = this.#load(codec);
      this.#loaded.set(codec, module);
      module.catch(() => this.#forget(codec, module)); // a failed fetch is tried again next time
    }
    const loaded = await module;
    try {
      return decodeWithModule(loaded, bytes);
    } catch (error) {
      this.#forget(codec, module);
      throw error;
    }
  }

  #forget(codec: Codec, module: Promise<WasmCodecModule> | undefined): void {
    if (this.#loaded.get(codec) === module) this.#loaded.delete(codec);
  }
}
