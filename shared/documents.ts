// Shared documents: what the HTTP API says about uploaded records, and the
// schemas of what participants send to view them together (presenting, the
// view in step, the pointer, annotations). Used by server and client alike.
import { z } from 'zod';
import { withoutControlCharacters } from './plainText';
import type { Role } from './schemas';

/** What the viewer does with a file; decided by the server from its bytes. */
export const documentKinds = ['pdf', 'image', 'dicom'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentMediaTypes = ['application/pdf', 'image/jpeg', 'image/png', 'application/dicom', 'application/zip'] as const;
export type DocumentMediaType = (typeof documentMediaTypes)[number];

export interface DocumentInfo {
  id: string;
  /** The file name it was uploaded with; shown, never used as a path. */
  name: string;
  kind: DocumentKind;
  /** Of the file as uploaded (a DICOM study may arrive as a zip). */
  mediaType: DocumentMediaType;
  sizeBytes: number;
  uploadedAt: string;
  uploadedBy: { role: Role; displayName: string };
  /** The doctor decides, per file, whether the interpreter may see it. */
  interpreterAllowed: boolean;
  /** Uploaded through the asking person's own invite link. */
  mine: boolean;
}

export interface DocumentListResponse {
  documents: DocumentInfo[];
  /** What the server accepts, so the page can refuse an oversized file before sending it. */
  limits: { maxUploadBytes: number; remainingBytes: number };
}

export interface DicomInstanceInfo {
  /** Fetch it as .../instances/<index>. */
  index: number;
  frames: number;
  rows: number;
  columns: number;
}

export interface DicomSeriesInfo {
  uid: string;
  number: number | null;
  description: string;
  modality: string;
  /** In viewing order (instance number, then position along the scan). */
  instances: DicomInstanceInfo[];
}

export interface DicomManifest {
  series: DicomSeriesInfo[];
}

/** Maximum characters of an uploaded file's name. */
export const documentNameMaxLength = 200;

/** The `name` query parameter of an upload: a file name, not a path. */
export const documentNameSchema = z
  .string()
  .transform((name) => name.split(/[/\\]/).pop()?.trim() ?? '')
  .pipe(
    withoutControlCharacters(
      z.string().min(1, 'the file needs a name').max(documentNameMaxLength, `a file name has at most ${documentNameMaxLength} characters`),
      'the file name',
    ),
  );

export const documentAccessRequestSchema = z.strictObject({ interpreterAllowed: z.boolean() });
export type DocumentAccessRequest = z.infer<typeof documentAccessRequestSchema>;

// ---------------------------------------------------------------- viewing together

/** A point on the page or slice, as fractions of its width and height. */
export const pagePointSchema = z.strictObject({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) });
export type PagePoint = z.infer<typeof pagePointSchema>;

export const minZoom = 0.25;
export const maxZoom = 16;

/** DICOM window: the range of stored values (after rescale) mapped to black..white. */
export const dicomWindowSchema = z.strictObject({
  center: z.number().min(-1e6).max(1e6),
  width: z.number().min(1).max(2e6),
});
export type DicomWindow = z.infer<typeof dicomWindowSchema>;

/**
 * What everyone sees of the presented document. The zoom is relative to the
 * whole page fitting the viewer, and `center` is the point of the page at the
 * middle of the viewer, so people with different screens see the same part.
 */
export const documentViewSchema = z.strictObject({
  /** 1-based PDF page; 1 for an image or a DICOM study. */
  page: z.number().int().min(1).max(100_000),
  /** DICOM: which series of the study, and which slice (frame) of it, 0-based. */
  series: z.number().int().min(0).max(10_000),
  slice: z.number().int().min(0).max(100_000),
  zoom: z.number().min(minZoom).max(maxZoom),
  center: pagePointSchema,
  /** DICOM only; null: the window stored in the file. */
  window: dicomWindowSchema.nullable(),
});
export type DocumentView = z.infer<typeof documentViewSchema>;

export const initialDocumentView: DocumentView = { page: 1, series: 0, slice: 0, zoom: 1, center: { x: 0.5, y: 0.5 }, window: null };

/** Where on the document an annotation is drawn. */
export const annotationTargetSchema = documentViewSchema.pick({ page: true, series: true, slice: true });
export type AnnotationTarget = z.infer<typeof annotationTargetSchema>;

export const annotationColors = ['yellow', 'red', 'blue', 'green'] as const;
export const annotationTextMaxLength = 280;

export const annotationShapeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('arrow'), from: pagePointSchema, to: pagePointSchema }),
  z.strictObject({ kind: z.literal('freehand'), points: z.array(pagePointSchema).min(2).max(500) }),
  z.strictObject({
    kind: z.literal('text'),
    at: pagePointSchema,
    text: withoutControlCharacters(
      z.string().trim().min(1, 'the note is empty').max(annotationTextMaxLength, `a note has at most ${annotationTextMaxLength} characters`),
      'the note',
    ),
  }),
]);
export type AnnotationShape = z.infer<typeof annotationShapeSchema>;

export interface Annotation {
  id: string;
  documentId: string;
  target: AnnotationTarget;
  shape: AnnotationShape;
  color: (typeof annotationColors)[number];
  author: { participantId: string; displayName: string; role: Role };
  createdAt: string;
}

/** What one participant is told about the document being presented. */
export interface PresentationState {
  presenterId: string;
  presenterName: string;
  /** null: the doctor has not shared this document with you (interpreters). */
  document: DocumentInfo | null;
  view: DocumentView;
  /** The presenter's pointer on the page, if it is over it. */
  pointer: PagePoint | null;
  /** Of the presented document, everywhere on it; empty when `document` is null. */
  annotations: Annotation[];
}

export const presentDocumentRequestSchema = z.strictObject({ documentId: z.uuid() });
export const updateViewRequestSchema = z.strictObject({ view: documentViewSchema });
export const movePointerRequestSchema = z.strictObject({ pointer: pagePointSchema.nullable() });
export const addAnnotationRequestSchema = z.strictObject({
  documentId: z.uuid(),
  target: annotationTargetSchema,
  shape: annotationShapeSchema,
  color: z.enum(annotationColors),
});
export const removeAnnotationRequestSchema = z.strictObject({ annotationId: z.uuid() });

export type PresentDocumentRequest = z.infer<typeof presentDocumentRequestSchema>;
export type UpdateViewRequest = z.infer<typeof updateViewRequestSchema>;
export type MovePointerRequest = z.infer<typeof movePointerRequestSchema>;
export type AddAnnotationRequest = z.infer<typeof addAnnotationRequestSchema>;
export type RemoveAnnotationRequest = z.infer<typeof removeAnnotationRequestSchema>;

// ---------------------------------------------------------------- HTTP credentials

/** Patients and interpreters prove which link they came with: `Authorization: Bearer <invite token>`. */
export const participantProofHeader = 'x-consilium-participant';

/** `<participantId>.<resume token>`: proves the request comes from that participant of the live consult. */
export const participantProofSchema = z
  .string()
  .regex(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/, 'malformed participant proof')
  .transform((value) => {
    const [participantId = '', secret = ''] = value.split('.');
    return { participantId, secret };
  });
