// Where the page lies in the viewer, for a shared view. At zoom 1 the whole
// page fits the viewer; `center` is the point of the page (in fractions of
// its width and height) that sits in the middle of the viewer. Everyone
// computes this for their own screen, so the same part of the page is in
// the middle for all, whatever the window size.
import type { DocumentView, PagePoint } from '../../shared/documents';
import { maxZoom, minZoom } from '../../shared/documents';

export interface Size {
  width: number;
  height: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The page's rectangle in viewer pixels. */
export function pageRect(viewer: Size, page: Size, view: Pick<DocumentView, 'zoom' | 'center'>): Rect {
  const fit = Math.min(viewer.width / page.width, viewer.height / page.height);
  const width = page.width * fit * view.zoom;
  const height = page.height * fit * view.zoom;
  return {
    left: viewer.width / 2 - view.center.x * width,
    top: viewer.height / 2 - view.center.y * height,
    width,
    height,
  };
}

/** The page point under a viewer pixel, or null when the pixel is off the page. */
export function pagePointAt(rect: Rect, x: number, y: number): PagePoint | null {
  const point = { x: (x - rect.left) / rect.width, y: (y - rect.top) / rect.height };
  return point.x >= 0 && point.x <= 1 && point.y >= 0 && point.y <= 1 ? point : null;
}

/** Like pagePointAt, but clamped onto the page (for drawing that strays past its edge). */
export function clampedPagePoint(rect: Rect, x: number, y: number): PagePoint {
  return { x: clamp((x - rect.left) / rect.width, 0, 1), y: clamp((y - rect.top) / rect.height, 0, 1) };
}

/** Moves the view by a drag of (dx, dy) viewer pixels. */
export function panned(view: DocumentView, rect: Rect, dx: number, dy: number): DocumentView {
  return { ...view, center: { x: clamp(view.center.x - dx / rect.width, 0, 1), y: clamp(view.center.y - dy / rect.height, 0, 1) } };
}

/** Zooms by `factor`; at zoom 1 and below the page is centred again. */
export function zoomed(view: DocumentView, factor: number): DocumentView {
  const zoom = clamp(Math.round(view.zoom * factor * 100) / 100, minZoom, maxZoom);
  return { ...view, zoom, center: zoom <= 1 ? { x: 0.5, y: 0.5 } : view.center };
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
