// A DICOM study often arrives as a .zip (what imaging CDs and portals
// export). We unpack its DICOM images, each into a file named by us, and
// leave out everything else (DICOMDIR indexes, viewers, readme files).
// Sizes are checked before anything is written, so a zip bomb is refused
// instead of filling the disk.
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { compareInstances, inspectDicomFile, type InspectedInstance } from './dicomInspector';
import { ApiRefusal } from '../http/apiRefusal';

/** More entries than any study we expect; a guard against archives made to exhaust us. */
const maxEntries = 20_000;

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

export async function unpackStudy(zipPath: string, intoDir: string, budgetBytes: number): Promise<UnpackedStudy> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    throw new ApiRefusal('unsupported-type', `this zip archive cannot be read (${String((error as Error).message ?? error)})`);
  }
  const images: UnpackedImage[] = [];
  let bytes = 0;
  let skipped = 0;
  let entries = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      entries += 1;
      if (entries > maxEntries) throw new ApiRefusal('unsupported-type', `this archive holds more than ${maxEntries} files`);
      if (entry.isEncrypted()) throw new ApiRefusal('unsupported-type', 'this archive is password-protected; upload it without a password');
      if (entry.uncompressedSize < 132) {
        skipped += 1;
        continue;
      }
      if (bytes + entry.uncompressedSize > budgetBytes) {
        throw new ApiRefusal('storage-full', 'the unpacked study is larger than the space left for this consult');
      }
      const fileName = `${images.length}.dcm`;
      const path = join(intoDir, fileName);
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      const instance = (await hasDicomPreamble(path)) ? await inspectDicomFile(path).catch(() => undefined) : undefined;
      if (!instance) {
        await rm(path, { force: true });
        skipped += 1;
        continue;
      }
      images.push({ fileName, bytes: entry.uncompressedSize, instance });
      bytes += entry.uncompressedSize;
    }
  } catch (error) {
    zip.close();
    if (error instanceof ApiRefusal) throw error;
    throw new ApiRefusal('unsupported-type', `this zip archive is damaged (${String((error as Error).message ?? error)})`);
  }
  if (images.length === 0) throw new ApiRefusal('unsupported-type', 'this zip archive holds no DICOM images');
  images.sort((a, b) => compareInstances(a.instance, b.instance));
  return { images, bytes, skipped };
}

/** DICOM Part 10 files carry "DICM" after a 128-byte preamble. */
async function hasDicomPreamble(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 128);
    return bytesRead === 4 && head.toString('latin1') === 'DICM';
  } finally {
    await file.close();
  }
}
