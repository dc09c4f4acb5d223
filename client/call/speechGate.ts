// Decides from a stream of audio levels whether someone is speaking: on as
// soon as the level passes the threshold, off only after it has stayed below
// for `holdMs`, so the pauses between words do not make the others' voices
// jump up and down.
export class SpeechGate {
  readonly #threshold: number;
  readonly #holdMs: number;
  #lastLoudAt = -Infinity;

  constructor({ threshold = 0.02, holdMs = 800 }: { threshold?: number; holdMs?: number } = {}) {
    this.#threshold = threshold;
    this.#holdMs = holdMs;
  }

  /** The level now (RMS, 0..1) at time `now` (ms); returns whether they are speaking. */
  update(level: number, now: number): boolean {
    if (level >= this.#threshold) this.#lastLoudAt = now;
    return now - this.#lastLoudAt < this.#holdMs;
  }
}
