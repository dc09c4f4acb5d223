// The package's manifest names a type file it does not ship; this is the part we use.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decodes a lossless JPEG stream; samples are interleaved, `numBytes` per sample, in the host's byte order. */
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes?: number): Uint8Array | Uint16Array;
    /** Where the last decode stopped reading; past the input's end when the data ran out. */
    stream: { index: number } | null;
  }
}
