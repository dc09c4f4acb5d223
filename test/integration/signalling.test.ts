// The signalling server with real Socket.IO clients and a real mediasoup
// worker: validation at the boundary, consult bookkeeping, isolation between
// consults, and clean-up when participants leave or vanish.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { JoinResponse, TransportOptions } from '../../shared/protocol';
import { ask, connect, expectOk, nextEvent, opusRtpParameters, type TestSocket } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

const uuid = () => randomUUID();
const newConsultId = () => `it-${uuid().slice(0, 8)}`;

describe('signalling server', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  const sockets: TestSocket[] = [];

  before(async () => {
    server = await startTestServer({ MAX_PARTICIPANTS_PER_CONSULT: '3' });
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  after(async () => {
    await server?.close();
  });

  async function client(): Promise<TestSocket> {
    const socket = await connect(server.port);
    sockets.push(socket);
    return socket;
  }

  async function joined(consultId: string, role = 'patient', displayName = 'Test Person') {
    const socket = await client();
    const join = await expectOk<JoinResponse>(socket, 'join', { consultId, role, displayName });
    return { socket, join };
  }

  function participantOf(consultId: string, participantId: string) {
    const participant = server.registry.get(consultId)?.participants.get(participantId);
    assert.ok(participant, 'participant exists on the server');
    return participant;
  }

  /** Waits until the server has processed the disconnect of a client. */
  async function eventually(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('refuses every request before join with not-joined', async () => {
    const socket = await client();
    const requests: [string, unknown][] = [
      ['createTransport', { direction: 'send' }],
      ['connectTransport', { transportId: uuid(), dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AA').join(':') }] } }],
      ['restartIce', { transportId: uuid() }],
      ['produce', { transportId: uuid(), kind: 'audio', source: 'microphone', rtpParameters: opusRtpParameters(1) }],
      ['pauseProducer', { producerId: uuid() }],
      ['resumeProducer', { producerId: uuid() }],
      ['closeProducer', { producerId: uuid() }],
      ['setRtpCapabilities', { rtpCapabilities: {} }],
      ['consume', { producerId: uuid() }],
      ['resumeConsumer', { consumerId: uuid() }],
    ];
    for (const [event, payload] of requests) {
      const response = await ask(socket, event, payload);
      assert.equal(response.ok, false, event);
      if (!response.ok) assert.equal(response.error.code, 'not-joined', event);
    }
    const leave = await ask(socket, 'leave');
    assert.ok(!leave.ok && leave.error.code === 'not-joined');
  });

  it('refuses a malformed join without creating a consult', async () => {
    const socket = await client();
    const consultId = newConsultId();
    for (const payload of [undefined, null, 42, 'join', [], { consultId }, { consultId, role: 'admin', displayName: 'X' }]) {
      const response = await ask(socket, 'join', payload);
      assert.ok(!response.ok && response.error.code === 'invalid-payload', JSON.stringify(payload));
    }
    assert.equal(server.registry.get(consultId), undefined);
    // The same connection can still join properly afterwards.
    await expectOk(socket, 'join', { consultId, role: 'doctor', displayName: 'Dr. Weber' });
    assert.equal(server.registry.get(consultId)?.participants.size, 1);
  });

  it('refuses malformed payloads on every event after join, changing nothing', async () => {
    const consultId = newConsultId();
    const { socket, join } = await joined(consultId);
    const participant = participantOf(consultId, join.participantId);
    const malformed: unknown[] = [undefined, null, 7, 'text', [], { unexpected: true }];
    const events = [
      'join',
      'createTransport',
      'connectTransport',
      'restartIce',
      'produce',
      'pauseProducer',
      'resumeProducer',
      'closeProducer',
      'setRtpCapabilities',
      'consume',
      'resumeConsumer',
    ];
    for (const event of events) {
      for (const payload of malformed) {
        // `undefined` as a join payload on a joined socket is still malformed first.
        const response = await ask(socket, event, payload);
        assert.ok(!response.ok, `${event} ${JSON.stringify(payload)} was accepted`);
        if (!response.ok) assert.equal(response.error.code, 'invalid-payload', `${event} ${JSON.stringify(payload)}`);
      }
    }
    const leaveWithPayload = await ask(socket, 'leave', { now: true });
    assert.ok(!leaveWithPayload.ok && leaveWithPayload.error.code === 'invalid-payload');

    assert.equal(participant.transports.size, 0);
    assert.equal(participant.producers.size, 0);
    assert.equal(participant.rtpCapabilities, undefined);
    assert.equal(server.registry.get(consultId)?.participants.size, 1);
  });

  it('ignores requests without an acknowledgement and keeps serving', async () => {
    const socket = await client();
    const consultId = newConsultId();
    socket.emit('join' as 'leave', { consultId, role: 'patient', displayName: 'No Ack' } as never);
    (socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit('createTransport', 'x', 'y', 'z');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(server.registry.get(consultId), undefined);
    await expectOk(socket, 'join', { consultId, role: 'patient', displayName: 'With Ack' });
  });

  it('drops a connection that sends an oversized message, and stays up', async () => {
    const socket = await client();
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('join' as 'leave', { consultId: 'x'.repeat(200_000) } as never);
    assert.ok(await closed);
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal(response.status, 200);
  });

  it('refuses a second join on the same connection and a participant beyond the limit', async () => {
    const consultId = newConsultId();
    const first = await joined(consultId);
    const again = await ask(first.socket, 'join', { consultId, role: 'patient', displayName: 'Again' });
    assert.ok(!again.ok && again.error.code === 'already-joined');
    await joined(consultId, 'doctor');
    await joined(consultId, 'interpreter');
    const fourth = await client();
    const full = await ask(fourth, 'join', { consultId, role: 'doctor', displayName: 'Fourth' });
    assert.ok(!full.ok && full.error.code === 'consult-full');
    assert.equal(server.registry.get(consultId)?.participants.size, 3);
  });

  it('announces producers within a consult only, and cleans up after a vanished participant', async () => {
    const consultId = newConsultId();
    const doctor = await joined(consultId, 'doctor', 'Dr. Weber');
    const { transport: sendTransport } = await expectOk<{ transport: TransportOptions }>(doctor.socket, 'createTransport', {
      direction: 'send',
    });
    const duplicate = await ask(doctor.socket, 'createTransport', { direction: 'send' });
    assert.ok(!duplicate.ok && duplicate.error.code === 'already-exists');
    const { producerId } = await expectOk<{ producerId: string }>(doctor.socket, 'produce', {
      transportId: sendTransport.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusRtpParameters(1111),
    });
    const secondMicrophone = await ask(doctor.socket, 'produce', {
      transportId: sendTransport.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusRtpParameters(2222),
    });
    assert.ok(!secondMicrophone.ok && secondMicrophone.error.code === 'already-exists');

    // The patient joins later and learns of the doctor's microphone once ready to receive.
    const patient = await joined(consultId, 'patient', 'Amira Haddad');
    assert.deepEqual(
      patient.join.participants.map((p) => [p.role, p.displayName, p.audioMuted, p.videoOff]),
      [['doctor', 'Dr. Weber', false, true]],
    );
    const tooEarly = await ask(patient.socket, 'consume', { producerId });
    assert.ok(!tooEarly.ok && tooEarly.error.code === 'not-ready');
    await expectOk(patient.socket, 'createTransport', { direction: 'receive' });
    const announced = nextEvent(patient.socket, 'producerAdded');
    await expectOk(patient.socket, 'setRtpCapabilities', { rtpCapabilities: patient.join.routerRtpCapabilities });
    assert.deepEqual(await announced, { producerId, participantId: doctor.join.participantId, kind: 'audio', source: 'microphone' });

    const { consumer } = await expectOk<{ consumer: { id: string; participantId: string } }>(patient.socket, 'consume', { producerId });
    assert.equal(consumer.participantId, doctor.join.participantId);
    const twice = await ask(patient.socket, 'consume', { producerId });
    assert.ok(!twice.ok && twice.error.code === 'already-exists');
    await expectOk(patient.socket, 'resumeConsumer', { consumerId: consumer.id });

    // Someone in another consult cannot reach this producer, even knowing its id.
    const stranger = await joined(newConsultId(), 'patient', 'Stranger');
    await expectOk(stranger.socket, 'createTransport', { direction: 'receive' });
    await expectOk(stranger.socket, 'setRtpCapabilities', { rtpCapabilities: stranger.join.routerRtpCapabilities });
    const foreign = await ask(stranger.socket, 'consume', { producerId });
    assert.ok(!foreign.ok && foreign.error.code === 'not-found');

    // Muting is seen by the others.
    const updated = nextEvent(patient.socket, 'participantUpdated');
    await expectOk(doctor.socket, 'pauseProducer', { producerId });
    assert.equal((await updated).audioMuted, true);

    // The doctor's connection drops: their transports close, the patient is told.
    const doctorParticipant = participantOf(consultId, doctor.join.participantId);
    const doctorTransports = [...doctorParticipant.transports.values()].map((entry) => entry.transport);
    const consumerClosed = nextEvent(patient.socket, 'consumerClosed');
    const left = nextEvent(patient.socket, 'participantLeft');
    doctor.socket.disconnect();
    assert.deepEqual(await left, { participantId: doctor.join.participantId });
    assert.deepEqual(await consumerClosed, { consumerId: consumer.id });
    assert.ok(doctorTransports.every((transport) => transport.closed));
    assert.equal(server.registry.get(consultId)?.participants.size, 1);

    // When the last one leaves, the consult and its router are gone.
    await expectOk(patient.socket, 'leave');
    await eventually(() => server.registry.get(consultId) === undefined, 'consult removed');
  });
});
