// Sends only the latest of rapidly changing values (a presenter scrolling,
// a pointer moving), at most once per interval, and always the last one.
export class LatestOnly<T> {
  readonly #intervalMs: number;
  readonly #send: (value: T) => Promise<unknown>;
  #pending: { value: T } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSentAt = 0;

  constructor(intervalMs: number, send: (value: T) => Promise<unknown>) {
    this.#intervalMs = intervalMs;
    this.#send = send;
  }

  push(value: T): void {
    this.#pending = { value };
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastSentAt + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => this.#flush(), wait);
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  #flush(): void {
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending) return;
    this.#lastSentAt = Date.now();
    this.#send(pending.value).catch((error: unknown) => console.warn('could not send an update', error));
  }
}
