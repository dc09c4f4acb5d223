// Which path our media found (direct UDP or TCP, or through TURN and how we
// reach it), or that it found none: shown to us and told to the server, for
// the doctor, who can then tell a patient behind a blocking network what to do.
import type { Transport } from 'mediasoup-client/types';
import type { ConnectionPathReport } from '../../shared/schemas';
import type { SessionStore } from './sessionState';
import type { Requester } from './signallingClient';

/** A media path not found by then means the network blocks calls: everyone is told. */
const noPathAfterMs = 8000;

type MediaPath = ConnectionPathReport['path'];

export class MediaPathReporter {
  readonly #store: SessionStore;
  readonly #send: Requester;
  /** When our transports were made, to tell "still looking for a path" from "there is none". */
  #startedAt = 0;
  #reported: MediaPath | undefined;

  constructor(store: SessionStore, send: Requester) {
    this.#store = store;
    this.#send = send;
  }

  /** Our transports are being made now. */
  started(): void {
    this.#startedAt = Date.now();
  }

  /** With each statistics reading: reports the path of `transport` when it changed. */
  async look(transport: Transport | undefined): Promise<void> {
    if (!transport) return;
    let path: MediaPath | undefined;
    if (transport.connectionState === 'connected') path = pathOf(await transport.getStats());
    else if (Date.now() - this.#startedAt >= noPathAfterMs && this.#reported === undefined) path = 'none';
    if (path === undefined || path === this.#reported) return;
    this.#reported = path;
    this.#store.update({ mediaPath: path });
    await this.#send('reportConnectionPath', { path });
  }
}

/** The path of the selected candidate pair: direct UDP or TCP, or through TURN (and how we reach TURN). */
function pathOf(report: RTCStatsReport): MediaPath | undefined {
  let path: MediaPath | undefined;
  report.forEach((entry: Record<string, unknown>) => {
    if (entry['type'] !== 'transport' || typeof entry['selectedCandidatePairId'] !== 'string') return;
    const pair = report.get(entry['selectedCandidatePairId']) as Record<string, unknown> | undefined;
    const local = pair && (report.get(String(pair['localCandidateId'])) as Record<string, unknown> | undefined);
    if (!local) return;
    if (local['candidateType'] === 'relay') {
      const relayProtocol = local['relayProtocol'];
      path = relayProtocol === 'tls' ? 'relay-tls' : relayProtocol === 'tcp' ? 'relay-tcp' : 'relay-udp';
    } else {
      path = local['protocol'] === 'tcp' ? 'tcp' : 'udp';
    }
  });
  return path;
}
