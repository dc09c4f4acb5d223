// Our own uplink: when it cannot carry our camera beside our voice, the
// camera is paused (the others see "Video paused to keep the sound clear"
// on our tile) and tried again by itself later (shared/videoLinkGuard.ts).
// Weak means the browser's own estimate of its room is below what a voice
// and the least video need, or the server reports heavy loss of what we send.
// The guard only decides; what it decides is done at once where it is local
// (see UplinkControl), since telling the server crosses the same weak link.
import { tooLittleForVideo, VideoLinkGuard, type LinkGuardAction } from '../../shared/videoLinkGuard';
import type { UplinkReading } from './qualityMonitor';

/** More of what we send lost than this, and the uplink is overloaded rather than unlucky (random loss stays well below). */
export const overloadedLoss = 0.12;

export type CameraSending = 'none' | 'lowest' | 'all';

export interface UplinkControl {
  /** Whether our camera is on and meant to go out (not off, not audio only). */
  cameraWanted: () => boolean;
  /** Send none of the camera (without releasing it), only its lowest layer (a trial), or all of it. */
  setCameraSending: (sending: CameraSending) => void;
  /** Our video is held back now, or no longer: shown to us and told to the others. */
  setHeldBack: (heldBack: boolean) => void;
}

export class SendLinkGuard {
  #guard = new VideoLinkGuard();
  readonly #control: UplinkControl;
  readonly #now: () => number;
  #heldBack = false;

  constructor(control: UplinkControl, now: () => number = Date.now) {
    this.#control = control;
    this.#now = now;
  }

  /** One reading of the uplink (with each statistics reading); undefined while it is down. */
  look(reading: UplinkReading | undefined): void {
    if (!this.#control.cameraWanted()) {
      // The camera was turned off meanwhile: nothing to hold back; start afresh when it is back.
      if (this.#guard.state !== 'flowing') this.#guard = new VideoLinkGuard();
      if (this.#heldBack) this.#setHeldBack(false);
      return;
    }
    const weak = reading && ((reading.estimate !== undefined && tooLittleForVideo(reading.estimate, 1)) || (reading.lossFraction ?? 0) > overloadedLoss);
    // A link gone quiet is judged by recovery (it is down, not weak), and a trial needs good readings to pass.
    const action = this.#guard.update(this.#now(), weak);
    if (action) this.#act(action);
  }

  #act(action: LinkGuardAction): void {
    if (action === 'hold') {
      this.#control.setCameraSending('none');
      if (!this.#heldBack) this.#setHeldBack(true);
    } else if (action === 'trial') {
      // The least video first: a trial on a link still too weak costs the voices less.
      this.#control.setCameraSending('lowest');
    } else {
      this.#control.setCameraSending('all');
      this.#setHeldBack(false);
    }
  }

  #setHeldBack(heldBack: boolean): void {
    this.#heldBack = heldBack;
    this.#control.setHeldBack(heldBack);
  }
}
