// Things to do one after another, in the order they were decided, without
// the one who decides waiting for them: a browser changing its own media for
// a weak link must still read the link every second meanwhile.
export class OrderedActions {
  readonly #what: string;
  #last: Promise<void> = Promise.resolve();

  /** `what`: their job, for the console when one fails. */
  constructor(what: string) {
    this.#what = what;
  }

  /** Runs `action` after the ones before it; a failed one is logged and does not stop the next. */
  then(action: () => Promise<unknown>): void {
    this.#last = this.#last.then(action).then(
      () => undefined,
      (error: unknown) => console.warn(`could not ${this.#what}`, error),
    );
  }
}
