// Where a consult's media lives: a router on one mediasoup worker. When that
// worker dies the router dies with it, but the consult does not: it moves to a
// new router (another worker, or the restarted one) and everyone in the call
// is told to make their media again (`mediaRestarted`); nobody leaves, nobody
// is admitted again.
import type { MediaAccess } from '../../shared/protocol';
import type { Logger } from '../logger';
import type { MediaSlot } from '../media/workerPool';
import { ConsultMedia } from './consultMedia';
import type { Participant } from './participant';
import type { Roster } from './roster';

export interface MediaHomeContext {
  roster: Roster;
  /** Throws unless the participant is still in the consult. */
  assertMember: (participant: Participant) => void;
  /** A new router for the consult, when its worker died. */
  newMediaSlot: () => Promise<MediaSlot>;
  /** TURN credentials (and the relay policy) for someone allowed media. */
  mediaAccessFor: (participant: Participant) => MediaAccess;
  /** No worker to move to: the consult cannot go on. */
  onLost: () => void;
  logger: Logger;
}

export class MediaHome {
  readonly #context: MediaHomeContext;
  #media: ConsultMedia;
  #closed = false;

  constructor(slot: MediaSlot, context: MediaHomeContext) {
    this.#context = context;
    this.#media = this.#mediaOn(slot);
  }

  /** The consult's media now (a new object after a move). */
  get media(): ConsultMedia {
    return this.#media;
  }

  close(): void {
    this.#closed = true;
    this.#media.close();
  }

  #mediaOn(slot: MediaSlot): ConsultMedia {
    const media = new ConsultMedia(slot, this.#context.roster, this.#context.assertMember, this.#context.mediaAccessFor);
    media.onFailure(() => void this.#move());
    return media;
  }

  async #move(): Promise<void> {
    if (this.#closed) return;
    const { roster, logger } = this.#context;
    logger.warn('media worker died; moving the consult to another worker');
    for (const participant of roster.all()) participant.resetMedia();
    let slot: MediaSlot;
    try {
      slot = await this.#context.newMediaSlot();
    } catch (error) {
      logger.error({ err: error }, 'no media worker to move the consult to');
      this.#context.onLost();
      return;
    }
    if (this.#closed) {
      slot.router.close();
      return;
    }
    this.#media = this.#mediaOn(slot);
    logger.info('consult moved to another media worker');
    roster.tellAdmitted('mediaRestarted', { routerRtpCapabilities: this.#media.routerRtpCapabilities });
  }
}
