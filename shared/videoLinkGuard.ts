// When a link cannot carry video, video stops before the voice suffers, and
// comes back by itself when the link recovers. Each browser guards both
// directions of its own link: what it sends (from its estimate of its
// uplink and the loss the server reports) and what it receives (from the
// loss and the concealed speech it sees); the server holds back what it
// forwards when asked to.
//
// A link that carries only sound gives no sign of spare room (congestion
// control learns only from what is sent), so recovery cannot be seen while
// video is held back: after a while video is tried again, and kept if the
// link carries it (good readings, none weak) while it flows; held back again
// (and tried later, less often) if not.

export interface LinkGuardSettings {
  /** How long the link must stay weak before video is held back (one dip is not a weak link). */
  holdAfterMs: number;
  /** The first wait before video is tried again; each failed trial doubles it, up to `longestWaitMs`. */
  firstWaitMs: number;
  longestWaitMs: number;
  /** How long a trial lets video flow: kept if the link did not turn weak meanwhile. */
  trialMs: number;
  /** The start of a trial, when congestion control has not yet caught up with the new load, is not judged. */
  trialGraceMs: number;
}

/** 'hold': stop video; 'trial': let it flow to test the link; 'release': the link carries it again. */
export type LinkGuardAction = 'hold' | 'trial' | 'release';

export type LinkGuardState = 'flowing' | 'held' | 'trial';

export const defaultLinkGuardSettings: LinkGuardSettings = {
  holdAfterMs: 3000,
  firstWaitMs: 8000,
  // Each trial on a link still too weak costs the voices a couple of seconds: not more often.
  longestWaitMs: 20_000,
  trialMs: 6000,
  trialGraceMs: 2000,
};

/**
 * How long the server lets a trial of a downlink run unless the browser says something new:
 * the trial and time for the browser's word to arrive. On a link jammed by the trial, the
 * browser's "hold it again" may take far longer to get through, while the video goes on
 * filling the link; the server then ends the trial itself and tells the browser.
 */
export const trialLeaseMs = defaultLinkGuardSettings.trialMs + 4000;

/**
 * The room the voices need (Opus for speech with FEC, plus packet headers at 50 packets a
 * second) and the least video worth sending (the lowest layer at a few frames a second).
 */
export const voiceBitrate = 45_000;
export const leastVideoBitrate = 60_000;

/** Whether a bandwidth estimate (bits a second) is too little for `voices` voices and the least video. */
export function tooLittleForVideo(estimate: number, voices: number): boolean {
  return estimate < Math.max(1, voices) * voiceBitrate + leastVideoBitrate;
}

export class VideoLinkGuard {
  readonly #settings: LinkGuardSettings;
  #state: LinkGuardState = 'flowing';
  /** Since when every reading has found the link weak (undefined: the last one did not). */
  #weakSince: number | undefined;
  #wait: number;
  /** When the running trial began. */
  #trialSince = 0;
  /** Whether the running trial has had a reading that found the link good (silence proves nothing). */
  #trialCarried = false;
  /** When the next trial starts (held), or when the running one ends (trial). */
  #due = 0;

  constructor(settings: LinkGuardSettings = defaultLinkGuardSettings) {
    this.#settings = settings;
    this.#wait = settings.firstWaitMs;
  }

  get state(): LinkGuardState {
    return this.#state;
  }

  /**
   * A reading of the link: `weak` when it cannot carry what it carries now, or `undefined`
   * when there is nothing to judge (only time passed). Returns what to do now, if anything.
   */
  update(now: number, weak?: boolean): LinkGuardAction | undefined {
    const settings = this.#settings;
    switch (this.#state) {
      case 'flowing':
        if (weak === undefined) break;
        if (!weak) {
          this.#weakSince = undefined;
          break;
        }
        this.#weakSince ??= now;
        if (now - this.#weakSince >= settings.holdAfterMs) return this.#hold(now, false);
        break;
      case 'held':
        if (now >= this.#due) {
          this.#state = 'trial';
          this.#trialSince = now;
          this.#trialCarried = false;
          this.#due = now + settings.trialMs;
          return 'trial';
        }
        break;
      case 'trial':
        if (now - this.#trialSince >= settings.trialGraceMs) {
          if (weak === true) return this.#hold(now, true);
          if (weak === false) this.#trialCarried = true;
        }
        if (now >= this.#due && !this.#trialCarried) return this.#hold(now, true);
        if (now >= this.#due) {
          this.#state = 'flowing';
          this.#weakSince = undefined;
          this.#wait = settings.firstWaitMs;
          return 'release';
        }
        break;
    }
    return undefined;
  }

  /** The server ended the trial (its lease ran out): a failed trial, if one is still running. */
  endTrial(now: number): LinkGuardAction | undefined {
    return this.#state === 'trial' ? this.#hold(now, true) : undefined;
  }

  #hold(now: number, afterTrial: boolean): LinkGuardAction {
    if (afterTrial) this.#wait = Math.min(this.#wait * 2, this.#settings.longestWaitMs);
    this.#state = 'held';
    this.#weakSince = undefined;
    this.#due = now + this.#wait;
    return 'hold';
  }
}
