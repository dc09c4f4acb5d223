// Whether each video a participant receives flows, and at which simulcast
// layer. A video flows once their browser started it and while its tile is in
// sight, unless they chose audio only or their browser finds its downlink
// cannot carry video beside the voices (client/call/receiveLinkGuard.ts).
// They are told when their link lets through less of a picture than their
// tile needs, or none of it, and when none arrives from its sender.
import type { Consumer } from 'mediasoup/types';
import type { ForwardedVideo } from '../../shared/protocol';
import type { Participant } from './participant';
import { spatialLayerFor } from './viewLayers';

/** Runs a mediasoup request for `participant`, turning its failures into refusals (ConsultMedia). */
export type MediaRequest = <T>(participant: Participant, operation: () => Promise<T>, target?: { readonly closed: boolean }) => Promise<T>;

/** What the receiver said of a video consumer, and what they were last told of it. */
interface ConsumerView {
  started: boolean;
  hidden: boolean;
  forwarded: ForwardedVideo;
  /** The simulcast layer their tile's size needs (undefined until they said). */
  layer: number | undefined;
  /** Whether the least video is forwarded for a trial of their link. */
  leastForTrial: boolean;
  /** The last application of what they said; the next waits for it. */
  applied: Promise<void>;
}

export class VideoFlow {
  readonly #views = new WeakMap<Consumer, ConsumerView>();
  readonly #media: MediaRequest;

  constructor(media: MediaRequest) {
    this.#media = media;
  }

  /** Their browser is ready for this consumer's media. */
  async start(participant: Participant, consumer: Consumer): Promise<void> {
    this.#viewOf(consumer).started = true;
    await this.#apply(participant, consumer);
  }

  /** Their browser draws this video `height` device pixels tall (0: not at all). */
  async setView(participant: Participant, consumer: Consumer, height: number, layerCount: number): Promise<void> {
    const view = this.#viewOf(consumer);
    view.hidden = height === 0;
    if (!view.hidden) view.layer = spatialLayerFor(height, layerCount);
    await this.#apply(participant, consumer);
  }

  /** They chose audio only, or their downlink cannot carry video (or again can): every video to them stops or starts. */
  async applyAll(participant: Participant): Promise<void> {
    for (const consumer of participant.consumers()) await this.#apply(participant, consumer);
  }

  /**
   * A new video consumer: tell its receiver whenever their link lets through less than their
   * tile needs (a lower layer, or none while congestion control finds no room), and when that ends.
   */
  watchLayers(participant: Participant, consumer: Consumer): void {
    if (consumer.type !== 'simulcast') return;
    consumer.on('layerschange', (layers) => {
      if (participant.closed) return;
      let forwarded: ForwardedVideo;
      if (layers) forwarded = layers.spatialLayer < (consumer.preferredLayers?.spatialLayer ?? layers.spatialLayer) ? 'lower' : 'whole';
      // Paused by us, or by its sender on the server: the receiver knows why already.
      else if (consumer.paused || consumer.producerPaused) forwarded = 'whole';
      // Else none gets through: the receiver's link has no room, or the sender's stream stopped
      // arriving (their browser held it back for a weak uplink, and its word of that may be stuck
      // on the same link for many seconds). Either way the receiver hears why from here, at once.
      else forwarded = 'none';
      const view = this.#viewOf(consumer);
      if (forwarded === view.forwarded) return;
      view.forwarded = forwarded;
      participant.channel.notify('videoForwarded', { consumerId: consumer.id, forwarded });
    });
  }

  /**
   * One at a time for each consumer: two side by side could each read `consumer.paused` before
   * the other changed it, and leave the video paused when it should flow, or the other way round.
   * Each reads what is true when its turn comes, so the last one leaves the latest state.
   */
  #apply(participant: Participant, consumer: Consumer): Promise<void> {
    if (consumer.kind !== 'video' || consumer.closed) return Promise.resolve();
    const view = this.#viewOf(consumer);
    const applying = view.applied.then(() => this.#applyNow(participant, consumer, view));
    view.applied = applying.catch(() => undefined);
    return applying;
  }

  async #applyNow(participant: Participant, consumer: Consumer, view: ConsumerView): Promise<void> {
    if (consumer.closed) return;
    const flows = view.started && !view.hidden && participant.receivesVideo;
    // A link on trial is tried with the least video (the smallest layer at its lowest frame rate):
    // a trial on a link still too weak then costs the voices less.
    const onTrial = participant.videoOnTrial;
    const layers = onTrial ? { spatialLayer: 0, temporalLayer: 0 } : view.layer === undefined ? undefined : { spatialLayer: view.layer };
    const changed = onTrial !== view.leastForTrial || layers?.spatialLayer !== consumer.preferredLayers?.spatialLayer;
    if (flows && consumer.type === 'simulcast' && layers && changed) {
      view.leastForTrial = onTrial;
      // Without a temporal layer, mediasoup forwards all of them again.
      await this.#media(participant, () => consumer.setPreferredLayers(layers), consumer);
    }
    if (flows && consumer.paused) await this.#media(participant, () => consumer.resume(), consumer);
    else if (!flows && view.started && !consumer.paused) await this.#media(participant, () => consumer.pause(), consumer);
  }

  #viewOf(consumer: Consumer): ConsumerView {
    let view = this.#views.get(consumer);
    if (!view) {
      view = { started: false, hidden: false, forwarded: 'whole', layer: undefined, leastForTrial: false, applied: Promise.resolve() };
      this.#views.set(consumer, view);
    }
    return view;
  }
}
