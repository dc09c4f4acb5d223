// Uploaded documents, the images of DICOM studies, and annotations, in the
// database. The files themselves are the DocumentLibrary's business.
import { randomUUID } from 'node:crypto';
import type {
  AddAnnotationRequest,
  Annotation,
  AnnotationShape,
  AnnotationTarget,
  DicomManifest,
  DicomSeriesInfo,
  DocumentKind,
  DocumentMediaType,
} from '../../shared/documents';
import { annotationShapeSchema } from '../../shared/documents';
import type { Role } from '../../shared/schemas';
import type { Database } from '../storage/database';

export interface DocumentRecord {
  id: string;
  consultId: string;
  kind: DocumentKind;
  mediaType: DocumentMediaType;
  originalName: string;
  sizeBytes: number;
  storedBytes: number;
  storedName: string;
  uploadedAt: number;
  uploader: { role: Role; displayName: string; linkId: string | null };
  interpreterAllowed: boolean;
}

/** One image (possibly multi-frame) of a DICOM document. */
export interface DicomInstanceRecord {
  index: number;
  storedName: string;
  seriesUid: string;
  seriesNumber: number | null;
  seriesDescription: string;
  modality: string;
  instanceNumber: number | null;
  slicePosition: number | null;
  rows: number;
  columns: number;
  frames: number;
}

interface DocumentRow {
  id: string;
  consult_id: string;
  kind: DocumentKind;
  media_type: DocumentMediaType;
  original_name: string;
  size_bytes: number;
  stored_bytes: number;
  stored_name: string;
  uploaded_at: number;
  uploader_role: Role;
  uploader_name: string;
  uploader_link_id: string | null;
  interpreter_allowed: number;
}

interface InstanceRow {
  idx: number;
  stored_name: string;
  series_uid: string;
  series_number: number | null;
  series_description: string;
  modality: string;
  instance_number: number | null;
  slice_position: number | null;
  rows: number;
  columns: number;
  frames: number;
}

interface AnnotationRow {
  id: string;
  document_id: string;
  page: number;
  series: number;
  slice: number;
  shape: string;
  color: Annotation['color'];
  author_participant_id: string;
  author_name: string;
  author_role: Role;
  created_at: number;
}

function documentOf(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    consultId: row.consult_id,
    kind: row.kind,
    mediaType: row.media_type,
    originalName: row.original_name,
    sizeBytes: row.size_bytes,
    storedBytes: row.stored_bytes,
    storedName: row.stored_name,
    uploadedAt: row.uploaded_at,
    uploader: { role: row.uploader_role, displayName: row.uploader_name, linkId: row.uploader_link_id },
    interpreterAllowed: row.interpreter_allowed === 1,
  };
}

function instanceOf(row: InstanceRow): DicomInstanceRecord {
  return {
    index: row.idx,
    storedName: row.stored_name,
    seriesUid: row.series_uid,
    seriesNumber: row.series_number,
    seriesDescription: row.series_description,
    modality: row.modality,
    instanceNumber: row.instance_number,
    slicePosition: row.slice_position,
    rows: row.rows,
    columns: row.columns,
    frames: row.frames,
  };
}

function annotationOf(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    documentId: row.document_id,
    target: { page: row.page, series: row.series, slice: row.slice },
    // Written by us from a validated shape; parsed again so a damaged row cannot reach a client as garbage.
    shape: annotationShapeSchema.parse(JSON.parse(row.shape)),
    color: row.color,
    author: { participantId: row.author_participant_id, displayName: row.author_name, role: row.author_role },
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export type NewDocument = Omit<DocumentRecord, 'uploadedAt'>;

/** A consult's documents and their annotations (the registry binds it to the database). */
export interface ConsultDocuments {
  /** The document, if it belongs to this consult. */
  get(documentId: string): DocumentRecord | undefined;
  annotations(documentId: string): Annotation[];
  annotation(annotationId: string): Annotation | undefined;
  addAnnotation(request: AddAnnotationRequest, author: Annotation['author']): Annotation;
  removeAnnotation(annotationId: string): void;
}

export class DocumentStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Inserts the document and its DICOM images together, or nothing. */
  add(document: NewDocument, instances: readonly Omit<DicomInstanceRecord, 'index'>[]): DocumentRecord {
    const insertDocument = this.#db.prepare(
      `INSERT INTO documents (id, consult_id, kind, media_type, original_name, size_bytes, stored_bytes, stored_name,
         uploaded_at, uploader_role, uploader_name, uploader_link_id, interpreter_allowed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertInstance = this.#db.prepare(
      `INSERT INTO dicom_instances (document_id, idx, stored_name, series_uid, series_number, series_description, modality,
         instance_number, slice_position, rows, columns, frames)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#db.transaction(() => {
      insertDocument.run(
        document.id,
        document.consultId,
        document.kind,
        document.mediaType,
        document.originalName,
        document.sizeBytes,
        document.storedBytes,
        document.storedName,
        this.#now(),
        document.uploader.role,
        document.uploader.displayName,
        document.uploader.linkId,
        document.interpreterAllowed ? 1 : 0,
      );
      instances.forEach((instance, index) =>
        insertInstance.run(
          document.id,
          index,
          instance.storedName,
          instance.seriesUid,
          instance.seriesNumber,
          instance.seriesDescription,
          instance.modality,
          instance.instanceNumber,
          instance.slicePosition,
          instance.rows,
          instance.columns,
          instance.frames,
        ),
      );
    })();
    const added = this.get(document.id);
    if (!added) throw new Error('document vanished right after insert');
    return added;
  }

  get(id: string): DocumentRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
    return row ? documentOf(row) : undefined;
  }

  listForConsult(consultId: string): DocumentRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM documents WHERE consult_id = ? ORDER BY uploaded_at, rowid')
      .all(consultId) as DocumentRow[];
    return rows.map(documentOf);
  }

  /** Bytes the consult's documents take on disk. */
  storedBytesOf(consultId: string): number {
    const row = this.#db.prepare('SELECT COALESCE(SUM(stored_bytes), 0) AS total FROM documents WHERE consult_id = ?').get(consultId) as {
      total: number;
    };
    return row.total;
  }

  setInterpreterAllowed(id: string, allowed: boolean): void {
    this.#db.prepare('UPDATE documents SET interpreter_allowed = ? WHERE id = ?').run(allowed ? 1 : 0, id);
  }

  /** Removes the document, its images and annotations (the caller removes the files). */
  remove(id: string): void {
    this.#db.prepare('DELETE FROM documents WHERE id = ?').run(id);
  }

  instances(documentId: string): DicomInstanceRecord[] {
    const rows = this.#db.prepare('SELECT * FROM dicom_instances WHERE document_id = ? ORDER BY idx').all(documentId) as InstanceRow[];
    return rows.map(instanceOf);
  }

  instance(documentId: string, index: number): DicomInstanceRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM dicom_instances WHERE document_id = ? AND idx = ?').get(documentId, index) as
      | InstanceRow
      | undefined;
    return row ? instanceOf(row) : undefined;
  }

  /** The series of a DICOM document, each with its images in viewing order. */
  manifest(documentId: string): DicomManifest {
    const series = new Map<string, DicomSeriesInfo>();
    for (const instance of this.instances(documentId)) {
      let entry = series.get(instance.seriesUid);
      if (!entry) {
        entry = {
          uid: instance.seriesUid,
          number: instance.seriesNumber,
          description: instance.seriesDescription,
          modality: instance.modality,
          instances: [],
        };
        series.set(instance.seriesUid, entry);
      }
      entry.instances.push({ index: instance.index, frames: instance.frames, rows: instance.rows, columns: instance.columns });
    }
    return { series: [...series.values()] };
  }

  addAnnotation(
    documentId: string,
    target: AnnotationTarget,
    shape: AnnotationShape,
    color: Annotation['color'],
    author: Annotation['author'],
  ): Annotation {
    const id = randomUUID();
    this.#db
      .prepare(
        `INSERT INTO annotations (id, document_id, page, series, slice, shape, color, author_participant_id, author_name, author_role, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        documentId,
        target.page,
        target.series,
        target.slice,
        JSON.stringify(shape),
        color,
        author.participantId,
        author.displayName,
        author.role,
        this.#now(),
      );
    const added = this.annotation(id);
    if (!added) throw new Error('annotation vanished right after insert');
    return added;
  }

  annotation(id: string): Annotation | undefined {
    const row = this.#db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as AnnotationRow | undefined;
    return row ? annotationOf(row) : undefined;
  }

  annotations(documentId: string): Annotation[] {
    const rows = this.#db
      .prepare('SELECT * FROM annotations WHERE document_id = ? ORDER BY created_at, rowid')
      .all(documentId) as AnnotationRow[];
    return rows.map(annotationOf);
  }

  removeAnnotation(id: string): void {
    this.#db.prepare('DELETE FROM annotations WHERE id = ?').run(id);
  }

  /** What a live consult may reach: its own documents only. */
  forConsult(consultId: string): ConsultDocuments {
    return {
      get: (documentId) => {
        const document = this.get(documentId);
        return document?.consultId === consultId ? document : undefined;
      },
      annotations: (documentId) => this.annotations(documentId),
      annotation: (annotationId) => this.annotation(annotationId),
      addAnnotation: ({ documentId, target, shape, color }, author) => this.addAnnotation(documentId, target, shape, color, author),
      removeAnnotation: (annotationId) => this.removeAnnotation(annotationId),
    };
  }
}
