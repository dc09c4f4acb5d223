// DICOM's JPEG lossless frames (transfer syntaxes .57 and .70), decoded with
// jpeg-lossless-decoder-js. That decoder trusts its input: it reads past the
// end of a cut-short scan as zeros and decodes whatever size the header
// claims. So the header is checked against the DICOM file before anything is
// decoded, and a stream that ran out is refused afterwards.
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import { UnsupportedDicom } from './unsupportedDicom';

export interface ExpectedFrame {
  rows: number;
  columns: number;
  samples: number;
  bitsAllocated: number;
}

interface LosslessFrameHeader {
  precision: number;
  rows: number;
  columns: number;
  components: number;
}

const markers = { startOfImage: 0xd8, losslessFrame: 0xc3, startOfScan: 0xda, endOfImage: 0xd9 } as const;

/** The SOF3 segment: what the stream will decode to. Null when there is none before the scan. */
export function losslessFrameHeader(stream: Uint8Array): LosslessFrameHeader | null {
  const byte = (at: number): number => stream[at] ?? -1;
  if (byte(0) !== 0xff || byte(1) !== markers.startOfImage) return null;
  let at = 2;
  while (at + 4 <= stream.length) {
    if (byte(at) !== 0xff) return null;
    const marker = byte(at + 1);
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === markers.losslessFrame) {
      if (at + 10 > stream.length) return null;
      return { precision: byte(at + 4), rows: (byte(at + 5) << 8) | byte(at + 6), columns: (byte(at + 7) << 8) | byte(at + 8), components: byte(at + 9) };
    }
    if (marker === markers.startOfScan || marker === markers.endOfImage) return null;
    at += 2 + ((byte(at + 2) << 8) | byte(at + 3));
  }
  return null;
}

/** One frame as little-endian stored values (the byte order of every platform browsers run on), interleaved. */
export function decodeJpegLossless(frame: Uint8Array, expected: ExpectedFrame): Uint8Array {
  const header = losslessFrameHeader(frame);
  if (
    !header ||
    header.rows !== expected.rows ||
    header.columns !== expected.columns ||
    header.components !== expected.samples ||
    header.precision < 2 ||
    header.precision > expected.bitsAllocated
  ) {
    throw new UnsupportedDicom({ reason: 'damaged' });
  }
  const frameBytes = expected.rows * expected.columns * expected.samples * (expected.bitsAllocated / 8);
  // The decoder reads from the buffer's start: give it a copy of just this frame (Buffer.slice would be a view).
  const own = new Uint8Array(frame);
  const decoder = new JpegLosslessDecoder();
  let decoded: Uint8Array | Uint16Array;
  try {
    decoded = decoder.decode(own.buffer, 0, own.byteLength, expected.bitsAllocated / 8);
  } catch {
    throw new UnsupportedDicom({ reason: 'damaged' });
  }
  // Reading beyond the end means the scan was cut short: the rest of the image would be made up.
  if ((decoder.stream?.index ?? Infinity) > own.byteLength) throw new UnsupportedDicom({ reason: 'truncated' });
  const bytes = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  if (bytes.byteLength < frameBytes) throw new UnsupportedDicom({ reason: 'truncated' });
  return bytes.subarray(0, frameBytes);
}
