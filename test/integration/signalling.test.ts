// The signalling server with real Socket.IO clients and a real mediasoup
// worker: who may join (links and sessions), the waiting room, validation at
// the boundary, isolation between consults, and clean-up.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { JoinResponse, TransportOptions } from '../../shared/protocol';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { ConsultClients } from '../helpers/consultClients';
import { ask, assertRefusal, expectOk, nextEvent, opusRtpParameters, type TestSocket } from '../helpers/signallingClient';
import { eventually } from '../helpers/eventually';
import { startTestServer } from '../helpers/testServer';

const uuid = () => randomUUID();

describe('signalling server', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  const clients = new ConsultClients(() => server);
  const client = (cookie?: string) => clients.connect(cookie);
  const doctorJoins = (consultId: string, who = doctor) => clients.doctorJoins(consultId, who);
  const guestJoins = (consultId: string, role: 'patient' | 'interpreter', displayName: string) => clients.guestJoins(consultId, role, displayName);
  const admittedGuest = (consultId: string, doctorSocket: TestSocket, role: 'patient' | 'interpreter', displayName: string) =>
    clients.admittedGuest(consultId, doctorSocket, role, displayName);

  before(async () => {
    server = await startTestServer({ MAX_PARTICIPANTS_PER_CONSULT: '3', RECONNECT_GRACE_SECONDS: '1' });
    doctor = await createDoctor(server);
  });

  afterEach(() => clients.closeAll());

  after(async () => {
    await server?.close();
  });

  function participantOf(consultId: string, participantId: string) {
    const participant = server.registry.get(consultId)?.participants.get(participantId);
    assert.ok(participant, 'participant exists on the server');
    return participant;
  }

  describe('who may join', () => {
    it('lets a patient in with a valid link, into the waiting room', async () => {
      const consultId = createConsult(server, doctor);
      const { join } = await guestJoins(consultId, 'patient', 'Amira Haddad');
      assert.equal(join.admitted, false);
      assert.equal(join.role, 'patient');
      assert.deepEqual(join.participants, []);
      assert.deepEqual(join.waitingStatus, { position: 1, doctorOnline: false });
      assert.deepEqual(join.consult, {
        id: consultId,
        title: null,
        description: null,
        doctorName: 'Dr. Jonas Weber',
        patientLanguage: 'en',
        interpretation: { from: 'en', to: 'de' },
        scheduledAt: new Date(server.consults.get(consultId)!.scheduledAt).toISOString(),
        doctorTimeZone: 'Europe/Berlin',
      });
    });

    it('refuses forged, tampered, expired, revoked and mismatched links', async () => {
      const consultId = createConsult(server, doctor);
      const otherConsultId = createConsult(server, doctor);
      const socket = await client();
      const tryToken = (inviteToken: string) => ask(socket, 'join', { as: 'guest', inviteToken, displayName: 'Mallory' });

      const valid = await createInviteToken(server, consultId, 'patient');
      const [header, payload, signature] = valid.token.split('.') as [string, string, string];
      assertRefusal(await tryToken(`${header}.${payload}.${'A'.repeat(signature.length)}`), 'link-invalid', 'a forged signature');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'interpreter' })).toString('base64url');
      assertRefusal(await tryToken(`${header}.${tampered}.${signature}`), 'link-invalid', 'a tampered role');
      assertRefusal(await tryToken('eyJ.eyJ.sig'), 'link-invalid', 'garbage in token form');

      const expired = await createInviteToken(server, consultId, 'patient', Date.now() - 1000);
      assertRefusal(await tryToken(expired.token), 'link-expired', 'an expired link');

      const revoked = await createInviteToken(server, consultId, 'interpreter');
      server.consults.revokeLink(revoked.linkId, 'revoked');
      assertRefusal(await tryToken(revoked.token), 'link-revoked', 'a revoked link');

      // Correctly signed, but naming a link that belongs to another consult.
      const otherLink = server.consults.createLink(otherConsultId, 'patient', Date.now() + 60_000);
      const mismatched = await server.inviteTokens.sign({ linkId: otherLink.id, consultId, role: 'patient' }, Date.now() + 60_000);
      assertRefusal(await tryToken(mismatched), 'link-invalid', "another consult's link");

      assert.equal(server.registry.get(consultId), undefined, 'no refused join created a consult');
      // The same connection still joins with a good link.
      await expectOk(socket, 'join', { as: 'guest', inviteToken: valid.token, displayName: 'Amira Haddad' });
    });

    it('lets only the signed-in owner join as doctor', async () => {
      const consultId = createConsult(server, doctor);
      const colleague = await createDoctor(server, 'Dr. Nadia Haddad');
      assertRefusal(await ask(await client(), 'join', { as: 'doctor', consultId }), 'unauthenticated', 'no session');
      assertRefusal(
        await ask(await client('consilium_session=not-a-real-session'), 'join', { as: 'doctor', consultId }),
        'unauthenticated',
        'a forged session',
      );
      assertRefusal(await ask(await client(colleague.cookie), 'join', { as: 'doctor', consultId }), 'not-found', "another doctor's consult");
      const { join } = await doctorJoins(consultId);
      assert.equal(join.admitted, true);
      assert.equal(join.displayName, 'Dr. Jonas Weber');
    });

    it('refuses a second join on the same connection and admitting a participant beyond the limit', async () => {
      const consultId = createConsult(server, doctor);
      const first = await doctorJoins(consultId);
      assertRefusal(await ask(first.socket, 'join', { as: 'doctor', consultId }), 'already-joined', 'a second join');
      await admittedGuest(consultId, first.socket, 'patient', 'Amira Haddad');
      await admittedGuest(consultId, first.socket, 'interpreter', 'Elena Petrova');
      const fourth = await guestJoins(consultId, 'patient', 'Fourth');
      assert.equal(fourth.join.admitted, false, 'waiting does not count against the call');
      assertRefusal(await ask(first.socket, 'admit', { participantId: fourth.join.participantId }), 'consult-full', 'admitting a fourth');
      assert.equal(server.registry.get(consultId)?.participants.size, 4);
    });
  });

  describe('the waiting room', () => {
    it('gives a waiting participant no media at all', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await doctorJoins(consultId);
      const { token } = await createInviteToken(server, consultId, 'patient');
      const patient = await client();
      const arrived = nextEvent(doctorSocket, 'participantArrived');
      const join = await expectOk<JoinResponse>(patient, 'join', { as: 'guest', inviteToken: token, displayName: 'Amira Haddad' });
      assert.equal((await arrived).id, join.participantId);

      assertRefusal(await ask(patient, 'createTransport', { direction: 'receive' }), 'not-admitted', 'a transport while waiting');
      assertRefusal(
        await ask(patient, 'setRtpCapabilities', { rtpCapabilities: join.routerRtpCapabilities }),
        'not-admitted',
        'capabilities while waiting',
      );
      assertRefusal(await ask(patient, 'consume', { producerId: uuid() }), 'not-admitted', 'consuming while waiting');
      assertRefusal(await ask(patient, 'admit', { participantId: join.participantId }), 'forbidden', 'admitting oneself');
      const participant = participantOf(consultId, join.participantId);
      assert.equal(participant.transports().length, 0);
      assert.equal(participant.consumers().length, 0);
    });

    it('alerts the doctor of every arrival and lets them admit while in the call', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await doctorJoins(consultId);
      const arrivals: string[] = [];
      doctorSocket.on('participantArrived', (participant) => arrivals.push(participant.displayName));
      const patient = await admittedGuest(consultId, doctorSocket, 'patient', 'Amira Haddad');
      const interpreter = await guestJoins(consultId, 'interpreter', 'Elena Petrova');
      await eventually(() => arrivals.length === 2, 'two arrival alerts');
      assert.deepEqual(arrivals, ['Amira Haddad', 'Elena Petrova']);

      const patientSeesInterpreter = nextEvent(patient.socket, 'participantJoined');
      const admitted = nextEvent(interpreter.socket, 'admitted');
      await expectOk(doctorSocket, 'admit', { participantId: interpreter.join.participantId });
      const { participants } = await admitted;
      assert.deepEqual(participants.map((participant) => participant.displayName).sort(), ['Amira Haddad', 'Dr. Jonas Weber']);
      assert.equal((await patientSeesInterpreter).displayName, 'Elena Petrova');
      await expectOk(interpreter.socket, 'createTransport', { direction: 'receive' });
    });

    it('turns away a denied participant for good', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await doctorJoins(consultId);
      const guest = await guestJoins(consultId, 'patient', 'Unknown Caller');
      const removed = nextEvent(guest.socket, 'removed');
      const disconnected = new Promise((resolve) => guest.socket.once('disconnect', resolve));
      await expectOk(doctorSocket, 'deny', { participantId: guest.join.participantId });
      assert.deepEqual(await removed, { reason: 'denied' });
      await disconnected;
      const again = await client();
      assertRefusal(await ask(again, 'join', { as: 'guest', inviteToken: guest.token, displayName: 'Unknown Caller' }), 'link-revoked', 'rejoining');
    });

    it('removes a participant who then cannot come back with the same link', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await doctorJoins(consultId);
      const interpreter = await admittedGuest(consultId, doctorSocket, 'interpreter', 'Elena Petrova');
      const removed = nextEvent(interpreter.socket, 'removed');
      const left = nextEvent(doctorSocket, 'participantLeft');
      await expectOk(doctorSocket, 'remove', { participantId: interpreter.join.participantId });
      assert.deepEqual(await removed, { reason: 'removed' });
      assert.deepEqual(await left, { participantId: interpreter.join.participantId });
      const again = await client();
      assertRefusal(await ask(again, 'join', { as: 'guest', inviteToken: interpreter.token, displayName: 'Elena Petrova' }), 'link-revoked', 'coming back');
      assert.equal(server.consults.getLink(interpreter.linkId)?.revokedAt !== null, true);
      const actions = server.audit.list(consultId).map((event) => event.action);
      assert.deepEqual(actions, ['joined', 'arrived-waiting', 'admitted', 'removed']);
    });

    it('ends the consult for everyone; nobody can join it again', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await doctorJoins(consultId);
      const patient = await admittedGuest(consultId, doctorSocket, 'patient', 'Amira Haddad');
      const closed = nextEvent(patient.socket, 'consultClosed');
      await expectOk(doctorSocket, 'endConsult');
      assert.deepEqual(await closed, { reason: 'ended' });
      await eventually(() => server.registry.get(consultId) === undefined, 'live consult gone');
      assert.ok(server.consults.get(consultId)?.endedAt);
      assertRefusal(
        await ask(await client(), 'join', { as: 'guest', inviteToken: patient.token, displayName: 'Amira Haddad' }),
        'consult-ended',
        'a patient rejoining',
      );
      assertRefusal(await ask(await client(doctor.cookie), 'join', { as: 'doctor', consultId }), 'consult-ended', 'the doctor rejoining');
    });
  });

  describe('reconnection', () => {
    it('lets a participant whose connection dropped come back without being admitted again', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await doctorJoins(consultId);
      const patient = await admittedGuest(consultId, doctorSocket, 'patient', 'Amira Haddad');
      const { transport } = await expectOk<{ transport: TransportOptions }>(patient.socket, 'createTransport', { direction: 'send' });

      const reconnecting = nextEvent(doctorSocket, 'participantUpdated');
      patient.socket.disconnect();
      assert.equal((await reconnecting).reconnecting, true);

      const fresh = await client();
      const refused = await ask(fresh, 'resume', { participantId: patient.join.participantId, resumeToken: 'B'.repeat(43) });
      assertRefusal(refused, 'not-found', 'a wrong resume token');
      const back = nextEvent(doctorSocket, 'participantUpdated');
      const resumed = await expectOk<{ admitted: boolean; participants: { id: string }[]; consumerIds: string[] }>(fresh, 'resume', {
        participantId: patient.join.participantId,
        resumeToken: patient.join.resumeToken,
      });
      assert.equal(resumed.admitted, true);
      assert.deepEqual(resumed.participants.map((participant) => participant.id), [doctorJoinsId(consultId)]);
      assert.equal((await back).reconnecting, false);
      // Same transports on the server: an ICE restart brings media back.
      const { iceParameters } = await expectOk<{ iceParameters: { usernameFragment: string } }>(fresh, 'restartIce', {
        transportId: transport.id,
      });
      assert.ok(iceParameters.usernameFragment);
      assert.deepEqual(
        server.audit.list(consultId).map((event) => event.action),
        ['joined', 'arrived-waiting', 'admitted'],
        'a reconnection is neither a departure nor a new arrival',
      );
    });

    it('counts a participant as gone when the grace period ends', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await doctorJoins(consultId);
      const patient = await admittedGuest(consultId, doctorSocket, 'patient', 'Amira Haddad');
      const left = nextEvent(doctorSocket, 'participantLeft', 3000);
      patient.socket.disconnect();
      assert.deepEqual(await left, { participantId: patient.join.participantId });
      const late = await client();
      assertRefusal(
        await ask(late, 'resume', { participantId: patient.join.participantId, resumeToken: patient.join.resumeToken }),
        'not-found',
        'resuming after the grace period',
      );
    });
  });

  function doctorJoinsId(consultId: string): string {
    const consult = server.registry.get(consultId);
    const found = [...(consult?.participants.values() ?? [])].find((participant) => participant.role === 'doctor');
    assert.ok(found);
    return found.id;
  }

  describe('validation', () => {
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
        ['admit', { participantId: uuid() }],
        ['deny', { participantId: uuid() }],
        ['remove', { participantId: uuid() }],
      ];
      for (const [event, payload] of requests) assertRefusal(await ask(socket, event, payload), 'not-joined', event);
      assertRefusal(await ask(socket, 'leave'), 'not-joined', 'leave');
      assertRefusal(await ask(socket, 'endConsult'), 'not-joined', 'endConsult');
    });

    it('refuses a malformed join without creating a consult', async () => {
      const consultId = createConsult(server, doctor);
      const socket = await client(doctor.cookie);
      for (const payload of [
        undefined,
        null,
        42,
        'join',
        [],
        { consultId },
        { as: 'doctor' },
        { as: 'admin', consultId },
        { as: 'doctor', consultId, role: 'doctor' },
        { as: 'guest', inviteToken: 'not a token', displayName: 'X' },
        { as: 'guest', inviteToken: 'a.b.c', displayName: '' },
      ]) {
        assertRefusal(await ask(socket, 'join', payload), 'invalid-payload', JSON.stringify(payload));
      }
      assert.equal(server.registry.get(consultId), undefined);
      await expectOk(socket, 'join', { as: 'doctor', consultId });
    });

    it('refuses malformed payloads on every event after join, changing nothing', async () => {
      const consultId = createConsult(server, doctor);
      const { socket, join } = await doctorJoins(consultId);
      const waiting = await guestJoins(consultId, 'patient', 'Amira Haddad');
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
        'admit',
        'deny',
        'remove',
        'resume',
        'sendChat',
        'floorCue',
        'muteParticipant',
        'askToUnmute',
        'presentDocument',
        'updateView',
        'movePointer',
        'addAnnotation',
        'removeAnnotation',
      ];
      for (const event of events) {
        for (const payload of malformed) {
          assertRefusal(await ask(socket, event, payload), 'invalid-payload', `${event} ${JSON.stringify(payload)}`);
        }
      }
      for (const event of ['leave', 'endConsult', 'stopPresenting']) {
        assertRefusal(await ask(socket, event, { now: true }), 'invalid-payload', `${event} with a payload`);
      }

      assert.equal(participant.transports().length, 0);
      assert.equal(participant.producers().length, 0);
      assert.equal(participant.rtpCapabilities, undefined);
      assert.equal(participantOf(consultId, waiting.join.participantId).admitted, false);
      assert.equal(server.registry.get(consultId)?.participants.size, 2);
      assert.equal(server.consults.get(consultId)?.endedAt, null);
    });

    it('ignores requests without an acknowledgement and keeps serving', async () => {
      const consultId = createConsult(server, doctor);
      const socket = await client(doctor.cookie);
      const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void };
      raw.emit('join', { as: 'doctor', consultId });
      raw.emit('createTransport', 'x', 'y', 'z');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(server.registry.get(consultId), undefined);
      await expectOk(socket, 'join', { as: 'doctor', consultId });
    });

    it('drops a connection that sends an oversized message, and stays up', async () => {
      const socket = await client();
      const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      (socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit('join', { consultId: 'x'.repeat(200_000) });
      assert.ok(await closed);
      const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      assert.equal(response.status, 200);
    });
  });

  it('announces producers within a consult only, and cleans up after a vanished participant', async () => {
    const consultId = createConsult(server, doctor);
    const doctorSide = await doctorJoins(consultId);
    const { transport: sendTransport } = await expectOk<{ transport: TransportOptions }>(doctorSide.socket, 'createTransport', {
      direction: 'send',
    });
    assertRefusal(await ask(doctorSide.socket, 'createTransport', { direction: 'send' }), 'already-exists', 'a second send transport');
    const { producerId } = await expectOk<{ producerId: string }>(doctorSide.socket, 'produce', {
      transportId: sendTransport.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusRtpParameters(1111),
    });
    assertRefusal(
      await ask(doctorSide.socket, 'produce', {
        transportId: sendTransport.id,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: opusRtpParameters(2222),
      }),
      'already-exists',
      'a second microphone',
    );

    // The patient is let in later and learns of the doctor's microphone once ready to receive.
    const patient = await admittedGuest(consultId, doctorSide.socket, 'patient', 'Amira Haddad');
    assertRefusal(await ask(patient.socket, 'consume', { producerId }), 'not-ready', 'consuming without a transport');
    await expectOk(patient.socket, 'createTransport', { direction: 'receive' });
    const announced = nextEvent(patient.socket, 'producerAdded');
    await expectOk(patient.socket, 'setRtpCapabilities', { rtpCapabilities: patient.join.routerRtpCapabilities });
    assert.deepEqual(await announced, { producerId, participantId: doctorSide.join.participantId, kind: 'audio', source: 'microphone' });

    const { consumer } = await expectOk<{ consumer: { id: string; participantId: string } }>(patient.socket, 'consume', { producerId });
    assert.equal(consumer.participantId, doctorSide.join.participantId);
    assertRefusal(await ask(patient.socket, 'consume', { producerId }), 'already-exists', 'consuming twice');
    await expectOk(patient.socket, 'resumeConsumer', { consumerId: consumer.id });

    // Someone admitted to another consult cannot reach this producer, even knowing its id.
    const otherConsultId = createConsult(server, doctor);
    const otherDoctor = await doctorJoins(otherConsultId);
    await expectOk(otherDoctor.socket, 'createTransport', { direction: 'receive' });
    await expectOk(otherDoctor.socket, 'setRtpCapabilities', { rtpCapabilities: otherDoctor.join.routerRtpCapabilities });
    assertRefusal(await ask(otherDoctor.socket, 'consume', { producerId }), 'not-found', "another consult's producer");

    // Muting is seen by the others.
    const updated = nextEvent(patient.socket, 'participantUpdated');
    await expectOk(doctorSide.socket, 'pauseProducer', { producerId });
    assert.equal((await updated).audioMuted, true);

    // The doctor can mute the patient and ask them to unmute, but not unmute them; the patient cannot mute the doctor.
    const { transport: patientSend } = await expectOk<{ transport: TransportOptions }>(patient.socket, 'createTransport', {
      direction: 'send',
    });
    const { producerId: patientMicrophone } = await expectOk<{ producerId: string }>(patient.socket, 'produce', {
      transportId: patientSend.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusRtpParameters(3333),
    });
    assertRefusal(
      await ask(patient.socket, 'muteParticipant', { participantId: doctorSide.join.participantId }),
      'forbidden',
      'a patient muting the doctor',
    );
    const mutedNotice = nextEvent(patient.socket, 'mutedByDoctor');
    await expectOk(doctorSide.socket, 'muteParticipant', { participantId: patient.join.participantId });
    assert.deepEqual(await mutedNotice, { by: 'Dr. Jonas Weber' });
    const patientParticipant = participantOf(consultId, patient.join.participantId);
    assert.equal(patientParticipant.producer(patientMicrophone)?.paused, true);
    const request = nextEvent(patient.socket, 'unmuteRequested');
    await expectOk(doctorSide.socket, 'askToUnmute', { participantId: patient.join.participantId });
    assert.deepEqual(await request, { by: 'Dr. Jonas Weber' });
    assert.equal(patientParticipant.producer(patientMicrophone)?.paused, true, 'asking does not unmute');
    await expectOk(patient.socket, 'resumeProducer', { producerId: patientMicrophone });

    // The doctor's connection drops: their transports close, the patient is told.
    const doctorParticipant = participantOf(consultId, doctorSide.join.participantId);
    const doctorTransports = doctorParticipant.transports().map((entry) => entry.transport);
    const consumerClosed = nextEvent(patient.socket, 'consumerClosed');
    const left = nextEvent(patient.socket, 'participantLeft');
    doctorSide.socket.disconnect();
    assert.deepEqual(await left, { participantId: doctorSide.join.participantId });
    assert.deepEqual(await consumerClosed, { consumerId: consumer.id });
    assert.ok(doctorTransports.every((transport) => transport.closed));
    assert.equal(server.registry.get(consultId)?.participants.size, 1);

    // When the last one leaves, the live consult and its router are gone.
    await expectOk(patient.socket, 'leave');
    await eventually(() => server.registry.get(consultId) === undefined, 'consult removed');
  });
});
