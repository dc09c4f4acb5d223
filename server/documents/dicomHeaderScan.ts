// Finds where a DICOM data set's header ends (the top-level Pixel Data
// element) by walking element headers only, counting every element (items
// and nested elements included) against a budget, and building nothing.
//
// Why: dicom-parser builds an object per element and its cost grows faster
// than linearly with their number (2 million empty private elements took it
// ~20 s). The walk is linear and cheap, so a file made of millions of tiny
// elements is refused here before dicom-parser ever sees it, and dicom-parser
// is then given only the header, never the pixels.
//
// The walk follows dicom-parser's own reading rules (which VRs have 4-byte
// lengths, how undefined lengths end), so that it stops where dicom-parser
// would find Pixel Data.

export interface HeaderBudget {
  /** Elements at every depth, items and delimiters included. */
  maxElements: number;
  /** Sequences within sequences. */
  maxDepth: number;
}

export type HeaderScan =
  /** `headerEnd`: the offset just after the Pixel Data element's own header (tag, VR, length). */
  | { kind: 'found'; headerEnd: number; elements: number }
  /** The data set holds no top-level Pixel Data (a report, a DICOMDIR). */
  | { kind: 'no-pixel-data'; elements: number }
  /** The bytes given end before the header does: read more, or the file is cut short. */
  | { kind: 'needs-more' };

export type HeaderProblem = 'too-many-elements' | 'too-deep' | 'header-too-large' | 'malformed';

/** Thrown when the header breaks the budget or its own structure. */
export class HeaderRefused extends Error {
  override name = 'HeaderRefused';
  readonly problem: HeaderProblem;

  constructor(problem: HeaderProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

export type DataSetEncoding = { explicit: boolean; littleEndian: boolean };

/** Transfer syntaxes whose data set encoding differs from explicit VR little endian. */
export function encodingOf(transferSyntaxUid: string): DataSetEncoding {
  if (transferSyntaxUid === '1.2.840.10008.1.2') return { explicit: false, littleEndian: true };
  if (transferSyntaxUid === '1.2.840.10008.1.2.2') return { explicit: true, littleEndian: false };
  return { explicit: true, littleEndian: true };
}

export const deflatedTransferSyntaxUid = '1.2.840.10008.1.2.1.99';

/** Part 10 file meta: after the 128-byte preamble and "DICM", group 0002 in explicit VR little endian. */
export function scanFileMeta(bytes: Uint8Array): { transferSyntaxUid: string; dataSetStart: number } | 'needs-more' {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let position = 132;
  let transferSyntaxUid: string | undefined;
  while (true) {
    if (position + 8 > bytes.length) return 'needs-more';
    if (view.getUint16(position, true) !== 0x0002) break;
    const element = view.getUint16(position + 2, true);
    const vr = String.fromCharCode(bytes[position + 4] ?? 0, bytes[position + 5] ?? 0);
    let length: number;
    let header: number;
    if (fourByteLengthVrs.has(vr)) {
      if (position + 12 > bytes.length) return 'needs-more';
      length = view.getUint32(position + 8, true);
      header = 12;
    } else {
      length = view.getUint16(position + 6, true);
      header = 8;
    }
    if (length === undefinedLength || length > 1024 * 1024) throw new HeaderRefused('malformed', 'the file meta information is damaged');
    if (position + header + length > bytes.length) return 'needs-more';
    if (element === 0x0010) {
      transferSyntaxUid = Buffer.from(bytes.subarray(position + header, position + header + length)).toString('latin1').replace(/[\0 ]+$/, '');
    }
    position += header + length;
  }
  if (transferSyntaxUid === undefined) throw new HeaderRefused('malformed', 'the file does not say how its data is encoded (no transfer syntax)');
  return { transferSyntaxUid, dataSetStart: position };
}

/** As dicom-parser's readDicomElementExplicit decides: these VRs carry a 4-byte length. */
const fourByteLengthVrs = new Set(['OB', 'OD', 'OL', 'OW', 'SQ', 'OF', 'UC', 'UR', 'UT', 'UN']);
const undefinedLength = 0xffffffff;
const pixelDataTag = 0x7fe00010;
const itemTag = 0xfffee000;
const itemDelimiterTag = 0xfffee00d;
const sequenceDelimiterTag = 0xfffee0dd;

/** Ran out of the bytes given (not necessarily of the file). */
class OutOfBytes extends Error {}

/**
 * Walks the data set that starts at `start` in `bytes`: a prefix of it, or
 * all of it (`complete`). Throws HeaderRefused when the budget or the
 * structure is broken.
 */
export function scanDataSet(bytes: Uint8Array, start: number, encoding: DataSetEncoding, budget: HeaderBudget, complete: boolean): HeaderScan {
  const walker = new Walker(bytes, encoding.littleEndian, budget);
  try {
    return walker.topLevel(start, encoding.explicit, complete);
  } catch (error) {
    if (!(error instanceof OutOfBytes)) throw error;
    if (complete) throw new HeaderRefused('malformed', 'the file ends in the middle of a data element');
    return { kind: 'needs-more' };
  }
}

interface ElementHeader {
  tag: number;
  vr: string | undefined;
  length: number;
  /** Where the value starts. */
  valueStart: number;
}

class Walker {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #littleEndian: boolean;
  readonly #budget: HeaderBudget;
  #elements = 0;

  constructor(bytes: Uint8Array, littleEndian: boolean, budget: HeaderBudget) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#littleEndian = littleEndian;
    this.#budget = budget;
  }

  /** `complete`: `bytes` hold the whole data set, so ending between elements means there is no Pixel Data. */
  topLevel(start: number, explicit: boolean, complete: boolean): HeaderScan {
    let position = start;
    while (position < this.#bytes.length) {
      const element = this.#element(position, explicit);
      if (element.tag === pixelDataTag) return { kind: 'found', headerEnd: element.valueStart, elements: this.#elements };
      // Elements come in ascending tag order: past Pixel Data's tag there is none.
      if (element.tag > pixelDataTag) return { kind: 'no-pixel-data', elements: this.#elements };
      position = this.#skipValue(element, explicit, 0);
    }
    if (complete && position === this.#bytes.length) return { kind: 'no-pixel-data', elements: this.#elements };
    throw new OutOfBytes();
  }

  #count(): void {
    this.#elements += 1;
    if (this.#elements > this.#budget.maxElements) {
      throw new HeaderRefused('too-many-elements', `the file has more than ${this.#budget.maxElements} data elements`);
    }
  }

  #need(position: number, length: number): void {
    if (position + length > this.#bytes.length) throw new OutOfBytes();
  }

  #uint16(position: number): number {
    this.#need(position, 2);
    return this.#view.getUint16(position, this.#littleEndian);
  }

  #uint32(position: number): number {
    this.#need(position, 4);
    return this.#view.getUint32(position, this.#littleEndian);
  }

  #tag(position: number): number {
    return ((this.#uint16(position) << 16) | this.#uint16(position + 2)) >>> 0;
  }

  #element(position: number, explicit: boolean): ElementHeader {
    this.#count();
    const tag = this.#tag(position);
    if (!explicit || tag >>> 16 === 0xfffe) {
      return { tag, vr: undefined, length: this.#uint32(position + 4), valueStart: position + 8 };
    }
    this.#need(position + 4, 2);
    const vr = String.fromCharCode(this.#bytes[position + 4] ?? 0, this.#bytes[position + 5] ?? 0);
    if (fourByteLengthVrs.has(vr)) return { tag, vr, length: this.#uint32(position + 8), valueStart: position + 12 };
    return { tag, vr, length: this.#uint16(position + 6), valueStart: position + 8 };
  }

  /** Where the element's value ends, counting whatever it nests. */
  #skipValue(element: ElementHeader, explicit: boolean, depth: number): number {
    const { length, valueStart } = element;
    const defined = length !== undefinedLength;
    if (explicit && element.vr === 'SQ') return this.#sequence(valueStart, defined ? valueStart + length : undefined, true, depth + 1);
    if (explicit && !defined && element.tag === pixelDataTag) return this.#fragments(valueStart);
    if (explicit && !defined && element.vr === 'UN') return this.#sequence(valueStart, undefined, false, depth + 1);
    if (!explicit && this.#startsSequence(valueStart) && (!defined || !isPrivate(element.tag))) {
      return this.#sequence(valueStart, defined ? valueStart + length : undefined, false, depth + 1);
    }
    if (!defined) return this.#findItemDelimiter(valueStart);
    this.#need(valueStart, length);
    return valueStart + length;
  }

  #startsSequence(position: number): boolean {
    if (position + 4 > this.#bytes.length) return false;
    const next = this.#tag(position);
    return next === itemTag || next === sequenceDelimiterTag;
  }

  /** Items until `end`, or until the sequence delimiter when the length is undefined. */
  #sequence(start: number, end: number | undefined, explicit: boolean, depth: number): number {
    if (depth > this.#budget.maxDepth) throw new HeaderRefused('too-deep', `the file nests sequences more than ${this.#budget.maxDepth} deep`);
    let position = start;
    while (end === undefined || position < end) {
      const tag = this.#tag(position);
      if (end === undefined && tag === sequenceDelimiterTag) {
        this.#count();
        return position + 8;
      }
      if (tag !== itemTag) throw new HeaderRefused('malformed', 'a sequence holds something that is not an item');
      this.#count();
      const itemLength = this.#uint32(position + 4);
      position = this.#dataSet(position + 8, itemLength === undefinedLength ? undefined : position + 8 + itemLength, explicit, depth);
    }
    if (position !== end) throw new HeaderRefused('malformed', 'a sequence is longer than it says');
    return position;
  }

  /** A nested data set, until `end` or its item delimiter. */
  #dataSet(start: number, end: number | undefined, explicit: boolean, depth: number): number {
    let position = start;
    while (end === undefined || position < end) {
      const element = this.#element(position, explicit);
      if (end === undefined && element.tag === itemDelimiterTag) return position + 8;
      position = this.#skipValue(element, explicit, depth);
    }
    if (position !== end) throw new HeaderRefused('malformed', 'an item is longer than it says');
    return position;
  }

  /** Encapsulated pixel data nested in a sequence (an icon): fragments until the delimiter. */
  #fragments(start: number): number {
    let position = start;
    while (true) {
      this.#count();
      const tag = this.#tag(position);
      const length = this.#uint32(position + 4);
      position += 8;
      if (tag === sequenceDelimiterTag) return position + length;
      if (tag !== itemTag) throw new HeaderRefused('malformed', 'encapsulated pixel data holds something that is not a fragment');
      this.#need(position, length);
      position += length;
    }
  }

  /** As dicom-parser does for an undefined length that is not a sequence: look for the item delimiter, step by step as it does. */
  #findItemDelimiter(start: number): number {
    let position = start;
    while (position + 8 <= this.#bytes.length) {
      const group = this.#uint16(position);
      position += 2;
      if (group !== 0xfffe) continue;
      const element = this.#uint16(position);
      position += 2;
      if (element === 0xe00d) return position + 4;
    }
    throw new OutOfBytes();
  }
}

function isPrivate(tag: number): boolean {
  return (tag >>> 16) % 2 === 1;
}
