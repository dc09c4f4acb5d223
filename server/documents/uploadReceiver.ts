// Streams an upload's body to a file, counting as it goes: the size limit is
// enforced while the bytes arrive, so an oversized upload is cut off at the
// limit rather than stored first and measured afterwards.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Refusal } from '../../shared/refusals';

export interface UploadLimit {
  maxBytes: number;
  /** The refusal when the body goes past maxBytes. */
  refusal: () => Refusal;
  /** Told of every chunk before it is written (the quota); may refuse it by throwing an Refusal. */
  reserve?: (bytes: number) => void;
}

/**
 * Writes `body` to `path` (a new file, owner-only) and returns its size; on
 * any failure nothing is left behind. The body itself is left open when the
 * limit is hit (it is an HTTP request whose connection must still carry the
 * refusal); it is only detached.
 */
export async function receiveUpload(body: Readable, path: string, limit: UploadLimit): Promise<number> {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > limit.maxBytes) {
        callback(limit.refusal());
        return;
      }
      try {
        limit.reserve?.(chunk.length);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback(null, chunk);
    },
  });
  const interrupted = (): void => {
    if (!body.readableEnded) counter.destroy(new Error('the upload was interrupted'));
  };
  body.once('close', interrupted);
  body.once('error', interrupted);
  body.pipe(counter);
  try {
    await pipeline(counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    if (error instanceof Refusal) throw error;
    throw new Refusal('invalid-payload', 'the upload was interrupted before it was complete');
  } finally {
    body.unpipe(counter);
    body.off('close', interrupted);
    body.off('error', interrupted);
  }
  if (received === 0) {
    await rm(path, { force: true });
    throw new Refusal('invalid-payload', 'the file is empty');
  }
  return received;
}
