// Turns a DICOM image into pixels on screen: parses it (dicom-parser), reads
// one frame's stored values (uncompressed, RLE, JPEG lossless, JPEG-LS and
// JPEG 2000 through WebAssembly codecs, or JPEG baseline decoded by the
// browser), applies the modality rescale, and maps values through a
// window (centre/width, DICOM's linear function) to grey levels. Nothing is
// converted on the server; what the viewer shows is computed from the file.
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { decodeJpegLossless } from './jpegLosslessFrame';
import { UnsupportedDicom } from './unsupportedDicom';
import type { DecodedCodecFrame } from './wasmCodecDecoding';
import type { DicomWindow } from '../../shared/documents';
import type { DicomFrame } from './dicomWindowing';

// Windowing and drawing live apart (the viewer draws without loading the parser); they stay reachable from here.
export { defaultWindow, renderFrame, windowedGrey, type DicomFrame, type ImageDataLike } from './dicomWindowing';

const transferSyntaxes = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  explicitBig: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
} as const;

/** JPEG lossless, any predictor (.57) and first-order prediction (.70): common in CT and MR archives. */
const jpegLosslessSyntaxes = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);

/** Compressions decoded by a WebAssembly codec, loaded when first needed. */
export type WasmCodec = 'jpeg-ls' | 'jpeg-2000';
const wasmCodecSyntaxes: Record<string, WasmCodec> = {
  '1.2.840.10008.1.2.4.80': 'jpeg-ls',
  '1.2.840.10008.1.2.4.81': 'jpeg-ls',
  '1.2.840.10008.1.2.4.90': 'jpeg-2000',
  '1.2.840.10008.1.2.4.91': 'jpeg-2000',
};

/** The names of the compressions we cannot show yet, so the message can say which one. */
const knownCompressions: Record<string, string> = {
  '1.2.840.10008.1.2.1.99': 'Deflate',
  '1.2.840.10008.1.2.4.51': 'JPEG extended',
  '1.2.840.10008.1.2.4.201': 'HTJ2K',
  '1.2.840.10008.1.2.4.202': 'HTJ2K',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

/** What a frame needs before it can be windowed: JPEG baseline the browser's decoder, JPEG-LS and JPEG 2000 a WebAssembly codec. */
export type FrameSource =
  | { kind: 'ready'; frame: DicomFrame }
  | { kind: 'jpeg'; bytes: Uint8Array; finish: (decoded: Uint8ClampedArray) => DicomFrame }
  | { kind: 'codec'; codec: WasmCodec; bytes: Uint8Array; finish: (decoded: DecodedCodecFrame) => DicomFrame };

export interface ParsedDicom {
  frames: number;
  frame(index: number): FrameSource;
}

export function parseDicomImage(bytes: Uint8Array): ParsedDicom {
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes);
  } catch {
    // dicom-parser throws strings and plain objects as well as errors.
    throw new UnsupportedDicom({ reason: 'damaged' });
  }
  const syntax = dataSet.string('x00020010') ?? transferSyntaxes.implicitLittle;
  const pixelData = dataSet.elements['x7fe00010'];
  if (!pixelData) throw new UnsupportedDicom({ reason: 'no-image' });
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const samples = dataSet.uint16('x00280002') ?? 1;
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const bitsStored = Math.min(bitsAllocated, Math.max(1, dataSet.uint16('x00280101') ?? bitsAllocated));
  const signed = dataSet.uint16('x00280103') === 1;
  const photometric = (dataSet.string('x00280004') ?? 'MONOCHROME2').toUpperCase();
  const frames = Math.max(1, dataSet.intString('x00280008') ?? 1);
  const planar = dataSet.uint16('x00280006') === 1;
  const codec = wasmCodecSyntaxes[syntax];
  // JPEG 2000's colour transforms are undone by the codec, which gives RGB.
  const codecColour = codec === 'jpeg-2000' && (photometric === 'YBR_RCT' || photometric === 'YBR_ICT');
  if (!codecColour && !['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422'].includes(photometric)) throw new UnsupportedDicom({ reason: 'colour-model', name: photometric });
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new UnsupportedDicom({ reason: 'bit-depth', bits: bitsAllocated });
  const compression = knownCompressions[syntax];
  if (compression) throw new UnsupportedDicom({ reason: 'compression', name: compression });

  const shape = {
    rows,
    columns,
    samples,
    bitsAllocated,
    bitsStored,
    signed,
    planar,
    inverted: photometric === 'MONOCHROME1',
    ycbcr: photometric.startsWith('YBR') && !codecColour,
    bigEndian: syntax === transferSyntaxes.explicitBig,
    slope: dataSet.floatString('x00281053') ?? 1,
    intercept: dataSet.floatString('x00281052') ?? 0,
    storedWindow: storedWindowOf(dataSet),
  };
  const frameBytes = rows * columns * samples * (bitsAllocated / 8);

  return {
    frames,
    frame(index: number): FrameSource {
      if (index < 0 || index >= frames) throw new RangeError(`no frame ${index}`);
      if (syntax === transferSyntaxes.jpegBaseline) {
        const bytes = encapsulatedFrame(dataSet, pixelData, index, frames);
        return { kind: 'jpeg', bytes, finish: (decoded) => frameFromRgba(shape, decoded) };
      }
      // RLE and JPEG lossless give samples interleaved, whatever the file says of its planes.
      if (syntax === transferSyntaxes.rle) {
        const raw = decodeRle(encapsulatedFrame(dataSet, pixelData, index, frames), frameBytes, bitsAllocated / 8, samples);
        return { kind: 'ready', frame: frameFromStored({ ...shape, planar: false }, raw) };
      }
      if (codec) {
        const bytes = encapsulatedFrame(dataSet, pixelData, index, frames);
        return { kind: 'codec', codec, bytes, finish: (decoded) => frameFromCodec({ ...shape, planar: decoded.planar, bigEndian: false }, decoded, frameBytes) };
      }
      if (jpegLosslessSyntaxes.has(syntax)) {
        const raw = decodeJpegLossless(encapsulatedFrame(dataSet, pixelData, index, frames), shape);
        return { kind: 'ready', frame: frameFromStored({ ...shape, planar: false }, raw) };
      }
      const start = pixelData.dataOffset + index * frameBytes;
      if (start + frameBytes > dataSet.byteArray.length) throw new UnsupportedDicom({ reason: 'truncated' });
      return { kind: 'ready', frame: frameFromStored(shape, dataSet.byteArray.subarray(start, start + frameBytes)) };
    },
  };
}

interface FrameShape {
  rows: number;
  columns: number;
  samples: number;
  bitsAllocated: number;
  /** The bits of each sample that hold its value; the rest are ignored, and a signed value's sign is the highest of them. */
  bitsStored: number;
  signed: boolean;
  planar: boolean;
  inverted: boolean;
  ycbcr: boolean;
  bigEndian: boolean;
  slope: number;
  intercept: number;
  storedWindow: DicomWindow | null;
}

function frameFromStored(shape: FrameShape, raw: Uint8Array): DicomFrame {
  const pixels = shape.rows * shape.columns;
  if (shape.samples === 3) {
    const rgba = new Uint8ClampedArray(pixels * 4);
    for (let i = 0; i < pixels; i++) {
      for (let c = 0; c < 3; c++) rgba[i * 4 + c] = raw[shape.planar ? c * pixels + i : i * 3 + c] ?? 0;
      rgba[i * 4 + 3] = 255;
    }
    if (shape.ycbcr) ycbcrToRgb(rgba);
    return { rows: shape.rows, columns: shape.columns, values: null, rgba, inverted: false, storedWindow: null, range: { min: 0, max: 255 } };
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const values = new Float32Array(pixels);
  let min = Infinity;
  let max = -Infinity;
  const valueMask = 2 ** shape.bitsStored - 1;
  const signBit = 2 ** (shape.bitsStored - 1);
  for (let i = 0; i < pixels; i++) {
    let stored = (shape.bitsAllocated === 8 ? view.getUint8(i) : view.getUint16(i * 2, !shape.bigEndian)) & valueMask;
    if (shape.signed && stored >= signBit) stored -= 2 * signBit;
    const value = stored * shape.slope + shape.intercept;
    values[i] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { rows: shape.rows, columns: shape.columns, values, rgba: null, inverted: shape.inverted, storedWindow: shape.storedWindow, range: { min, max } };
}

/** A frame a WebAssembly codec decoded: checked against what the file says before it is shown. */
function frameFromCodec(shape: FrameShape, decoded: DecodedCodecFrame, frameBytes: number): DicomFrame {
  const { info, samples } = decoded;
  const bytesPerSample = info.bitsPerSample > 8 ? 2 : 1;
  if (info.width !== shape.columns || info.height !== shape.rows || info.componentCount !== shape.samples || bytesPerSample !== shape.bitsAllocated / 8) {
    throw new UnsupportedDicom({ reason: 'damaged' });
  }
  if (samples.byteLength < frameBytes) throw new UnsupportedDicom({ reason: 'truncated' });
  return frameFromStored(shape, samples.subarray(0, frameBytes));
}

/** A JPEG frame the browser decoded to RGBA: grey images keep one channel as their values. */
function frameFromRgba(shape: FrameShape, decoded: Uint8ClampedArray): DicomFrame {
  if (shape.samples === 3) {
    return { rows: shape.rows, columns: shape.columns, values: null, rgba: decoded, inverted: false, storedWindow: null, range: { min: 0, max: 255 } };
  }
  const grey = new Uint8Array(shape.rows * shape.columns);
  for (let i = 0; i < grey.length; i++) grey[i] = decoded[i * 4] ?? 0;
  return frameFromStored({ ...shape, bitsAllocated: 8, bitsStored: 8, signed: false, bigEndian: false }, grey);
}

function storedWindowOf(dataSet: DataSet): DicomWindow | null {
  const center = dataSet.floatString('x00281050');
  const width = dataSet.floatString('x00281051');
  return center !== undefined && width !== undefined && Number.isFinite(center) && Number.isFinite(width) && width >= 1
    ? { center, width }
    : null;
}

function encapsulatedFrame(dataSet: DataSet, pixelData: Element, index: number, frames: number): Uint8Array {
  const fragments = pixelData.fragments ?? [];
  if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, fragments.length);
  if ((pixelData.basicOffsetTable?.length ?? 0) > 0) return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, index);
  if (fragments.length === frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, index, 1);
  const table = dicomParser.createJPEGBasicOffsetTable(dataSet, pixelData);
  return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, index, table);
}

/**
 * DICOM RLE (PS3.5 G): a 64-byte header of segment offsets, each segment one
 * byte plane (most significant byte first, per sample) packed with PackBits.
 */
export function decodeRle(frame: Uint8Array, frameBytes: number, bytesPerSample: number, samples: number): Uint8Array {
  const header = new DataView(frame.buffer, frame.byteOffset, Math.min(64, frame.byteLength));
  const segments = header.getUint32(0, true);
  if (segments !== bytesPerSample * samples || segments > 15) throw new UnsupportedDicom({ reason: 'malformed-rle' });
  const pixels = frameBytes / (bytesPerSample * samples);
  const out = new Uint8Array(frameBytes);
  for (let s = 0; s < segments; s++) {
    const start = header.getUint32(4 + s * 4, true);
    const end = s + 1 < segments ? header.getUint32(8 + s * 4, true) : frame.byteLength;
    const plane = unpackBits(frame.subarray(start, end), pixels);
    const sample = Math.floor(s / bytesPerSample);
    // Segment 0 of a sample holds its most significant byte; we write little endian.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    for (let i = 0; i < pixels; i++) out[(i * samples + sample) * bytesPerSample + byteInSample] = plane[i] ?? 0;
  }
  return out;
}

function unpackBits(input: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let read = 0;
  let written = 0;
  while (read < input.length && written < length) {
    const header = input[read++] ?? 0;
    if (header < 128) {
      const count = Math.min(header + 1, length - written);
      out.set(input.subarray(read, read + count), written);
      read += header + 1;
      written += count;
    } else if (header > 128) {
      const count = Math.min(257 - header, length - written);
      out.fill(input[read++] ?? 0, written, written + count);
      written += count;
    } else {
      read += 1; // 128: no operation
    }
  }
  return out;
}

function ycbcrToRgb(rgba: Uint8ClampedArray): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const y = rgba[i] ?? 0;
    const cb = (rgba[i + 1] ?? 128) - 128;
    const cr = (rgba[i + 2] ?? 128) - 128;
    rgba[i] = y + 1.402 * cr;
    rgba[i + 1] = y - 0.344136 * cb - 0.714136 * cr;
    rgba[i + 2] = y + 1.772 * cb;
  }
}
