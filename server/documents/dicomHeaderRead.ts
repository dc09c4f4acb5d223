// Reads a DICOM file's header and nothing more: a prefix that grows (64 KiB,
// then four times larger each step) until the walk in dicomHeaderScan finds
// Pixel Data, never past `maxHeaderBytes`. A file of any size costs at most
// that much memory; the pixels are never read. A deflated data set is
// inflated as a stream and stopped at the same bound, so a deflate bomb
// inflates no further than an honest header would.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import {
  deflatedTransferSyntaxUid,
  encodingOf,
  HeaderRefused,
  scanDataSet,
  scanFileMeta,
  type DataSetEncoding,
  type HeaderBudget,
  type HeaderScan,
} from './dicomHeaderScan';

export interface HeaderLimits extends HeaderBudget {
  /** The most of a file (or of its inflated data set) read to find where its header ends. */
  maxHeaderBytes: number;
}

export interface DicomHeader {
  /** The data set's bytes up to the end of the Pixel Data element's header (or all of them when there is none). */
  bytes: Uint8Array;
  /** Where the data set starts in `bytes` (after the file meta; 0 for an inflated one). */
  dataSetStart: number;
  encoding: DataSetEncoding;
  scan: Exclude<HeaderScan, { kind: 'needs-more' }>;
  /** How much of the file was read: the measure of "only what it needs". */
  bytesRead: number;
}

const firstRead = 64 * 1024;

export async function readDicomHeader(path: string, limits: HeaderLimits): Promise<DicomHeader> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    let prefix = Buffer.alloc(0);
    const readUpTo = async (length: number): Promise<void> => {
      const target = Math.min(size, length);
      if (target <= prefix.length) return;
      const more = Buffer.alloc(target - prefix.length);
      const { bytesRead } = await file.read(more, 0, more.length, prefix.length);
      prefix = Buffer.concat([prefix, more.subarray(0, bytesRead)]);
    };
    const grow = async (): Promise<void> => {
      if (prefix.length >= size) throw new HeaderRefused('malformed', 'the file ends before its header does');
      if (prefix.length >= limits.maxHeaderBytes) throw headerTooLarge(limits);
      await readUpTo(Math.min(limits.maxHeaderBytes, Math.max(firstRead, prefix.length * 4)));
    };

    await readUpTo(firstRead);
    let meta = scanFileMeta(prefix);
    while (meta === 'needs-more') {
      await grow();
      meta = scanFileMeta(prefix);
    }
    if (meta.transferSyntaxUid === deflatedTransferSyntaxUid) {
      const inflated = await readInflatedHeader(path, meta.dataSetStart, limits);
      return { ...inflated, bytesRead: Math.min(size, inflated.bytesRead) };
    }
    const encoding = encodingOf(meta.transferSyntaxUid);
    while (true) {
      const scan = scanDataSet(prefix, meta.dataSetStart, encoding, limits, prefix.length >= size);
      if (scan.kind !== 'needs-more') {
        const end = scan.kind === 'found' ? scan.headerEnd : prefix.length;
        return { bytes: prefix.subarray(0, end), dataSetStart: meta.dataSetStart, encoding, scan, bytesRead: prefix.length };
      }
      await grow();
    }
  } finally {
    await file.close();
  }
}

/** Inflates the data set as a stream, scanning at each growth step, and stops as soon as the header is found. */
async function readInflatedHeader(path: string, dataSetStart: number, limits: HeaderLimits): Promise<DicomHeader> {
  const encoding: DataSetEncoding = { explicit: true, littleEndian: true };
  const source = createReadStream(path, { start: dataSetStart });
  const inflater = createInflateRaw();
  source.pipe(inflater);
  const chunks: Buffer[] = [];
  let inflatedBytes = 0;
  let nextScanAt = firstRead;
  const scanNow = (complete: boolean): DicomHeader | undefined => {
    const bytes = Buffer.concat(chunks).subarray(0, Math.min(inflatedBytes, limits.maxHeaderBytes));
    const scan = scanDataSet(bytes, 0, encoding, limits, complete);
    if (scan.kind === 'needs-more') return undefined;
    const end = scan.kind === 'found' ? scan.headerEnd : bytes.length;
    return { bytes: bytes.subarray(0, end), dataSetStart: 0, encoding, scan, bytesRead: dataSetStart + source.bytesRead };
  };
  try {
    for await (const chunk of inflater) {
      chunks.push(chunk as Buffer);
      inflatedBytes += (chunk as Buffer).length;
      if (inflatedBytes < nextScanAt) continue;
      const found = scanNow(false);
      if (found) return found;
      if (inflatedBytes >= limits.maxHeaderBytes) throw headerTooLarge(limits);
      nextScanAt = Math.min(limits.maxHeaderBytes, nextScanAt * 4);
    }
  } catch (error) {
    if (error instanceof HeaderRefused) throw error;
    throw new HeaderRefused('malformed', 'the compressed data set cannot be inflated');
  } finally {
    source.destroy();
    inflater.destroy();
  }
  const found = scanNow(true);
  if (!found) throw new HeaderRefused('malformed', 'the file ends before its header does');
  return found;
}

function headerTooLarge(limits: HeaderLimits): HeaderRefused {
  return new HeaderRefused('header-too-large', `the file's header is larger than ${limits.maxHeaderBytes} bytes`);
}
