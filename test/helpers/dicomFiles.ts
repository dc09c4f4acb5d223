// Writes small but real DICOM Part 10 files for tests: a 128-byte preamble,
// "DICM", the file meta group, and a CT-like image data set. Pixel values are
// chosen by the test, so what a viewer renders can be checked exactly.
import { randomUUID } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { encodeJpegLossless } from './jpegLossless';
import { encodeWithWasm } from './wasmEncoders';

/** 'jpeg-ls' and 'jpeg-2000' need `loadWasmEncoders()` first. */
export type TransferSyntax = 'explicit-little' | 'implicit-little' | 'deflated' | 'rle' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000';

const transferSyntaxUids: Record<TransferSyntax, string> = {
  'explicit-little': '1.2.840.10008.1.2.1',
  'implicit-little': '1.2.840.10008.1.2',
  deflated: '1.2.840.10008.1.2.1.99',
  rle: '1.2.840.10008.1.2.5',
  'jpeg-lossless': '1.2.840.10008.1.2.4.70',
  'jpeg-ls': '1.2.840.10008.1.2.4.80',
  'jpeg-2000': '1.2.840.10008.1.2.4.90',
};

export interface DicomImageOptions {
  rows: number;
  columns: number;
  /** Stored pixel values, row by row (rows × columns), before rescale. */
  pixels: ArrayLike<number>;
  seriesUid?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  instanceNumber?: number;
  /** z of ImagePositionPatient, with an axial orientation. */
  position?: number;
  modality?: string;
  /** Stored as signed 16-bit (CT-like) or unsigned. */
  signed?: boolean;
  /** Bits Stored (default 16); `pixels` are then the raw 16-bit words, high bits and all. */
  bitsStored?: number;
  rescale?: { slope: number; intercept: number };
  window?: { center: number; width: number };
  photometric?: 'MONOCHROME2' | 'MONOCHROME1';
  transferSyntax?: TransferSyntax;
  /** Claim another transfer syntax in the file meta (the pixels stay as `transferSyntax` writes them). */
  claimedTransferSyntaxUid?: string;
  /** Leave out the pixel data (a report, not an image). */
  withoutPixels?: boolean;
  /** Empty private elements, as a file built to exhaust a parser would hold. */
  privateElements?: number;
  /** A private sequence of `items` items, each with `elementsPerItem` elements and, `depth` > 1, a nested sequence. */
  privateSequence?: { items: number; elementsPerItem: number; depth?: number };
  /** A private binary element of this many bytes, before the pixel data. */
  privateBlobBytes?: number;
}

/** An ISO OID-ish UID under the "2.25" UUID arc, as real systems make them. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

const longLengthVrs = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

class ElementWriter {
  readonly #chunks: Buffer[] = [];
  readonly #explicit: boolean;

  constructor(explicit: boolean) {
    this.#explicit = explicit;
  }

  text(group: number, element: number, vr: string, value: string): void {
    const padding = vr === 'UI' ? '\0' : ' ';
    const padded = value.length % 2 === 0 ? value : value + padding;
    this.raw(group, element, vr, Buffer.from(padded, 'latin1'));
  }

  uint16(group: number, element: number, value: number): void {
    const bytes = Buffer.alloc(2);
    bytes.writeUInt16LE(value);
    this.raw(group, element, 'US', bytes);
  }

  uint32(group: number, element: number, value: number): void {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value);
    this.raw(group, element, 'UL', bytes);
  }

  raw(group: number, element: number, vr: string, value: Buffer, undefinedLength = false): void {
    const header = Buffer.alloc(this.#explicit ? (longLengthVrs.has(vr) ? 12 : 8) : 8);
    header.writeUInt16LE(group, 0);
    header.writeUInt16LE(element, 2);
    const length = undefinedLength ? 0xffffffff : value.length;
    if (!this.#explicit) header.writeUInt32LE(length, 4);
    else if (longLengthVrs.has(vr)) {
      header.write(vr, 4, 'latin1');
      header.writeUInt32LE(length, 8);
    } else {
      header.write(vr, 4, 'latin1');
      header.writeUInt16LE(length, 6);
    }
    this.#chunks.push(header, value);
  }

  /** Bytes already encoded as elements. */
  append(bytes: Buffer): void {
    this.#chunks.push(bytes);
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** `count` empty private LO elements (8 bytes each), written straight into one buffer: millions stay quick to make. */
function emptyPrivateElements(count: number, explicit: boolean): Buffer {
  const bytes = Buffer.alloc(count * 8);
  for (let i = 0; i < count; i++) {
    const offset = i * 8;
    bytes.writeUInt16LE(0x0009 + 2 * Math.floor(i / 0xfff0), offset);
    bytes.writeUInt16LE(0x0010 + (i % 0xfff0), offset + 2);
    if (explicit) bytes.write('LO', offset + 4, 'latin1');
  }
  return bytes;
}

export function dicomImage(options: DicomImageOptions): Buffer {
  const syntax = options.transferSyntax ?? 'explicit-little';
  const sopInstanceUid = newUid();
  const sopClassUid = '1.2.840.10008.5.1.4.1.1.2'; // CT Image Storage

  const meta = new ElementWriter(true);
  meta.raw(0x0002, 0x0001, 'OB', Buffer.from([0, 1]));
  meta.text(0x0002, 0x0002, 'UI', sopClassUid);
  meta.text(0x0002, 0x0003, 'UI', sopInstanceUid);
  meta.text(0x0002, 0x0010, 'UI', options.claimedTransferSyntaxUid ?? transferSyntaxUids[syntax]);
  meta.text(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1');
  const metaBody = meta.bytes();
  const metaLength = new ElementWriter(true);
  metaLength.uint32(0x0002, 0x0000, metaBody.length);

  const data = new ElementWriter(syntax !== 'implicit-little');
  const signed = options.signed ?? true;
  data.text(0x0008, 0x0016, 'UI', sopClassUid);
  data.text(0x0008, 0x0018, 'UI', sopInstanceUid);
  data.text(0x0008, 0x0060, 'CS', options.modality ?? 'CT');
  data.text(0x0008, 0x103e, 'LO', options.seriesDescription ?? 'Test series');
  if (options.privateElements) data.append(emptyPrivateElements(options.privateElements, syntax !== 'implicit-little'));
  if (options.privateSequence) data.raw(0x000b, 0x1000, 'SQ', privateSequenceItems(options.privateSequence, syntax !== 'implicit-little'), true);
  if (options.privateBlobBytes) data.raw(0x000d, 0x1000, 'OB', Buffer.alloc(options.privateBlobBytes));
  data.text(0x0010, 0x0010, 'PN', 'Test^Patient');
  data.text(0x0020, 0x000d, 'UI', '2.25.1');
  data.text(0x0020, 0x000e, 'UI', options.seriesUid ?? '2.25.2');
  data.text(0x0020, 0x0011, 'IS', String(options.seriesNumber ?? 1));
  data.text(0x0020, 0x0013, 'IS', String(options.instanceNumber ?? 1));
  data.text(0x0020, 0x0032, 'DS', `0\\0\\${options.position ?? 0}`);
  data.text(0x0020, 0x0037, 'DS', '1\\0\\0\\0\\1\\0');
  data.uint16(0x0028, 0x0002, 1);
  data.text(0x0028, 0x0004, 'CS', options.photometric ?? 'MONOCHROME2');
  data.uint16(0x0028, 0x0010, options.rows);
  data.uint16(0x0028, 0x0011, options.columns);
  data.uint16(0x0028, 0x0100, 16);
  data.uint16(0x0028, 0x0101, options.bitsStored ?? 16);
  data.uint16(0x0028, 0x0102, (options.bitsStored ?? 16) - 1);
  data.uint16(0x0028, 0x0103, signed ? 1 : 0);
  if (options.window) {
    data.text(0x0028, 0x1050, 'DS', String(options.window.center));
    data.text(0x0028, 0x1051, 'DS', String(options.window.width));
  }
  const rescale = options.rescale ?? { slope: 1, intercept: 0 };
  data.text(0x0028, 0x1052, 'DS', String(rescale.intercept));
  data.text(0x0028, 0x1053, 'DS', String(rescale.slope));
  if (!options.withoutPixels) {
    const pixels = Buffer.alloc(options.rows * options.columns * 2);
    for (let i = 0; i < options.rows * options.columns; i++) {
      const value = options.pixels[i] ?? 0;
      if (signed) pixels.writeInt16LE(value, i * 2);
      else pixels.writeUInt16LE(value, i * 2);
    }
    if (syntax === 'rle') data.raw(0x7fe0, 0x0010, 'OB', encapsulate(rleEncodeFrame(pixels, options.rows * options.columns)), true);
    else if (syntax === 'jpeg-lossless') {
      const stored = Array.from({ length: options.rows * options.columns }, (_, i) => pixels.readUInt16LE(i * 2));
      data.raw(0x7fe0, 0x0010, 'OB', encapsulate(evenLength(encodeJpegLossless(stored, options.rows, options.columns))), true);
    } else if (syntax === 'jpeg-ls' || syntax === 'jpeg-2000') {
      data.raw(0x7fe0, 0x0010, 'OB', encapsulate(evenLength(encodeWithWasm(syntax, pixels, { width: options.columns, height: options.rows, bitsPerSample: 16, componentCount: 1, isSigned: signed }))), true);
    }
    else data.raw(0x7fe0, 0x0010, 'OW', pixels);
  }

  const dataSet = syntax === 'deflated' ? deflateRawSync(data.bytes()) : data.bytes();
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), metaLength.bytes(), metaBody, dataSet]);
}

/** Items of undefined length, each with empty private elements and, while depth lasts, a nested sequence; then the delimiter. */
function privateSequenceItems(shape: { items: number; elementsPerItem: number; depth?: number }, explicit: boolean): Buffer {
  const tag = (group: number, element: number, length: number): Buffer => {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt16LE(group, 0);
    bytes.writeUInt16LE(element, 2);
    bytes.writeUInt32LE(length, 4);
    return bytes;
  };
  const items: Buffer[] = [];
  for (let i = 0; i < shape.items; i++) {
    const item = new ElementWriter(explicit);
    for (let e = 0; e < shape.elementsPerItem; e++) item.raw(0x000b, 0x1010 + e, 'LO', Buffer.alloc(0));
    if ((shape.depth ?? 1) > 1) item.raw(0x000b, 0x1001, 'SQ', privateSequenceItems({ ...shape, items: 1, depth: (shape.depth ?? 1) - 1 }, explicit), true);
    items.push(tag(0xfffe, 0xe000, 0xffffffff), item.bytes(), tag(0xfffe, 0xe00d, 0));
  }
  return Buffer.concat([...items, tag(0xfffe, 0xe0dd, 0)]);
}

/** A uniform image: every pixel the same stored value, with a brighter square in one corner to show orientation. */
export function uniformPixels(rows: number, columns: number, value: number, marker = value + 500): number[] {
  const pixels: number[] = [];
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) pixels.push(x < columns / 4 && y < rows / 4 ? marker : value);
  }
  return pixels;
}

/** A CT-like series: slice i has stored value base + i × step everywhere (but the marker). */
export function dicomSeries(
  count: number,
  options: { rows?: number; columns?: number; base?: number; step?: number; seriesUid?: string; transferSyntaxFor?: (index: number) => TransferSyntax } = {},
): Buffer[] {
  const rows = options.rows ?? 64;
  const columns = options.columns ?? 64;
  const seriesUid = options.seriesUid ?? newUid();
  return Array.from({ length: count }, (_, i) =>
    dicomImage({
      rows,
      columns,
      pixels: uniformPixels(rows, columns, (options.base ?? -200) + i * (options.step ?? 100)),
      seriesUid,
      instanceNumber: i + 1,
      position: i * 2.5,
      window: { center: 40, width: 400 },
      rescale: { slope: 1, intercept: 0 },
      transferSyntax: options.transferSyntaxFor?.(i) ?? 'explicit-little',
    }),
  );
}

/** A zip as an imaging portal exports one: the images, plus files that are not images. */
export function studyZip(files: { name: string; bytes: Buffer }[], options: { compress?: boolean } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const file of files) zip.addBuffer(file.bytes, file.name, { compress: options.compress ?? true });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** DICOM RLE: the frame split into byte planes (most significant first), each PackBits-encoded. */
function rleEncodeFrame(littleEndianPixels: Buffer, pixelCount: number): Buffer {
  const planes = [1, 0].map((byteIndex) => {
    const plane = Buffer.alloc(pixelCount);
    for (let i = 0; i < pixelCount; i++) plane[i] = littleEndianPixels[i * 2 + byteIndex] ?? 0;
    return packBits(plane);
  });
  const header = Buffer.alloc(64);
  header.writeUInt32LE(planes.length, 0);
  let offset = 64;
  planes.forEach((plane, i) => {
    header.writeUInt32LE(offset, 4 + i * 4);
    offset += plane.length;
  });
  return evenLength(Buffer.concat([header, ...planes]));
}

/** DICOM items have even lengths. */
function evenLength(bytes: Buffer): Buffer {
  return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(1)]);
}

function packBits(data: Buffer): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 2) {
      out.push(257 - run, data[i] ?? 0);
      i += run;
      continue;
    }
    const start = i;
    while (i < data.length && i - start < 128 && !(i + 1 < data.length && data[i + 1] === data[i])) i++;
    if (i === start) i++;
    out.push(i - start - 1, ...data.subarray(start, i));
  }
  return Buffer.from(out);
}

/** Encapsulated pixel data: an empty offset table item, one fragment per frame, a sequence delimiter. */
function encapsulate(frame: Buffer): Buffer {
  const item = (bytes: Buffer): Buffer => {
    const header = Buffer.alloc(8);
    header.writeUInt16LE(0xfffe, 0);
    header.writeUInt16LE(0xe000, 2);
    header.writeUInt32LE(bytes.length, 4);
    return Buffer.concat([header, bytes]);
  };
  const delimiter = Buffer.alloc(8);
  delimiter.writeUInt16LE(0xfffe, 0);
  delimiter.writeUInt16LE(0xe0dd, 2);
  return Buffer.concat([item(Buffer.alloc(0)), item(frame), delimiter]);
}
