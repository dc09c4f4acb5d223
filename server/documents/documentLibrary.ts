// A consult's documents on disk: takes in uploads (streamed, size-checked,
// typed by their bytes, DICOM studies unpacked), keeps each under a name the
// server chose in $DATA_DIR/documents/<consultId>/, and removes them again.
// Metadata goes to the DocumentStore in the same step, so a file and its row
// exist together or not at all. Reading DICOM headers and unpacking zips is
// done by the checking pool's worker threads; bytes are reserved in the
// consult's quota before they are written (QuotaLedger).
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Role } from '../../shared/schemas';
import type { Logger } from '../logger';
import { checkTimeBudgetMs } from './checkingLimits';
import type { CheckingPool } from './checkingPool';
import type { DicomInstanceRecord, DocumentRecord, DocumentStore } from './documentStore';
import { detectDocumentType } from './fileType';
import { QuotaLedger, type QuotaReservation } from './quotaLedger';
import type { ArchiveLimits } from './studyArchive';
import { receiveUpload } from './uploadReceiver';
import { Refusal } from '../../shared/refusals';

export interface DocumentLimits {
  /** Per file, as uploaded. */
  maxUploadBytes: number;
  /** All of a consult's documents together, as stored (studies unpacked). */
  maxConsultBytes: number;
  /** Per file inside a study zip, unpacked. */
  maxArchiveEntryBytes: number;
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

interface CheckedContent {
  instances: StoredInstance[];
  /** Bytes written besides the upload itself (an unpacked study). */
  extraBytes: number;
  skippedFiles: number;
}

export class DocumentLibrary {
  readonly store: DocumentStore;
  readonly limits: DocumentLimits;
  readonly #root: string;
  readonly #incoming: string;
  readonly #checking: CheckingPool;
  readonly #quota: QuotaLedger;
  readonly #logger: Logger;

  constructor(store: DocumentStore, dataDir: string, limits: DocumentLimits, checking: CheckingPool, logger: Logger) {
    this.store = store;
    this.limits = limits;
    this.#root = join(dataDir, 'documents');
    this.#incoming = join(this.#root, '.incoming');
    this.#checking = checking;
    this.#quota = new QuotaLedger(limits.maxConsultBytes, (consultId) => store.storedBytesOf(consultId));
    this.#logger = logger;
    // Uploads cut short by a crash or restart leave partial files behind; they belong to no one.
    mkdirSync(this.#root, { recursive: true, mode: 0o700 });
    rmSync(this.#incoming, { recursive: true, force: true });
  }

  /** Room left for a consult's documents, in bytes (uploads in progress hold theirs). */
  remainingBytes(consultId: string): number {
    return this.#quota.remaining(consultId);
  }

  /**
   * Receives one file. `declaredBytes` (Content-Length) lets an oversized
   * upload be refused before a byte of it is read; without it the limit
   * still holds, counted while the body streams in.
   */
  async ingest(consultId: string, uploader: Uploader, name: string, body: Readable, declaredBytes: number | undefined): Promise<IngestedDocument> {
    const tooLarge = (): Refusal => new Refusal('file-too-large', `a file may be at most ${this.limits.maxUploadBytes} bytes`);
    if (declaredBytes !== undefined && declaredBytes > this.limits.maxUploadBytes) throw tooLarge();
    const remaining = this.remainingBytes(consultId);
    if (remaining <= 0 || (declaredBytes !== undefined && declaredBytes > remaining)) {
      throw new Refusal('storage-full', `this consult has ${remaining} bytes of space left for documents`);
    }

    const reservation = this.#quota.open(consultId);
    const written: string[] = [];
    try {
      // A declared size is reserved whole at once, so uploads side by side each know at the start whether they fit;
      // without one, bytes are reserved as they arrive.
      let reserved = declaredBytes ?? 0;
      reservation.grow(reserved);
      let received = 0;
      const reserveArriving = (bytes: number): void => {
        received += bytes;
        if (received <= reserved) return;
        reservation.grow(received - reserved);
        reserved = received;
      };
      await mkdir(this.#incoming, { recursive: true, mode: 0o700 });
      const incoming = join(this.#incoming, randomUUID());
      written.push(incoming);
      const sizeBytes = await receiveUpload(body, incoming, { maxBytes: this.limits.maxUploadBytes, refusal: tooLarge, reserve: reserveArriving });
      const id = randomUUID();
      const type = await detectDocumentType(incoming);
      const consultDir = join(this.#root, consultId);
      await mkdir(consultDir, { recursive: true, mode: 0o700 });
      const storedName = `${id}.${type.extension}`;
      let content: CheckedContent = { instances: [], extraBytes: 0, skippedFiles: 0 };
      if (type.kind === 'dicom') {
        const instance = await this.#checking.run({ kind: 'inspect-dicom', path: incoming }, checkTimeBudgetMs.file);
        content = { instances: [{ ...instance, storedName }], extraBytes: 0, skippedFiles: 0 };
      } else if (type.kind === 'study-archive') {
        const studyDir = `${id}.study`;
        written.push(join(consultDir, studyDir));
        content = await this.#unpack(incoming, join(consultDir, studyDir), studyDir, reservation);
      }

      written.push(join(consultDir, storedName));
      await rename(incoming, join(consultDir, storedName));
      const document = this.store.add(
        {
          id,
          consultId,
          kind: type.kind === 'study-archive' ? 'dicom' : type.kind,
          mediaType: type.mediaType,
          originalName: name,
          sizeBytes,
          storedBytes: sizeBytes + content.extraBytes,
          storedName,
          uploader,
          interpreterAllowed: false,
        },
        content.instances,
      );
      // Stored now: the bytes count as stored instead of reserved, in this same step.
      reservation.release();
      this.#logger.info({ consultId, documentId: id, kind: document.kind, sizeBytes, images: content.instances.length }, 'document stored');
      return { document, skippedFiles: content.skippedFiles };
    } catch (error) {
      reservation.release();
      await Promise.all(written.map((path) => rm(path, { recursive: true, force: true })));
      throw error;
    }
  }

  /** A study zip: plan (which entries are DICOM, what they unpack to), reserve that, then unpack and inspect. */
  async #unpack(zipPath: string, intoDir: string, studyDir: string, reservation: QuotaReservation): Promise<CheckedContent> {
    const limits: ArchiveLimits = { maxEntryBytes: this.limits.maxArchiveEntryBytes };
    const plan = await this.#checking.run({ kind: 'plan-archive', path: zipPath, limits }, checkTimeBudgetMs.file);
    try {
      reservation.grow(plan.bytes);
    } catch (error) {
      if (error instanceof Refusal) throw new Refusal('storage-full', 'the unpacked study is larger than the space left for this consult');
      throw error;
    }
    await mkdir(intoDir, { mode: 0o700 });
    const study = await this.#checking.run({ kind: 'unpack-archive', path: zipPath, intoDir, plan, limits }, checkTimeBudgetMs.archive);
    return {
      instances: study.images.map((image) => ({ ...image.instance, storedName: `${studyDir}/${image.fileName}` })),
      extraBytes: study.bytes,
      skippedFiles: study.skipped,
    };
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
