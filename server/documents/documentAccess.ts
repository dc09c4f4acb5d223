// Who may see, upload and remove a consult's documents. One set of rules for
// the HTTP API (fetching files) and the live consult (presenting, annotating).
import type { DocumentInfo } from '../../shared/documents';
import type { Role } from '../../shared/schemas';
import type { DocumentRecord } from './documentStore';
import { Refusal } from '../../shared/refusals';

/** The person asking, as far as documents are concerned. */
export interface DocumentReader {
  role: Role;
  /** In the call now. Doctors always are; someone waiting, or not joined yet, is not. */
  admitted: boolean;
  /** The invite link they came with; doctors have none. */
  linkId: string | null | undefined;
}

/** What decides who may see a document. */
export type AccessFacts = Pick<DocumentRecord, 'interpreterAllowed' | 'uploader'>;

function isOwn(reader: DocumentReader, document: AccessFacts): boolean {
  return typeof reader.linkId === 'string' && reader.linkId === document.uploader.linkId;
}

/**
 * The doctor sees everything. Anyone sees what they uploaded themselves.
 * Otherwise only people in the call see documents: the patient all of them,
 * the interpreter those the doctor shared with them.
 */
export function maySee(reader: DocumentReader, document: AccessFacts): boolean {
  if (reader.role === 'doctor' || isOwn(reader, document)) return true;
  if (!reader.admitted) return false;
  return reader.role === 'patient' || document.interpreterAllowed;
}

/** Throws the precise refusal where maySee says no. */
export function assertMaySee(reader: DocumentReader, document: AccessFacts): void {
  if (maySee(reader, document)) return;
  throw reader.admitted
    ? new Refusal('forbidden', 'the doctor has not shared this document with you')
    : new Refusal('not-admitted', 'documents can be opened once the doctor has let you in');
}

/** Patients bring their records; the doctor adds reports. Interpreters do not upload. */
export function mayUpload(reader: DocumentReader): boolean {
  return reader.role !== 'interpreter';
}

export function mayRemove(reader: DocumentReader, document: AccessFacts): boolean {
  return reader.role === 'doctor' || isOwn(reader, document);
}

export function documentInfo(document: DocumentRecord, reader: DocumentReader): DocumentInfo {
  return {
    id: document.id,
    name: document.originalName,
    kind: document.kind,
    mediaType: document.mediaType,
    sizeBytes: document.sizeBytes,
    uploadedAt: new Date(document.uploadedAt).toISOString(),
    uploadedBy: { role: document.uploader.role, displayName: document.uploader.displayName },
    interpreterAllowed: document.interpreterAllowed,
    mine: isOwn(reader, document),
  };
}
