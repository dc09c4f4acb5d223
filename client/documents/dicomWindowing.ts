// A DICOM frame's values on screen: the window to start with, and DICOM's
// window function from values to grey levels. Apart from the parser
// (dicomImage.ts, with dicom-parser and the JPEG lossless decoder) so that
// the viewer can draw without fetching those until a study is opened.
import type { DicomWindow } from '../../shared/documents';

/** One frame, ready to window: grey values after rescale, or colour as it is. */
export interface DicomFrame {
  rows: number;
  columns: number;
  /** Grey images: one modality value (stored × slope + intercept) per pixel. */
  values: Float32Array | null;
  /** Colour images: RGBA, shown as they are (window/level does not apply). */
  rgba: Uint8ClampedArray | null;
  /** MONOCHROME1: high values are dark. */
  inverted: boolean;
  /** The window stored in the file, if any. */
  storedWindow: DicomWindow | null;
  /** The range of values present, for a window when the file has none. */
  range: { min: number; max: number };
}

/** The window to start with: the file's own, else one spanning every value present. */
export function defaultWindow(frame: DicomFrame): DicomWindow {
  if (frame.storedWindow) return frame.storedWindow;
  const width = Math.max(1, frame.range.max - frame.range.min);
  return { center: frame.range.min + width / 2, width };
}

/**
 * DICOM's linear VOI function (PS3.3 C.11.2.1.2): values below the window
 * are black, above it white, and in between a straight ramp.
 */
export function windowedGrey(value: number, window: DicomWindow): number {
  const low = window.center - 0.5 - (window.width - 1) / 2;
  const high = window.center - 0.5 + (window.width - 1) / 2;
  if (value <= low) return 0;
  if (value > high) return 255;
  return Math.round(((value - (window.center - 0.5)) / Math.max(window.width - 1, 1) + 0.5) * 255);
}

/** The frame as RGBA pixels for a canvas, through `window` for grey images. */
export function renderFrame(frame: DicomFrame, window: DicomWindow): ImageDataLike {
  if (frame.rgba) return { width: frame.columns, height: frame.rows, data: frame.rgba };
  const values = frame.values ?? new Float32Array(0);
  const data = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const grey = windowedGrey(values[i] ?? 0, window);
    const shown = frame.inverted ? 255 - grey : grey;
    data[i * 4] = shown;
    data[i * 4 + 1] = shown;
    data[i * 4 + 2] = shown;
    data[i * 4 + 3] = 255;
  }
  return { width: frame.columns, height: frame.rows, data };
}

/** The parts of ImageData we fill (ImageData itself exists only in browsers). */
export interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}
