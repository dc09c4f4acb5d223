// Reads what the viewer needs to order and show a DICOM image (series,
// position, size), and refuses files that are not DICOM images. Nothing
// about the patient is read: names and dates stay inside the file.
//
// Only the header is read (dicomHeaderRead: a bounded prefix, its elements
// counted first), and dicom-parser parses only that prefix. This runs in the
// checking workers (checkingPool), never on the server's main thread.
// dicom-parser is a CommonJS bundle: Node sees only its default export.
import dicomParser, { type ByteArray, type ByteArrayParser, type DataSet } from 'dicom-parser';
import { dicomHeaderLimits } from './checkingLimits';
import { readDicomHeader, type DicomHeader, type HeaderLimits } from './dicomHeaderRead';
import { HeaderRefused } from './dicomHeaderScan';
import type { DicomInstanceRecord } from './documentStore';
import { Refusal } from '../../shared/refusals';

export type InspectedInstance = Omit<DicomInstanceRecord, 'index' | 'storedName'>;

/** Largest image side we accept: beyond any modality in use, and a guard against absurd headers. */
const maxSide = 16_384;
const maxFrames = 10_000;

const tags = {
  seriesUid: 'x0020000e',
  seriesNumber: 'x00200011',
  seriesDescription: 'x0008103e',
  modality: 'x00080060',
  instanceNumber: 'x00200013',
  imagePosition: 'x00200032',
  imageOrientation: 'x00200037',
  sliceLocation: 'x00201041',
  rows: 'x00280010',
  columns: 'x00280011',
  frames: 'x00280008',
  pixelData: 'x7fe00010',
} as const;

/** Not an image (a report, a DICOMDIR index): a study archive skips these. */
export class NotAnImage extends Refusal {
  constructor() {
    super('unsupported-type', 'this DICOM file holds no image (it may be a report or a DICOMDIR index)');
  }
}

/** dicom-parser exports its DataSet class at run time, but its type file declares only the interface. */
const DataSetClass = (dicomParser as unknown as { DataSet: new (parser: ByteArrayParser, bytes: ByteArray, elements: DataSet['elements']) => DataSet })
  .DataSet;

export async function inspectDicomFile(path: string, limits: HeaderLimits = dicomHeaderLimits): Promise<InspectedInstance> {
  let header: DicomHeader;
  try {
    header = await readDicomHeader(path, limits);
  } catch (error) {
    if (!(error instanceof HeaderRefused)) throw error;
    if (error.problem === 'malformed') throw new Refusal('unsupported-type', `this DICOM file cannot be read (${error.message})`);
    throw new Refusal('file-too-complex', `this DICOM file is more complex than the server checks: ${error.message}`);
  }
  if (header.scan.kind === 'no-pixel-data') throw new NotAnImage();
  return describe(parseHeader(header));
}

function parseHeader({ bytes, dataSetStart, encoding }: DicomHeader): DataSet {
  const parser = encoding.littleEndian ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser;
  const stream = new dicomParser.ByteStream(parser, bytes, dataSetStart);
  const dataSet = new DataSetClass(parser, bytes, {});
  dataSet.warnings = stream.warnings;
  const parse = encoding.explicit ? dicomParser.parseDicomDataSetExplicit : dicomParser.parseDicomDataSetImplicit;
  try {
    parse(dataSet, stream, bytes.length, { untilTag: tags.pixelData });
  } catch (error) {
    // dicom-parser throws strings as well as errors.
    const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unreadable';
    throw new Refusal('unsupported-type', `this DICOM file cannot be read (${reason.slice(0, 120)})`);
  }
  return dataSet;
}

function describe(dataSet: DataSet): InspectedInstance {
  if (!dataSet.elements[tags.pixelData]) throw new NotAnImage();
  const rows = dataSet.uint16(tags.rows) ?? 0;
  const columns = dataSet.uint16(tags.columns) ?? 0;
  const frames = dataSet.intString(tags.frames) ?? 1;
  if (rows < 1 || columns < 1 || rows > maxSide || columns > maxSide || !(frames >= 1 && frames <= maxFrames)) {
    throw new Refusal('unsupported-type', 'this DICOM image has an impossible size');
  }
  return {
    seriesUid: text(dataSet, tags.seriesUid) || 'unknown-series',
    seriesNumber: finiteOrNull(dataSet.intString(tags.seriesNumber)),
    seriesDescription: text(dataSet, tags.seriesDescription).slice(0, 128),
    modality: text(dataSet, tags.modality).slice(0, 16),
    instanceNumber: finiteOrNull(dataSet.intString(tags.instanceNumber)),
    slicePosition: slicePosition(dataSet),
    rows,
    columns,
    frames,
  };
}

/** Where the slice lies along the scan: its position projected on the slice normal, else SliceLocation. */
function slicePosition(dataSet: DataSet): number | null {
  const position = [0, 1, 2].map((i) => dataSet.floatString(tags.imagePosition, i));
  const orientation = [0, 1, 2, 3, 4, 5].map((i) => dataSet.floatString(tags.imageOrientation, i));
  if (position.every(isFiniteNumber) && orientation.every(isFiniteNumber)) {
    const [px, py, pz] = position as [number, number, number];
    const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
    const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx] as const;
    return px * normal[0] + py * normal[1] + pz * normal[2];
  }
  return finiteOrNull(dataSet.floatString(tags.sliceLocation));
}

function text(dataSet: DataSet, tag: string): string {
  try {
    // DICOM text is padded with NULs and may hold other controls: none of them belongs in what we show.
    // eslint-disable-next-line no-control-regex
    return (dataSet.string(tag) ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  } catch {
    return '';
  }
}

function isFiniteNumber(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function finiteOrNull(value: number | undefined): number | null {
  return isFiniteNumber(value) ? value : null;
}

/** Viewing order: by series, then instance number, then position along the scan. */
export function compareInstances(a: InspectedInstance, b: InspectedInstance): number {
  return (
    compareNullable(a.seriesNumber, b.seriesNumber) ||
    a.seriesUid.localeCompare(b.seriesUid) ||
    compareNullable(a.instanceNumber, b.instanceNumber) ||
    compareNullable(a.slicePosition, b.slicePosition)
  );
}

function compareNullable(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}
