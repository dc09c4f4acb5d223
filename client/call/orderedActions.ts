// Things to do one after another, in the order they were decided, without
// the one who decides waiting for them: what a browser does about a weak link
// is told to the server over that same link, and on a jammed one an answer can
// take many seconds, while the link must still be read every second.
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
