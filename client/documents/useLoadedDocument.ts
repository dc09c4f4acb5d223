// Fetches and opens the presented document for drawing: a PDF with pdf.js,
// an image with the browser's decoder, a DICOM study by its manifest (its
// images follow slice by slice). Released again when the document changes.
import { useEffect, useMemo, useState } from 'react';
import type { DocumentInfo } from '../../shared/documents';
import type { DicomStudy } from './dicomStudy';
import type { DocumentsApi } from './documentsApi';
import type { PDFDocumentProxy } from './pdfjs';
import { decodeWithWasmCodec } from './wasmCodecs';

export type LoadedDocument =
  | { kind: 'pdf'; pdf: PDFDocumentProxy }
  | { kind: 'image'; bitmap: ImageBitmap }
  | { kind: 'dicom'; study: DicomStudy };

export type DocumentLoad = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; loaded: LoadedDocument };

const loading: DocumentLoad = { status: 'loading' };

export function useLoadedDocument(api: DocumentsApi, document: DocumentInfo): DocumentLoad {
  const { id, kind, mediaType } = document;
  // One request per document (and API): a result is shown only for the request that asked for it.
  const request = useMemo(() => ({ api, document: { id, kind, mediaType } }), [api, id, kind, mediaType]);
  const [settled, setSettled] = useState<{ request: typeof request; load: DocumentLoad }>();
  useEffect(() => {
    let cancelled = false;
    let opened: LoadedDocument | undefined;
    open(request.api, request.document)
      .then((loaded) => {
        if (cancelled) return release(loaded);
        opened = loaded;
        setSettled({ request, load: { status: 'ready', loaded } });
      })
      .catch((error: unknown) => {
        if (!cancelled) setSettled({ request, load: { status: 'failed', error } });
      });
    return () => {
      cancelled = true;
      if (opened) release(opened);
    };
  }, [request]);
  return settled?.request === request ? settled.load : loading;
}

async function open(api: DocumentsApi, document: Pick<DocumentInfo, 'id' | 'kind' | 'mediaType'>): Promise<LoadedDocument> {
  switch (document.kind) {
    case 'pdf': {
      const [bytes, { openPdf }] = await Promise.all([api.bytes(document.id), import('./pdfjs')]);
      return { kind: 'pdf', pdf: await openPdf(bytes) };
    }
    case 'image': {
      const bytes = await api.bytes(document.id);
      return { kind: 'image', bitmap: await createImageBitmap(new Blob([bytes], { type: document.mediaType })) };
    }
    case 'dicom': {
      // The parser (dicom-parser, the JPEG lossless decoder) comes with the first study opened.
      const [manifest, { DicomStudy }] = await Promise.all([api.manifest(document.id), import('./dicomStudy')]);
      return { kind: 'dicom', study: new DicomStudy(api, document.id, manifest, { jpeg: decodeJpeg, codec: decodeWithWasmCodec }) };
    }
  }
}

function release(loaded: LoadedDocument): void {
  if (loaded.kind === 'pdf') void loaded.pdf.destroy();
  if (loaded.kind === 'image') loaded.bitmap.close();
}

/** DICOM JPEG baseline frames are ordinary JPEG: the browser decodes them. */
async function decodeJpeg(bytes: Uint8Array, rows: number, columns: number): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }));
  const canvas = new OffscreenCanvas(columns || bitmap.width, rows || bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height).data;
}
