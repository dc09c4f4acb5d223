// A consult's documents on disk: takes in uploads (streamed, size-checked,
// typed by their bytes, DICOM studies unpacked), keeps each under a name the
// server chose in $DATA_DIR/documents/<consultId>/, and removes them again.
// Metadata goes to the DocumentStore in the same step, so a file and its row
// exist together or not at all.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Role } from '../../shared/schemas';
import type { Logger } from '../logger';
import { inspectDicomFile } from './dicomInspector';
import { ApiRefusal } from '../http/apiRefusal';
import type { DicomInstanceRecord, DocumentRecord, DocumentStore } from './documentStore';
import { detectDocumentType } from './fileType';
import { unpackStudy } from './studyArchive';
import { receiveUpload } from './uploadReceiver';

export interface DocumentLimits {
  /** Per file, as uploaded. */
  maxUploadBytes: number;
  /** All of a consult's documents together, as stored (studies unpacked). */
  maxConsultBytes: number;
}

export interface Uploader {
  role: Role;
  displayName: string;
  /** The invite link it came through; null for the doctor. */
  linkId: string | null;
}

export interface IngestedDocument {
  document: DocumentRecord;
  /** Files in a study archive that were not DICOM images and were left out. */
  skippedFiles: number;
}

type StoredInstance = Omit<DicomInstanceRecord, 'index'>;

export class DocumentLibrary {
  readonly store: DocumentStore;
  readonly limits: DocumentLimits;
  readonly #root: string;
  readonly #incoming: string;
  readonly #logger: Logger;

  constructor(store: DocumentStore, dataDir: string, limits: DocumentLimits, logger: Logger) {
    this.store = store;
    this.limits = limits;
    this.#root = join(dataDir, 'documents');
    this.#incoming = join(this.#root, '.incoming');
    this.#logger = logger;
    // Uploads cut short by a crash or restart leave partial files behind; they belong to no one.
    mkdirSync(this.#root, { recursive: true, mode: 0o700 });
    rmSync(this.#incoming, { recursive: true, force: true });
  }

  /** Room left for a consult's documents, in bytes. */
  remainingBytes(consultId: string): number {
    return Math.max(0, this.limits.maxConsultBytes - this.store.storedBytesOf(consultId));
  }

  /**
   * Receives one file. `declaredBytes` (Content-Length) lets an oversized
   * upload be refused before a byte of it is read; without it the limit
   * still holds, counted while the body streams in.
   */
  async ingest(consultId: string, uploader: Uploader, name: string, body: Readable, declaredBytes: number | undefined): Promise<IngestedDocument> {
    const remaining = this.remainingBytes(consultId);
    const maxBytes = Math.min(this.limits.maxUploadBytes, remaining);
    const refusal = (): ApiRefusal =>
      maxBytes < this.limits.maxUploadBytes
        ? new ApiRefusal('storage-full', `this consult has ${remaining} bytes of space left for documents`)
        : new ApiRefusal('file-too-large', `a file may be at most ${this.limits.maxUploadBytes} bytes`);
    if (maxBytes <= 0 || (declaredBytes !== undefined && declaredBytes > maxBytes)) throw refusal();

    await mkdir(this.#incoming, { recursive: true, mode: 0o700 });
    const incoming = join(this.#incoming, randomUUID());
    const sizeBytes = await receiveUpload(body, incoming, { maxBytes, refusal });
    const id = randomUUID();
    const consultDir = join(this.#root, consultId);
    const written: string[] = [incoming];
    try {
      const type = await detectDocumentType(incoming);
      await mkdir(consultDir, { recursive: true, mode: 0o700 });
      const storedName = `${id}.${type.extension}`;
      let storedBytes = sizeBytes;
      let instances: StoredInstance[] = [];
      let skippedFiles = 0;

      if (type.kind === 'dicom') {
        instances = [{ ...(await inspectDicomFile(incoming)), storedName }];
      } else if (type.kind === 'study-archive') {
        const studyDir = `${id}.study`;
        written.push(join(consultDir, studyDir));
        await mkdir(join(consultDir, studyDir), { mode: 0o700 });
        const study = await unpackStudy(incoming, join(consultDir, studyDir), remaining - sizeBytes);
        instances = study.images.map((image) => ({ ...image.instance, storedName: `${studyDir}/${image.fileName}` }));
        storedBytes += study.bytes;
        skippedFiles = study.skipped;
      }

      written.push(join(consultDir, storedName));
      await rename(incoming, join(consultDir, storedName));
      // Another upload may have finished meanwhile: the quota holds for the sum.
      if (storedBytes > this.remainingBytes(consultId)) {
        throw new ApiRefusal('storage-full', 'there is not enough space left for this consult’s documents');
      }
      const document = this.store.add(
        {
          id,
          consultId,
          kind: type.kind === 'study-archive' ? 'dicom' : type.kind,
          mediaType: type.mediaType,
          originalName: name,
          sizeBytes,
          storedBytes,
          storedName,
          uploader,
          interpreterAllowed: false,
        },
        instances,
      );
      this.#logger.info({ consultId, documentId: id, kind: document.kind, sizeBytes, images: instances.length }, 'document stored');
      return { document, skippedFiles };
    } catch (error) {
      await Promise.all(written.map((path) => rm(path, { recursive: true, force: true })));
      throw error;
    }
  }

  /** The file as uploaded. */
  filePath(document: DocumentRecord): string {
    return join(this.#root, document.consultId, document.storedName);
  }

  /** One image of a DICOM document, or undefined if there is no such index. */
  instancePath(document: DocumentRecord, index: number): string | undefined {
    const instance = this.store.instance(document.id, index);
    return instance ? join(this.#root, document.consultId, instance.storedName) : undefined;
  }

  async remove(document: DocumentRecord): Promise<void> {
    this.store.remove(document.id);
    await rm(this.filePath(document), { force: true });
    await rm(join(this.#root, document.consultId, `${document.id}.study`), { recursive: true, force: true });
    this.#logger.info({ consultId: document.consultId, documentId: document.id }, 'document removed');
  }
}
