// What an uploaded file is, decided by its bytes and never by its name: a
// file called report.pdf that holds a web page is refused, a photo called
// scan.png that is really a JPEG is a JPEG.
import { fileTypeFromFile } from 'file-type';
import type { DocumentKind, DocumentMediaType } from '../../shared/documents';
import { Refusal } from '../../shared/refusals';

export interface DetectedType {
  /** 'study-archive': a zip, accepted only if it holds DICOM images. */
  kind: DocumentKind | 'study-archive';
  mediaType: DocumentMediaType;
  /** For the name the server gives the stored file. */
  extension: string;
}

const accepted: Record<string, DetectedType> = {
  'application/pdf': { kind: 'pdf', mediaType: 'application/pdf', extension: 'pdf' },
  'image/jpeg': { kind: 'image', mediaType: 'image/jpeg', extension: 'jpg' },
  'image/png': { kind: 'image', mediaType: 'image/png', extension: 'png' },
  'application/dicom': { kind: 'dicom', mediaType: 'application/dicom', extension: 'dcm' },
  'application/zip': { kind: 'study-archive', mediaType: 'application/zip', extension: 'zip' },
};

export const acceptedTypesText = 'PDF, JPEG, PNG and DICOM files (also a .zip of a DICOM study)';

export async function detectDocumentType(path: string): Promise<DetectedType> {
  const detected = await fileTypeFromFile(path);
  const type = detected ? accepted[detected.mime] : undefined;
  if (!type) {
    const what = detected ? `a ${detected.ext} file (${detected.mime})` : 'of a type that could not be recognised';
    throw new Refusal('unsupported-type', `this file is ${what}; accepted are ${acceptedTypesText}`);
  }
  return type;
}
