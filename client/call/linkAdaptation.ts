// Our media adapting to our own link and to the others' (the voice first):
// the two guards decide (sendLinkGuard.ts, receiveLinkGuard.ts); here what
// they decide is done. Changes to our own media happen at once, in order; the
// server is told as soon as each is decided, with nobody waiting for its
// answers, which cross the same weak link (the one connection keeps what we
// say in order, and each word carries the whole of our state). Our voice goes
// out compact while a link it crosses is too weak for video.
import type { Producer } from 'mediasoup-client/types';
import type { MediaSource } from '../../shared/protocol';
import { OrderedActions } from './orderedActions';
import type { DownlinkReading, UplinkReading } from './qualityMonitor';
import { ReceiveLinkGuard } from './receiveLinkGuard';
import { cameraLayers, compactVoice } from './sendEncodings';
import { SendLinkGuard, type CameraSending } from './sendLinkGuard';
import type { SessionStore } from './sessionState';
import type { Requester } from './signallingClient';

export class LinkAdaptation {
  readonly #store: SessionStore;
  readonly #send: Requester;
  readonly #producers: ReadonlyMap<MediaSource, Producer>;
  readonly #sendGuard: SendLinkGuard;
  readonly #receiveGuard: ReceiveLinkGuard;
  /** What we change of our own media, in order (quick, local). */
  readonly #changes = new OrderedActions('adapt our media to the link');
  /** Whether our voice goes out compact now. */
  #voiceCompact = false;

  constructor(store: SessionStore, send: Requester, producers: ReadonlyMap<MediaSource, Producer>) {
    this.#store = store;
    this.#send = send;
    this.#producers = producers;
    this.#sendGuard = new SendLinkGuard({
      cameraWanted: () => producers.has('camera') && !store.getState().audioOnly,
      setCameraSending: (sending) => this.#setCameraSending(sending),
      setHeldBack: (heldBack) => {
        store.update({ sendingHeldBack: heldBack });
        this.#changes.then(() => this.#compactVoiceWhenNeeded());
        this.retellVideoLimits();
      },
    });
    this.#receiveGuard = new ReceiveLinkGuard({
      setShown: (heldBack) => store.update({ receivingHeldBack: heldBack }),
      tellServer: () => this.retellVideoLimits(),
    });
  }

  /** Whether the server should know our limits after moving to a new media server (it forgot them). */
  get limitsToRetell(): boolean {
    return this.#store.getState().audioOnly || this.#receiveGuard.linkWeak;
  }

  /** With each statistics reading. */
  async look(uplink: UplinkReading | undefined, downlink: DownlinkReading): Promise<void> {
    this.#sendGuard.look(uplink);
    this.#receiveGuard.look(downlink);
    await this.#compactVoiceWhenNeeded();
  }

  /** The server ended a trial of our downlink (see ReceiveLinkGuard.trialEnded). */
  linkTrialEnded(): void {
    this.#receiveGuard.trialEnded();
  }

  /** A new microphone producer goes out as usual until the next reading says otherwise. */
  microphoneProduced(): void {
    this.#voiceCompact = false;
  }

  /** Says our limits again without waiting (after a reconnection: what we said before may be lost). */
  retellVideoLimits(): void {
    this.#tell(() => this.tellVideoLimits());
  }

  /** What video we take and send, as far as the server is concerned. */
  async tellVideoLimits(): Promise<void> {
    const { audioOnly, sendingHeldBack } = this.#store.getState();
    const downlink = this.#receiveGuard;
    // Audio only by choice, no trial can show the link carries video again: nobody compacts for that.
    const downlinkWeak = downlink.linkWeak && !audioOnly;
    await this.#send('setVideoLimits', { audioOnly, sendingHeldBack, receivingHeldBack: downlink.asksServerToHold, downlinkWeak });
  }

  /**
   * Compact while our own uplink cannot carry our camera, or someone's downlink cannot carry
   * video (the server cannot re-encode for them, so every voice they hear must fit): a weak
   * link then keeps room for the voices and for the signalling that carries the shown document.
   * Someone whose connection is lost may be on a link so jammed that their word of it cannot get
   * through: compact for them too, until they are back.
   */
  async #compactVoiceWhenNeeded(): Promise<void> {
    const { sendingHeldBack, participants } = this.#store.getState();
    const compact = sendingHeldBack || participants.some((participant) => participant.downlinkWeak || participant.reconnecting);
    const producer = this.#producers.get('microphone');
    if (compact === this.#voiceCompact || !producer || producer.closed) return;
    this.#voiceCompact = compact;
    await producer.setRtpEncodingParameters({ maxBitrate: compact ? compactVoice.maxBitrate : undefined });
  }

  /** How much of our camera to send (none, its lowest layer for a trial, or all), without releasing it. */
  #setCameraSending(sending: CameraSending): void {
    const producer = this.#producers.get('camera');
    if (!producer || producer.closed) return;
    this.#changes.then(async () => {
      if (producer.closed) return;
      if (sending !== 'none') await producer.setMaxSpatialLayer(sending === 'lowest' ? 0 : cameraLayers.length - 1);
      if (producer.paused === (sending === 'none')) return;
      if (sending === 'none') producer.pause();
      else producer.resume();
      this.#tell(() => this.#send(sending === 'none' ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id }));
    });
  }

  /**
   * Tells the server now, without waiting for the answer to what was said before: on a jammed
   * link an answer can take longer than the request timeout, and a newer state must not queue
   * behind it.
   */
  #tell(saying: () => Promise<unknown>): void {
    saying().catch((error: unknown) => console.warn('could not tell the server how our link is', error));
  }
}
