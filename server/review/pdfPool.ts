// One worker thread (piscina) that sets opinions as PDFs off the main thread,
// at a lower priority; a bounded queue, beyond which a download is refused
// with `server-busy` rather than held.
import { Piscina } from 'piscina';
import { Refusal } from '../../shared/refusals';
import type { OpinionPdfInput } from './opinionPdf';

export class PdfPool {
  readonly #pool = new Piscina<OpinionPdfInput, Uint8Array>({
    filename: new URL('./pdfWorker.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: 1,
    maxQueue: 16,
    idleTimeout: 60_000,
    niceIncrement: 5,
    resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
  });

  async render(input: OpinionPdfInput): Promise<Buffer> {
    try {
      const bytes = await this.#pool.run(input);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (error instanceof Error && error.message === 'Task queue is at limit') {
        throw new Refusal('server-busy', 'the server is preparing many documents right now; try again in a minute');
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
