// Consult and registry bookkeeping, against a real mediasoup worker but
// without any network client: who is told what, and what gets closed.
import assert from 'node:assert/strict';
import type { ParticipantChannel } from '../../server/consult/participant';
import { ConsultRegistry } from '../../server/consult/consultRegistry';
import { createLogger } from '../../server/logger';
import { WorkerPool } from '../../server/media/workerPool';
import type { ServerToClientEvents } from '../../shared/protocol';
import { ProtocolFailure } from '../../server/signalling/protocolFailure';
import { opusRtpParameters } from '../helpers/signallingClient';
import { testConfig } from '../helpers/testServer';

type Notification = { event: keyof ServerToClientEvents; payload: unknown };

function recordingChannel(): ParticipantChannel & { received: Notification[] } {
  const received: Notification[] = [];
  return {
    received,
    notify(event, ...args) {
      received.push({ event, payload: args[0] });
    },
  };
}

function assertRefused(action: () => unknown, code: string): void {
  assert.throws(action, (error: unknown) => error instanceof ProtocolFailure && error.code === code);
}

describe('consult bookkeeping', function () {
  this.timeout(20_000);
  let pool: WorkerPool;
  let registry: ConsultRegistry;
  const logger = createLogger('silent');

  before(async () => {
    pool = await WorkerPool.create(testConfig().media, logger);
    registry = new ConsultRegistry(pool, { maxParticipants: 3 }, logger);
  });

  after(() => pool?.close());

  it('creates one consult for concurrent first joins', async () => {
    const [a, b] = await Promise.all([registry.getOrCreate('same'), registry.getOrCreate('same')]);
    assert.equal(a, b);
    assert.equal(registry.get('same'), a);
    a.close();
    assert.equal(registry.get('same'), undefined);
  });

  it('tells the others about joins and leaves, never the person themselves', async () => {
    const consult = await registry.getOrCreate('notify');
    const doctorChannel = recordingChannel();
    const patientChannel = recordingChannel();
    const doctor = consult.join('doctor', 'Dr. Weber', doctorChannel);
    const patient = consult.join('patient', 'Amira Haddad', patientChannel);
    assert.deepEqual(doctorChannel.received, [
      { event: 'participantJoined', payload: { id: patient.id, role: 'patient', displayName: 'Amira Haddad', audioMuted: true, videoOff: true } },
    ]);
    assert.deepEqual(patientChannel.received, []);
    assert.deepEqual(
      consult.othersOf(patient).map((info) => info.id),
      [doctor.id],
    );
    consult.leave(patient);
    assert.deepEqual(doctorChannel.received.at(-1), { event: 'participantLeft', payload: { participantId: patient.id } });
    assert.equal(patientChannel.received.length, 0);
    consult.leave(doctor);
    assert.ok(consult.closed, 'the consult closes when the last participant leaves');
  });

  it('enforces the participant limit', async () => {
    const consult = await registry.getOrCreate('limit');
    for (let index = 0; index < 3; index++) consult.join('patient', `P${index}`, recordingChannel());
    assertRefused(() => consult.join('doctor', 'One too many', recordingChannel()), 'consult-full');
    assert.equal(consult.participants.size, 3);
    consult.close();
    assertRefused(() => consult.join('doctor', 'Late', recordingChannel()), 'consult-closed');
  });

  it('closes a participant\'s transports and producers when they leave', async () => {
    const consult = await registry.getOrCreate('cleanup');
    const stays = consult.join('doctor', 'Dr. Weber', recordingChannel());
    const leaves = consult.join('patient', 'Amira Haddad', recordingChannel());
    const send = await consult.createTransport(leaves, 'send');
    await consult.createTransport(leaves, 'receive');
    await assert.rejects(consult.createTransport(leaves, 'send'), (error: unknown) => error instanceof ProtocolFailure && error.code === 'already-exists');
    const producerId = await consult.produce(leaves, {
      transportId: send.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusRtpParameters(4242),
    });
    assert.equal(leaves.info().audioMuted, false);
    const transports = [...leaves.transports.values()].map((entry) => entry.transport);
    const producer = leaves.producers.get(producerId);
    assert.ok(producer);

    consult.leave(leaves);
    assert.ok(transports.every((transport) => transport.closed));
    assert.ok(producer.closed);
    assert.ok(leaves.closed);
    assert.equal(consult.participants.size, 1);
    assert.ok(!consult.closed);
    await assert.rejects(consult.createTransport(leaves, 'send'), (error: unknown) => error instanceof ProtocolFailure && error.code === 'not-joined');
    consult.leave(stays);
  });

  it('tells everyone when the consult is closed by the server', async () => {
    const consult = await registry.getOrCreate('shutdown');
    const channel = recordingChannel();
    const participant = consult.join('interpreter', 'Elena Petrova', channel);
    registry.closeAll('server-shutdown');
    assert.deepEqual(channel.received, [{ event: 'consultClosed', payload: { reason: 'server-shutdown' } }]);
    assert.ok(participant.closed);
    assert.equal(registry.get('shutdown'), undefined);
  });
});
