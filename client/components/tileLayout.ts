// How the others' video tiles share the space they are given: as large as
// they can be, all the same size, in whichever number of columns makes them
// largest. Tiles may be any shape between portrait 3:4 (square on a wide
// screen) and wide 16:9, so a single person fills a phone held upright
// instead of being a strip across it, and a video is cropped only a little
// (see videoFit).
import { useEffect, useState, type RefObject } from 'react';

export interface Size {
  width: number;
  height: number;
}

export interface TileLayout extends Size {
  columns: number;
}

/** The narrowest a tile may be (width / height), where the space is upright and where it is wide; and the widest. */
const narrowestUpright = 3 / 4;
const narrowestWide = 1;
const widest = 16 / 9;

export function tileLayout(count: number, area: Size, gap: number): TileLayout {
  let best: TileLayout = { columns: 1, width: 0, height: 0 };
  if (count <= 0 || area.width <= 0 || area.height <= 0) return best;
  const narrowest = area.width >= area.height ? narrowestWide : narrowestUpright;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (area.width - gap * (columns - 1)) / columns;
    const cellHeight = (area.height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    // The largest tile of an allowed shape that fits the cell.
    const aspect = Math.min(Math.max(cellWidth / cellHeight, narrowest), widest);
    const width = Math.min(cellWidth, cellHeight * aspect);
    const height = width / aspect;
    // Ties go to fewer columns (the loop's order): larger rows read more naturally.
    if (width * height > best.width * best.height + 1) best = { columns, ...wholePixels(width, height, narrowest) };
  }
  return best;
}

/** Whole pixels, rounded down, without the rounding pushing a small tile out of the allowed shapes. */
function wholePixels(width: number, height: number, narrowest: number): Size {
  const whole = { width: Math.floor(width), height: Math.floor(height) };
  if (whole.height > 0 && whole.width / whole.height > widest) whole.width = Math.floor(whole.height * widest);
  if (whole.height > 0 && whole.width / whole.height < narrowest) whole.height = Math.floor(whole.width / narrowest);
  return whole;
}

/**
 * Whether a video fills its tile (cropped) or fits inside it (bars). Cutting
 * the sides off a picture wider than its tile costs background, since people
 * sit in the middle of their picture; cutting its top or bottom costs heads,
 * chins and whatever someone holds up to the camera, so that is done only a
 * little.
 */
export function videoFit(videoAspect: number, boxAspect: number): 'cover' | 'contain' {
  if (!(videoAspect > 0) || !(boxAspect > 0)) return 'cover';
  if (videoAspect >= boxAspect) return boxAspect / videoAspect >= 0.4 ? 'cover' : 'contain';
  return videoAspect / boxAspect >= 0.85 ? 'cover' : 'contain';
}

/** The size of an element's content box, kept current. */
export function useElementSize(ref: RefObject<HTMLElement | null>): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const width = Math.floor(entry.contentRect.width);
      const height = Math.floor(entry.contentRect.height);
      setSize((current) => (current.width === width && current.height === height ? current : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
