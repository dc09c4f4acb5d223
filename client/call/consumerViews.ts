// Tells the server how big we draw each person's video, so it forwards the
// simulcast layer that size needs, and nothing while the page is hidden (a
// phone's screen off, another app in front): no mobile data for pixels
// nobody sees. Sizes are reported only when they cross a layer's boundary.
import type { Requester } from './signallingClient';

/** Reported heights are rounded up to a layer's lines (server/live/viewLayers.ts): enough to pick a layer, few messages. */
const heightSteps = [180, 360, 720, 1440];

/** A picture drawn up to a tenth taller than a layer still looks sharp from it. */
function step(height: number): number {
  if (height <= 0) return 0;
  return heightSteps.find((lines) => height <= lines * 1.1) ?? 1440;
}

export class ConsumerViews {
  readonly #send: Requester;
  /** By participant: the height their video is drawn at, as last reported by the page. */
  readonly #heights = new Map<string, number>();
  /** By video consumer: the step last told to the server. */
  readonly #told = new Map<string, number>();

  constructor(send: Requester) {
    this.#send = send;
  }

  /** The page draws `participantId`'s video `height` device pixels tall (0: not seen). */
  setHeight(participantId: string, height: number, videoConsumerId: string | undefined): void {
    this.#heights.set(participantId, height);
    if (videoConsumerId) this.#tell(videoConsumerId, height);
  }

  /** A new video consumer: the server learns its size at once if the page already drew the tile. */
  consumerAdded(participantId: string, videoConsumerId: string): void {
    const height = this.#heights.get(participantId);
    if (height !== undefined) this.#tell(videoConsumerId, height);
  }

  consumerRemoved(consumerId: string): void {
    this.#told.delete(consumerId);
  }

  /** Whether we asked the server to hold this video back (so its silence is no sign of a lost connection). */
  isHidden(consumerId: string): boolean {
    return this.#told.get(consumerId) === 0;
  }

  #tell(consumerId: string, height: number): void {
    const rounded = step(height);
    if (this.#told.get(consumerId) === rounded) return;
    this.#told.set(consumerId, rounded);
    this.#send('setConsumerView', { consumerId, height: rounded }).catch((error: unknown) => console.warn('could not report a video size', error));
  }
}
