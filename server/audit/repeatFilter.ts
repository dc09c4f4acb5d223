// One person reading the same thing again and again (slices of a study,
// re-renders, a form saved as it is typed) is one entry in the audit log per
// window, not thousands: the log stays readable, and still shows each visit.

/** Repeats of one key within this window count as one. */
const defaultWindowMs = 10 * 60 * 1000;
/** Past this many keys, the expired ones are forgotten. */
const sweepAbove = 10_000;

export class RepeatFilter {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #lastSeen = new Map<string, number>();

  constructor(windowMs = defaultWindowMs, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Whether `key` is new in its window (then it is remembered); false for a repeat. */
  isFirst(...key: string[]): boolean {
    const joined = key.join('\u0000');
    const now = this.#now();
    if (now - (this.#lastSeen.get(joined) ?? -Infinity) < this.#windowMs) return false;
    this.#lastSeen.set(joined, now);
    if (this.#lastSeen.size > sweepAbove) {
      for (const [seen, at] of this.#lastSeen) if (now - at >= this.#windowMs) this.#lastSeen.delete(seen);
    }
    return true;
  }
}
