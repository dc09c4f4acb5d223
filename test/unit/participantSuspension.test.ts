// A participant whose connection dropped keeps their place for the grace
// period, and beyond it for as long as their media still reaches the server
// (a link jammed for the signalling, not gone). A stand-in transport counts
// the bytes received.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebRtcTransport } from 'mediasoup/types';
import { Participant } from '../../server/live/participant';
import { createLogger } from '../../server/logger';
import { eventually } from '../helpers/eventually';

const graceMs = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function participantWithTransport(): { participant: Participant; receive: (bytes: number) => void } {
  const participant = new Participant(
    { role: 'patient', displayName: 'Amira Haddad', linkId: 'link-1', seat: 'link:link-1' },
    { notify: () => undefined, disconnect: () => undefined },
    createLogger('silent'),
    { id: 'participant-1', admitted: true, joinRequestedAt: Date.now() },
  );
  let bytesReceived = 0;
  const transport = { id: 'transport-1', observer: new EventEmitter(), getStats: () => Promise.resolve([{ bytesReceived }]) };
  participant.addTransport(transport as unknown as WebRtcTransport, 'send');
  return { participant, receive: (bytes) => (bytesReceived += bytes) };
}

describe('a participant whose connection dropped', () => {
  it('is let go when the grace period ends with nothing more arriving', async () => {
    const { participant } = participantWithTransport();
    let expired = false;
    participant.suspend(graceMs, () => (expired = true));
    assert.equal(participant.reconnecting, true);
    await eventually(() => expired, 'let go after the grace period', 2000);
  });

  it('keeps their place while their media still arrives, and lets them go once it stops', async () => {
    const { participant, receive } = participantWithTransport();
    let expired = false;
    participant.suspend(graceMs, () => (expired = true));
    const arriving = setInterval(() => receive(1200), 5);
    await sleep(graceMs * 4);
    clearInterval(arriving);
    assert.equal(expired, false, 'kept while media arrives');
    assert.equal(participant.reconnecting, true, 'still shown as reconnecting');
    await eventually(() => expired, 'let go once nothing more arrived for a grace period', 2000);
  });

  it('is not let go after coming back', async () => {
    const { participant } = participantWithTransport();
    let expired = false;
    participant.suspend(graceMs, () => (expired = true));
    participant.rebind({ notify: () => undefined, disconnect: () => undefined });
    await sleep(graceMs * 3);
    assert.equal(expired, false);
    assert.equal(participant.reconnecting, false);
  });
});
