// At most `limit` actions per participant within a sliding window: keeps one
import { Refusal } from '../../shared/refusals';
// participant from flooding the others (chat messages, annotations).

export class BurstLimiter<K extends object> {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #recent = new WeakMap<K, number[]>();
  readonly #what: string;

  constructor(limit: number, windowMs: number, what: string) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#what = what;
  }

  /** Counts one action by `who`, or refuses with `rate-limited` when they are over the limit. */
  take(who: K): void {
    const now = Date.now();
    const recent = (this.#recent.get(who) ?? []).filter((at) => now - at < this.#windowMs);
    if (recent.length >= this.#limit) throw new Refusal('rate-limited', `too many ${this.#what}; wait a moment`);
    recent.push(now);
    this.#recent.set(who, recent);
  }
}
