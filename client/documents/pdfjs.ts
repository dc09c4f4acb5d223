// pdf.js, loaded only when a PDF is opened (it is large). It runs in a worker
// from our own origin, never evaluates strings as code, and takes its fonts,
// character maps and image decoders from our server (see vite.config.ts),
// so scanned and non-Latin documents render without any third-party request.
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Rect } from './viewport';

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy, PDFPageProxy };

/** Where vite.config.ts puts pdf.js's fonts, character maps, ICC profiles and decoders. */
const assets = '/pdfjs';

export function openPdf(bytes: ArrayBuffer): Promise<PDFDocumentProxy> {
  return getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    enableXfa: false,
    cMapUrl: `${assets}/cmaps/`,
    standardFontDataUrl: `${assets}/standard_fonts/`,
    wasmUrl: `${assets}/wasm/`,
    iccUrl: `${assets}/iccs/`,
  }).promise;
}

/** The page's size in PDF points, as displayed (its own rotation applied). */
export function pageSize(page: PDFPageProxy): { width: number; height: number } {
  const viewport = page.getViewport({ scale: 1 });
  return { width: viewport.width, height: viewport.height };
}

/**
 * Draws the part of the page that falls in the canvas, with the page at
 * `rect` (CSS pixels), sharp on high-density screens. Returns a cancel
 * function: a newer view replaces a render still in progress.
 */
export function drawPdfPage(page: PDFPageProxy, canvas: HTMLCanvasElement, rect: Rect, pixelRatio: number): { done: Promise<void>; cancel: () => void } {
  const context = canvas.getContext('2d');
  if (!context) return { done: Promise.resolve(), cancel: () => undefined };
  const scale = (rect.width / pageSize(page).width) * pixelRatio;
  const viewport = page.getViewport({ scale, offsetX: rect.left * pixelRatio, offsetY: rect.top * pixelRatio });
  const task = page.render({ canvas: null, canvasContext: context, viewport });
  return { done: task.promise, cancel: () => task.cancel() };
}
