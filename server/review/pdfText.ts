// Paragraph layout for PDFs in any of our languages. pdfkit shapes a run of
// Arabic (fontkit joins the letters and lays the glyphs out right to left) but
// knows nothing of the bidirectional algorithm: a line mixing Arabic with Latin
// words, digits or brackets would come out in the wrong order, and Noto Sans
// has no Arabic letters. So lines are wrapped here in logical order, cut into
// pieces of one embedding level and one font, and the pieces placed in visual
// order (UAX #9, rule L2) one by one.
import bidiFactory from 'bidi-js';

export type TextDirection = 'ltr' | 'rtl' | 'auto';

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
  /** The paragraph's base direction; 'auto' takes the first strong character's. */
  direction?: TextDirection;
  /** Defaults to the side the resolved direction starts from. */
  align?: 'left' | 'right' | 'center';
  /** Whether a line that would pass the bottom margin starts a new page (not in the footer). */
  breakPages?: boolean;
}

export interface Column {
  left: number;
  right: number;
}

/** A font file, and the face to take when the file is a collection (.ttc). */
interface FontSource {
  path: string;
  face?: string;
}

const noto = '/usr/share/fonts/truetype/noto';
const notoCjk = '/usr/share/fonts/opentype/noto';
const fontSources = {
  sans: { path: `${noto}/NotoSans-Regular.ttf` },
  'sans-bold': { path: `${noto}/NotoSans-Bold.ttf` },
  arabic: { path: `${noto}/NotoNaskhArabic-Regular.ttf` },
  'arabic-bold': { path: `${noto}/NotoNaskhArabic-Bold.ttf` },
  hebrew: { path: `${noto}/NotoSansHebrew-Regular.ttf` },
  'hebrew-bold': { path: `${noto}/NotoSansHebrew-Bold.ttf` },
  // Simplified Chinese forms; the collection's Japanese and Korean faces share most glyphs.
  cjk: { path: `${notoCjk}/NotoSansCJK-Regular.ttc`, face: 'NotoSansCJKsc-Regular' },
  'cjk-bold': { path: `${notoCjk}/NotoSansCJK-Bold.ttc`, face: 'NotoSansCJKsc-Bold' },
} satisfies Record<string, FontSource>;
type FontName = keyof typeof fontSources;

/** Where the fonts come from (Debian's fonts-noto-core and fonts-noto-cjk), for a helpful error when they are missing. */
export const fontPaths = [...new Set(Object.values(fontSources).map((source) => source.path))];

export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, source] of Object.entries<FontSource>(fontSources)) doc.registerFont(name, source.path, source.face);
  doc.font('sans');
}

const bidi = bidiFactory();
// Script_Extensions, not Script: the Arabic comma, question mark and tatweel are
// "Common" but only the Arabic font has them; Noto Sans has no Arabic at all.
// The same holds for the CJK punctuation and the ideographic full stop.
const arabicScript = /\p{Script_Extensions=Arabic}/u;
const scriptFonts: [RegExp, 'arabic' | 'hebrew' | 'cjk'][] = [
  [arabicScript, 'arabic'],
  [/\p{Script_Extensions=Hebrew}/u, 'hebrew'],
  [/[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Hangul}\p{Script_Extensions=Bopomofo}\u3000-\u303F\uFF00-\uFFEF]/u, 'cjk'],
];
// Combining marks and joiners belong to the letter before them.
const attached = /[\p{M}\u200C\u200D]/u;
// Directional formatting characters steer the algorithm but have no glyph.
const bidiControl = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const rtlLanguages = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

export function languageDirection(language: string): 'ltr' | 'rtl' {
  return rtlLanguages.has(language.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

function fontOf(character: string, previous: FontName | undefined, bold: boolean): FontName {
  if (previous && attached.test(character)) return previous;
  const family = scriptFonts.find(([script]) => script.test(character))?.[1] ?? 'sans';
  return bold ? `${family}-bold` : family;
}

interface Piece {
  text: string;
  font: FontName;
  level: number;
  width: number;
  space: boolean;
}

function measure(doc: PDFKit.PDFDocument, text: string, font: FontName, size: number): number {
  return doc.font(font).fontSize(size).widthOfString(text);
}

/**
 * The pieces of `text` from `start` to `end` (exclusive), in logical order: cut at every space,
 * level change and font change. `levels`: the embedding levels of the whole paragraph.
 */
function piecesOf(doc: PDFKit.PDFDocument, text: string, start: number, end: number, levels: Uint8Array, style: TextStyle): Piece[] {
  const mirrored = bidi.getMirroredCharactersMap(text, levels, start, end - 1);
  const pieces: Piece[] = [];
  let current: Omit<Piece, 'width'> | undefined;
  const close = () => {
    if (current && current.text) pieces.push({ ...current, width: measure(doc, current.text, current.font, style.size) });
    current = undefined;
  };
  for (let index = start; index < end; ) {
    const codePoint = text.codePointAt(index) ?? 0;
    const length = codePoint > 0xffff ? 2 : 1;
    const character = mirrored.get(index) ?? text.slice(index, index + length);
    const level = levels[index] ?? 0;
    index += length;
    if (bidiControl.test(character)) continue;
    const space = character === ' ';
    const font = space ? (style.bold ? 'sans-bold' : 'sans') : fontOf(character, current?.font, style.bold ?? false);
    if (!current || space || current.space || current.level !== level || current.font !== font) {
      close();
      current = { text: '', font, level, space };
    }
    current.text += character;
  }
  close();
  return pieces;
}

/** UAX #9 rule L2: from the highest level down to the lowest odd one, reverse every run at that level or above. */
function visualOrder<T extends { level: number }>(items: T[]): T[] {
  const ordered = [...items];
  const highest = Math.max(0, ...ordered.map((item) => item.level));
  const lowestOdd = Math.min(...ordered.map((item) => item.level).filter((level) => level % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd; level -= 1) {
    for (let start = 0; start < ordered.length; ) {
      if ((ordered[start]?.level ?? 0) < level) {
        start += 1;
        continue;
      }
      let end = start;
      while (end < ordered.length && (ordered[end]?.level ?? 0) >= level) end += 1;
      ordered.splice(start, end - start, ...ordered.slice(start, end).reverse());
      start = end;
    }
  }
  return ordered;
}

/**
 * The characters as they must reach pdfkit so that they show in the right order: fontkit lays out
 * any run in an Arabic or Hebrew font right to left by itself, and anything else left to right.
 */
function drawnText(piece: Piece): string {
  const fontReverses = piece.font.startsWith('arabic') || piece.font.startsWith('hebrew');
  const shouldRead = piece.level % 2 === 1 ? 'rtl' : 'ltr';
  // A right-to-left run of brackets and punctuation, or Arabic-Indic digits (left to right), arrive reversed.
  if (fontReverses === (shouldRead === 'rtl')) return piece.text;
  return Array.from(piece.text).reverse().join('');
}

interface Line {
  start: number;
  end: number;
}

/** Greedy wrapping in logical order; a word wider than the column is cut between characters. */
function wrap(doc: PDFKit.PDFDocument, text: string, width: number, style: TextStyle): Line[] {
  // Unresolved levels: only the fonts matter for widths, and pieces measure independently.
  const flat = new Uint8Array(text.length);
  const widthOf = (start: number, end: number) => piecesOf(doc, text, start, end, flat, style).reduce((sum, piece) => sum + piece.width, 0);
  const space = measure(doc, ' ', style.bold ? 'sans-bold' : 'sans', style.size);
  const lines: Line[] = [];
  let line: (Line & { width: number }) | undefined;
  for (const word of text.matchAll(/\S+/g)) {
    let start = word.index;
    const end = start + word[0].length;
    const wordWidth = widthOf(start, end);
    if (line && line.width + space + wordWidth <= width) {
      line.end = end;
      line.width += space + wordWidth;
      continue;
    }
    if (line && wordWidth <= width) lines.push(line);
    if (wordWidth <= width) {
      line = { start, end, width: wordWidth };
      continue;
    }
    // Wider than a line (a file name, a link): it fills what is left of this line, then whole lines.
    let from = line?.start ?? start;
    let used = line ? line.width + space : 0;
    for (;;) {
      let cut = start;
      const after = (index: number) => index + ((text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1);
      while (cut < end && used + widthOf(start, after(cut)) <= width) cut = after(cut);
      if (cut === end) break;
      if (cut === start && used === 0) cut = after(cut);
      lines.push({ start: from, end: cut === start ? (line?.end ?? start) : cut });
      from = start = cut;
      used = 0;
    }
    line = { start: from, end, width: used + widthOf(start, end) };
  }
  if (line) lines.push(line);
  return lines;
}

function lineMetrics(text: string, size: number): { height: number; ascent: number } {
  // Naskh reaches well below the baseline (descent 0.63 em against Noto Sans' 0.29).
  return arabicScript.test(text) ? { height: size * 1.7, ascent: size * 1.1 } : { height: size * 1.45, ascent: size * 1.05 };
}

export function bottomOf(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `height` more fits below `y`; returns where to go on. */
export function ensureSpace(doc: PDFKit.PDFDocument, y: number, height: number): number {
  if (y + height <= bottomOf(doc)) return y;
  doc.addPage();
  return doc.page.margins.top;
}

/**
 * Draws `text` from `y` down between the column's edges, one paragraph per '\n' (runs of other
 * white space collapse to one space); returns the y below the last line.
 */
export function drawText(doc: PDFKit.PDFDocument, text: string, column: Column, y: number, style: TextStyle): number {
  const width = column.right - column.left;
  let top = y;
  for (const raw of text.split('\n')) {
    const paragraph = raw.replace(/\s+/g, ' ').trim();
    const metrics = lineMetrics(paragraph, style.size);
    if (!paragraph) {
      top += metrics.height / 2;
      continue;
    }
    const embedding = bidi.getEmbeddingLevels(paragraph, style.direction ?? 'auto');
    const rtl = (embedding.paragraphs[0]?.level ?? 0) % 2 === 1;
    const align = style.align ?? (rtl ? 'right' : 'left');
    for (const line of wrap(doc, paragraph, width, style)) {
      if (style.breakPages !== false) top = ensureSpace(doc, top, metrics.height);
      const pieces = visualOrder(piecesOf(doc, paragraph, line.start, line.end, embedding.levels, style));
      const lineWidth = pieces.reduce((sum, piece) => sum + piece.width, 0);
      let x = align === 'left' ? column.left : align === 'right' ? column.right - lineWidth : column.left + (width - lineWidth) / 2;
      for (const piece of pieces) {
        if (!piece.space) {
          doc
            .font(piece.font)
            .fontSize(style.size)
            .fillColor(style.color ?? '#000000')
            .text(drawnText(piece), x, top + metrics.ascent, { lineBreak: false, baseline: 'alphabetic' });
        }
        x += piece.width;
      }
      top += metrics.height;
    }
  }
  return top;
}
