// Multi-page PDFs made in the test: each page filled with its own colour and
// numbered, so a screenshot or a canvas pixel tells which page is shown.
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';

/** Page n (1-based) is filled with pageColours[n - 1], as 0-255 RGB. */
export const pageColours: readonly (readonly [number, number, number])[] = [
  [200, 40, 40],
  [40, 160, 60],
  [40, 80, 200],
  [220, 180, 30],
  [150, 60, 170],
];

export async function numberedPdf(pages = pageColours.length): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (let n = 1; n <= pages; n++) {
    const page = pdf.addPage([595, 842]); // A4 portrait, in points
    const [r, g, b] = pageColours[(n - 1) % pageColours.length] ?? [0, 0, 0];
    page.drawRectangle({ x: 0, y: 0, width: 595, height: 842, color: rgb(r / 255, g / 255, b / 255) });
    page.drawText(`Page ${n}`, { x: 120, y: 420, size: 96, font, color: rgb(1, 1, 1) });
  }
  return Buffer.from(await pdf.save());
}
