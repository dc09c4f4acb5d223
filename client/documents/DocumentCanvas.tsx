import { useEffect, useRef } from 'react';
import type { DicomWindow, DocumentView } from '../../shared/documents';
import { defaultWindow, renderFrame } from './dicomWindowing';
import type { LoadedDocument } from './useLoadedDocument';
import { pageRect, type Rect, type Size } from './viewport';

/** What drawing found out about the document: the viewer's controls and pointer mapping need it. */
export interface DrawnGeometry {
  rect: Rect;
  /** PDF pages; 1 otherwise. */
  pageCount: number;
  /** DICOM: series in the study and slices in the current one. */
  seriesCount: number;
  sliceCount: number;
  /** DICOM: the window in effect (the view's, or the file's own). */
  window: DicomWindow | null;
}

const backdrop = '#3a4352';

/**
 * Draws the shared view of the document: the visible part of the page, at
 * the view's zoom and position, for this screen's size and pixel density.
 * Each frame is drawn off screen first and then shown whole, so following a
 * presenter who scrolls does not flicker.
 */
export function DocumentCanvas({
  loaded,
  view,
  size,
  onGeometry,
  onError,
}: {
  loaded: LoadedDocument;
  view: DocumentView;
  size: Size;
  onGeometry: (geometry: DrawnGeometry) => void;
  onError: (error: unknown) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { page, series, slice, zoom } = view;
  const { x, y } = view.center;
  const windowCenter = view.window?.center;
  const windowWidth = view.window?.width;

  useEffect(() => {
    const visible = canvas.current;
    if (!visible || size.width < 1 || size.height < 1) return;
    const pixelRatio = Math.min(window.devicePixelRatio || 1, 3);
    const shownView = { zoom, center: { x, y } };
    let cancelled = false;
    let cancelDrawing: (() => void) | undefined;

    const buffer = document.createElement('canvas');
    buffer.width = Math.round(size.width * pixelRatio);
    buffer.height = Math.round(size.height * pixelRatio);
    const context = buffer.getContext('2d');
    if (!context) return;

    const show = (geometry: DrawnGeometry, rendered: Record<string, string>): void => {
      if (cancelled) return;
      // Outside the page: a neutral backdrop (pdf.js paints the whole canvas white).
      context.save();
      context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
      context.fillStyle = backdrop;
      const { left, top, width, height } = geometry.rect;
      context.fillRect(0, 0, size.width, Math.max(0, top));
      context.fillRect(0, top + height, size.width, size.height - top - height);
      context.fillRect(0, top, Math.max(0, left), height);
      context.fillRect(left + width, top, size.width - left - width, height);
      context.restore();
      visible.width = buffer.width;
      visible.height = buffer.height;
      visible.getContext('2d')?.drawImage(buffer, 0, 0);
      Object.assign(visible.dataset, rendered);
      onGeometry(geometry);
    };

    const clear = (): void => {
      context.fillStyle = backdrop;
      context.fillRect(0, 0, buffer.width, buffer.height);
    };

    const draw = async (): Promise<void> => {
      if (loaded.kind === 'pdf') {
        const pageNumber = Math.min(Math.max(page, 1), loaded.pdf.numPages);
        const pdfPage = await loaded.pdf.getPage(pageNumber);
        const { drawPdfPage, pageSize } = await import('./pdfjs');
        if (cancelled) return;
        const rect = pageRect(size, pageSize(pdfPage), shownView);
        const rendering = drawPdfPage(pdfPage, buffer, rect, pixelRatio);
        cancelDrawing = rendering.cancel;
        await rendering.done;
        show({ rect, pageCount: loaded.pdf.numPages, seriesCount: 0, sliceCount: 0, window: null }, { renderedPage: String(pageNumber) });
        return;
      }
      clear();
      if (loaded.kind === 'image') {
        const { bitmap } = loaded;
        const rect = pageRect(size, { width: bitmap.width, height: bitmap.height }, shownView);
        context.drawImage(bitmap, rect.left * pixelRatio, rect.top * pixelRatio, rect.width * pixelRatio, rect.height * pixelRatio);
        show({ rect, pageCount: 1, seriesCount: 0, sliceCount: 0, window: null }, { renderedPage: '1' });
        return;
      }
      const { study } = loaded;
      const seriesIndex = Math.min(series, study.manifest.series.length - 1);
      const sliceCount = study.sliceCount(seriesIndex);
      const sliceIndex = Math.min(slice, sliceCount - 1);
      const frame = await study.frame(seriesIndex, sliceIndex);
      if (cancelled) return;
      const shownWindow =
        windowCenter !== undefined && windowWidth !== undefined ? { center: windowCenter, width: windowWidth } : defaultWindow(frame);
      const pixels = renderFrame(frame, shownWindow);
      const image = new ImageData(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height);
      const native = document.createElement('canvas');
      native.width = pixels.width;
      native.height = pixels.height;
      native.getContext('2d')?.putImageData(image, 0, 0);
      const rect = pageRect(size, { width: frame.columns, height: frame.rows }, shownView);
      context.drawImage(native, rect.left * pixelRatio, rect.top * pixelRatio, rect.width * pixelRatio, rect.height * pixelRatio);
      show(
        { rect, pageCount: 1, seriesCount: study.manifest.series.length, sliceCount, window: frame.values ? shownWindow : null },
        {
          renderedSeries: String(seriesIndex),
          renderedSlice: String(sliceIndex),
          renderedWindow: `${shownWindow.center}/${shownWindow.width}`,
        },
      );
    };

    draw().catch((error: unknown) => {
      // A render replaced by a newer view is not a failure.
      if (!cancelled && !(error instanceof Error && error.name === 'RenderingCancelledException')) onError(error);
    });
    return () => {
      cancelled = true;
      cancelDrawing?.();
    };
  }, [loaded, page, series, slice, zoom, x, y, windowCenter, windowWidth, size, onGeometry, onError]);

  return <canvas ref={canvas} className="document-canvas" style={{ inlineSize: size.width, blockSize: size.height }} aria-hidden="true" />;
}
