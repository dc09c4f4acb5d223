// Our own downlink: when it cannot carry the others' video beside their
// voices (packets lost, speech concealed), we ask the server to forward no
// video for a while and say so on the tiles ("Video paused to keep the sound
// clear"); video is tried again by itself later (shared/videoLinkGuard.ts).
// The browser judges this, not the server: on a jammed link the server's
// congestion control hears nothing back and keeps its last, hopeful estimate.
import { VideoLinkGuard, type LinkGuardAction } from '../../shared/videoLinkGuard';
import type { DownlinkReading } from './qualityMonitor';
import { overloadedLoss } from './sendLinkGuard';

/** More of the speech we hear invented than this, and the voices suffer (a few per cent is the edge of hearing gaps). */
const sufferingSpeech = 0.08;
/**
 * Concealment counts only with some loss beside it: a page starved of CPU conceals too, and
 * holding video back would not help it.
 */
const lossBesideConcealment = 0.02;

export interface DownlinkControl {
  /** Show, or stop showing, that the others' video is held back. */
  setShown: (heldBack: boolean) => void;
  /** Tell the server whether to forward video to us (without waiting: the answer crosses the weak link). */
  tellServer: () => void;
}

export class ReceiveLinkGuard {
  readonly #guard = new VideoLinkGuard();
  readonly #control: DownlinkControl;
  readonly #now: () => number;
  #asksServerToHold = false;

  constructor(control: DownlinkControl, now: () => number = Date.now) {
    this.#control = control;
    this.#now = now;
  }

  /** Whether our downlink has not yet shown it carries video again (held back, or on trial). */
  get linkWeak(): boolean {
    return this.#guard.state !== 'flowing';
  }

  /** Whether the server should forward no video to us now (held back, not during a trial). */
  get asksServerToHold(): boolean {
    return this.#asksServerToHold;
  }

  /** One reading of the last second; judged only while video is meant to come (holding back nothing helps nothing). */
  look(reading: DownlinkReading): void {
    const loss = reading.lossFraction;
    const suffering = reading.concealedFraction > sufferingSpeech && loss !== undefined && loss > lossBesideConcealment;
    const weak = reading.videoWanted && loss !== undefined ? loss > overloadedLoss || suffering : undefined;
    this.#act(this.#guard.update(this.#now(), weak));
  }

  /**
   * The server ended our trial itself: our word that it failed may still be stuck on the link,
   * or our readings had not yet judged it. Held back again, as after any failed trial.
   */
  trialEnded(): void {
    this.#act(this.#guard.endTrial(this.#now()));
  }

  #act(action: LinkGuardAction | undefined): void {
    if (action === 'hold') {
      this.#asksServerToHold = true;
      this.#control.setShown(true);
      this.#control.tellServer();
    } else if (action === 'trial') {
      // The notice stays through the trial: the video may not last.
      this.#asksServerToHold = false;
      this.#control.tellServer();
    } else if (action === 'release') {
      this.#control.setShown(false);
      this.#control.tellServer();
    }
  }
}
