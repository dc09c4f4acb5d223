// Our own uplink: when it cannot carry our camera beside our voice, the
// camera is paused (the others see "Video paused to keep the sound clear"
// on our tile) and tried again by itself later (shared/videoLinkGuard.ts).
// Weak means the browser's own estimate of its room is below what a voice
// and the least video need, or the server reports heavy loss of what we send.
import { tooLittleForVideo, VideoLinkGuard, type LinkGuardAction } from '../../shared/videoLinkGuard';
import type { UplinkReading } from './qualityMonitor';

/** More of what we send lost than this, and the uplink is overloaded rather than unlucky (random loss stays well below). */
export const overloadedLoss = 0.12;

export interface CameraControl {
  /** Whether our camera is on and meant to go out (not off, not audio only). */
  wanted: () => boolean;
  /** Stop or start sending it (without releasing the camera). */
  setSending: (sending: boolean) => Promise<void>;
  /** Tell the others (and ourselves) whether it is held back. */
  setHeldBack: (heldBack: boolean) => Promise<void>;
}

export class SendLinkGuard {
  #guard = new VideoLinkGuard();
  readonly #camera: CameraControl;
  #heldBack = false;

  constructor(camera: CameraControl) {
    this.#camera = camera;
  }

  /** One reading of the uplink (with each statistics reading); undefined while it is down. */
  async look(reading: UplinkReading | undefined): Promise<void> {
    if (!this.#camera.wanted()) {
      // The camera was turned off meanwhile: nothing to hold back; start afresh when it is back.
      if (this.#guard.state !== 'flowing') this.#guard = new VideoLinkGuard();
      if (this.#heldBack) await this.#setHeldBack(false);
      return;
    }
    const weak = reading && ((reading.estimate !== undefined && tooLittleForVideo(reading.estimate, 1)) || reading.lossFraction > overloadedLoss);
    // A link gone quiet is judged by recovery (it is down, not weak), and a trial needs good readings to pass.
    const action = this.#guard.update(Date.now(), weak);
    if (action) await this.#act(action);
  }

  async #act(action: LinkGuardAction): Promise<void> {
    if (action === 'hold') {
      await this.#camera.setSending(false);
      if (!this.#heldBack) await this.#setHeldBack(true);
    } else if (action === 'trial') {
      await this.#camera.setSending(true);
    } else {
      await this.#setHeldBack(false);
    }
  }

  async #setHeldBack(heldBack: boolean): Promise<void> {
    this.#heldBack = heldBack;
    await this.#camera.setHeldBack(heldBack);
  }
}
