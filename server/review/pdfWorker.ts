// What a PDF worker runs (see pdfPool.ts): laying out and setting an opinion
// takes a few hundred milliseconds of CPU, which the main thread (every live
// call's signalling) must not wait through.
import { renderOpinionPdf, type OpinionPdfInput } from './opinionPdf';

export default async function renderInWorker(input: OpinionPdfInput): Promise<Uint8Array> {
  return new Uint8Array(await renderOpinionPdf(input));
}
