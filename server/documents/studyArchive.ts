// A DICOM study often arrives as a .zip (what imaging CDs and portals
// export). We unpack its DICOM images, each into a file named by us, and
// leave out everything else (DICOMDIR indexes, viewers, readme files).
//
// Two steps, both in a checking worker: `planStudyArchive` finds the DICOM
// entries (by the first bytes of each, never unpacking the rest) and checks
// each against the entry limit and the compression ratio, so the server can
// reserve their total in the consult's quota before anything is written;
// `unpackStudy` then writes only those entries and inspects each. yauzl
// checks every entry's real size against the size it declares, so an entry
// cannot unpack to more than was planned and reserved.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { studyArchiveLimits } from './checkingLimits';
import { compareInstances, inspectDicomFile, type InspectedInstance } from './dicomInspector';
import { Refusal } from '../../shared/refusals';

export interface ArchiveLimits {
  /** The most one entry may unpack to. */
  maxEntryBytes: number;
}

/** The DICOM entries of an archive, by where their local header is (unique per entry). */
export interface ArchivePlan {
  entryOffsets: number[];
  /** What they unpack to together. */
  bytes: number;
  /** Entries that are not DICOM (or too small to be) and will be left out. */
  skipped: number;
}

export interface UnpackedImage {
  /** File name inside the folder given to unpackStudy. */
  fileName: string;
  bytes: number;
  instance: InspectedInstance;
}

export interface UnpackedStudy {
  /** In viewing order. */
  images: UnpackedImage[];
  bytes: number;
  /** Entries that were not DICOM images and were left out. */
  skipped: number;
}

/** Part 10 files carry "DICM" after a 128-byte preamble. */
const preambleBytes = 132;

export async function planStudyArchive(zipPath: string, limits: ArchiveLimits): Promise<ArchivePlan> {
  const entryOffsets: number[] = [];
  let bytes = 0;
  let skipped = 0;
  await eachEntry(zipPath, async (zip, entry) => {
    if (entry.uncompressedSize < preambleBytes || !(await startsAsDicom(zip, entry))) {
      skipped += 1;
      return;
    }
    checkEntrySize(entry, limits);
    entryOffsets.push(entry.relativeOffsetOfLocalHeader);
    bytes += entry.uncompressedSize;
  });
  if (entryOffsets.length === 0) throw new Refusal('unsupported-type', 'this zip archive holds no DICOM images');
  return { entryOffsets, bytes, skipped };
}

export async function unpackStudy(zipPath: string, intoDir: string, plan: ArchivePlan, limits: ArchiveLimits): Promise<UnpackedStudy> {
  const planned = new Set(plan.entryOffsets);
  const images: UnpackedImage[] = [];
  let bytes = 0;
  let skipped = plan.skipped;
  await eachEntry(zipPath, async (zip, entry) => {
    if (!planned.has(entry.relativeOffsetOfLocalHeader)) return;
    checkEntrySize(entry, limits);
    if (bytes + entry.uncompressedSize > plan.bytes) throw new Refusal('archive-unsafe', 'this archive unpacks to more than it declared');
    const fileName = `${images.length}.dcm`;
    const path = join(intoDir, fileName);
    await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    bytes += entry.uncompressedSize;
    const instance = await inspectDicomFile(path).catch((error: unknown) => {
      if (error instanceof Refusal) return undefined;
      throw error;
    });
    if (!instance) {
      await rm(path, { force: true });
      skipped += 1;
      return;
    }
    images.push({ fileName, bytes: entry.uncompressedSize, instance });
  });
  if (images.length === 0) throw new Refusal('unsupported-type', 'this zip archive holds no DICOM images');
  images.sort((a, b) => compareInstances(a.instance, b.instance));
  return { images, bytes: images.reduce((sum, image) => sum + image.bytes, 0), skipped };
}

/** Every file entry (folders left out) with the archive-wide checks; refusals keep their code, anything else means damage. */
async function eachEntry(zipPath: string, visit: (zip: yauzl.ZipFile, entry: yauzl.Entry) => Promise<void>): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    throw new Refusal('unsupported-type', `this zip archive cannot be read (${messageOf(error)})`);
  }
  let entries = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      entries += 1;
      if (entries > studyArchiveLimits.maxEntries) {
        throw new Refusal('archive-unsafe', `this archive holds more than ${studyArchiveLimits.maxEntries} files`);
      }
      if (entry.isEncrypted()) throw new Refusal('unsupported-type', 'this archive is password-protected; upload it without a password');
      await visit(zip, entry);
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal('unsupported-type', `this zip archive is damaged (${messageOf(error)})`);
  } finally {
    zip.close();
  }
}

function checkEntrySize(entry: yauzl.Entry, limits: ArchiveLimits): void {
  const { maxCompressionRatio, ratioCheckedAboveBytes } = studyArchiveLimits;
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    throw new Refusal('archive-unsafe', `a file in this archive unpacks to more than ${limits.maxEntryBytes} bytes`);
  }
  if (entry.uncompressedSize > ratioCheckedAboveBytes && entry.uncompressedSize > entry.compressedSize * maxCompressionRatio) {
    throw new Refusal('archive-unsafe', `a file in this archive unpacks to more than ${maxCompressionRatio} times its compressed size`);
  }
}

/** Reads only the first bytes of the entry (inflating no more than that) and looks for "DICM". */
async function startsAsDicom(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<boolean> {
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= preambleBytes) break;
    }
  } finally {
    stream.destroy();
  }
  const head = Buffer.concat(chunks);
  return head.length >= preambleBytes && head.toString('latin1', 128, 132) === 'DICM';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
