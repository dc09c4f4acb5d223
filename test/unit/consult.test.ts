// Consult and registry bookkeeping, against a real mediasoup worker but
// without any network client: who is told what, who may do what, and what
// gets closed.
import assert from 'node:assert/strict';
import type { AuditAction } from '../../server/audit/auditLog';
import type { Consult } from '../../server/live/consult';
import { ConsultRegistry } from '../../server/live/consultRegistry';
import type { Participant, ParticipantChannel, ParticipantIdentity } from '../../server/live/participant';
import { createLogger } from '../../server/logger';
import { WorkerPool } from '../../server/media/workerPool';
import type { ChatMessage, ConsultInfo, Role, ServerToClientEvents } from '../../shared/protocol';
import { mediaAccessFor } from '../../server/turn/turnCredentials';
import { MemoryInMemory } from '../helpers/consultMemory';
import { eventually } from '../helpers/eventually';
import { opusRtpParameters } from '../helpers/signallingClient';
import { testConfig } from '../helpers/testServer';
import { Refusal } from '../../shared/refusals';

type Notification = { event: keyof ServerToClientEvents; payload: unknown };

function recordingChannel(): ParticipantChannel & { received: Notification[]; disconnected: boolean } {
  const channel = {
    received: [] as Notification[],
    disconnected: false,
    notify<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>) {
      channel.received.push({ event, payload: args[0] });
    },
    disconnect() {
      channel.disconnected = true;
    },
  };
  return channel;
}

const consultInfo = (id: string): ConsultInfo => ({
  id,
  title: 'Second opinion',
  description: null,
  doctorName: 'Dr. Weber',
  patientLanguage: 'ar',
  interpretation: { from: 'ar', to: 'de' },
  scheduledAt: new Date().toISOString(),
  doctorTimeZone: 'Europe/Berlin',
});
const identity = (role: Role, displayName: string): ParticipantIdentity => ({
  role,
  displayName,
  linkId: role === 'doctor' ? undefined : `link-${displayName}`,
  seat: role === 'doctor' ? `doctor:${displayName}` : `link:link-${displayName}`,
});
const allowed = (): void => undefined;

function assertRefused(action: () => unknown, code: string): void {
  assert.throws(action, (error: unknown) => error instanceof Refusal && error.code === code);
}

/** A floor without its time stamp. */
const pick = (floor: { holderId: string; speakerId: string | null; pauseRequested: boolean } | null) =>
  floor && { holderId: floor.holderId, speakerId: floor.speakerId, pauseRequested: floor.pauseRequested };

const eventsOf = (channel: { received: Notification[] }) => channel.received.map((entry) => entry.event);

describe('consult bookkeeping', function () {
  this.timeout(20_000);
  let pool: WorkerPool;
  let registry: ConsultRegistry;
  const audited: { consultId: string; action: AuditAction; actor: string | null; subject: string | null }[] = [];
  const logger = createLogger('silent');
  const memories = new Map<string, MemoryInMemory>();

  before(async () => {
    pool = await WorkerPool.create(testConfig().media, logger);
    registry = new ConsultRegistry(
      pool,
      {
        maxParticipants: 4,
        maxWaiting: 3,
        reconnectGraceMs: 150,
        auditorFor: (consultId) => (action, actor, subject) => audited.push({ consultId, action, actor, subject: subject ?? null }),
        chatFor: () => {
          const messages: ChatMessage[] = [];
          return {
            add: (from, audience, text) => {
              const message = { id: crypto.randomUUID(), at: new Date().toISOString(), from, ...audience, text };
              messages.push(message);
              return message;
            },
            list: () => [...messages],
          };
        },
        documentsFor: () => ({
          get: () => undefined,
          annotations: () => [],
          annotation: () => undefined,
          addAnnotation: () => {
            throw new Error('no documents in these tests');
          },
          removeAnnotation: () => undefined,
        }),
        memoryFor: (consultId) => memories.get(consultId) ?? memories.set(consultId, new MemoryInMemory()).get(consultId)!,
        mediaAccessFor: (participant) => mediaAccessFor(undefined, participant.id),
      },
      logger,
    );
  });

  after(() => pool?.close());

  async function consultWithDoctor(id: string): Promise<{ consult: Consult; doctor: Participant; doctorChannel: ReturnType<typeof recordingChannel> }> {
    const consult = await registry.getOrCreate(consultInfo(id));
    const doctorChannel = recordingChannel();
    const doctor = consult.join(identity('doctor', 'Dr. Weber'), doctorChannel);
    return { consult, doctor, doctorChannel };
  }

  it('creates one consult for concurrent first joins', async () => {
    const [a, b] = await Promise.all([registry.getOrCreate(consultInfo('same')), registry.getOrCreate(consultInfo('same'))]);
    assert.equal(a, b);
    assert.equal(registry.get('same'), a);
    a.close();
    assert.equal(registry.get('same'), undefined);
  });

  it('admits doctors at once and keeps everyone else waiting, out of sight', async () => {
    const { consult, doctor, doctorChannel } = await consultWithDoctor('waiting');
    assert.ok(doctor.admitted);
    const patientChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), patientChannel);
    const interpreterChannel = recordingChannel();
    const interpreter = consult.join(identity('interpreter', 'Elena Petrova'), interpreterChannel);

    assert.equal(patient.admitted, false);
    assert.deepEqual(consult.viewFor(patient).participants, [], 'a waiting person sees nobody');
    assert.deepEqual(consult.viewFor(doctor).participants, [], 'the doctor sees nobody in the call yet');
    assert.deepEqual(consult.viewFor(doctor).waiting.map((entry) => entry.displayName), ['Amira Haddad', 'Elena Petrova']);
    assert.deepEqual(consult.viewFor(patient).waiting, [], 'only doctors see the waiting room');
    assert.deepEqual(consult.viewFor(patient).waitingStatus, { position: 1, doctorOnline: true });
    assert.deepEqual(consult.viewFor(interpreter).waitingStatus, { position: 2, doctorOnline: true });

    // Every arrival alerts the doctor, not only the first.
    assert.equal(eventsOf(doctorChannel).filter((event) => event === 'participantArrived').length, 2);
    assert.ok(!eventsOf(patientChannel).includes('participantJoined'), 'the patient is not told the interpreter arrived');

    // No media for anyone waiting.
    await assert.rejects(async () => consult.mediaOf(patient).createTransport(patient, 'receive'), (error: unknown) => error instanceof Refusal && error.code === 'not-admitted');
    assertRefused(() => consult.mediaOf(patient).setRtpCapabilities(patient, { codecs: [] }), 'not-admitted');
    await assert.rejects(async () => consult.mediaOf(patient).consume(patient, crypto.randomUUID()), (error: unknown) => error instanceof Refusal && error.code === 'not-admitted');

    // Only a doctor admits.
    assertRefused(() => consult.admit(interpreter, patient.id), 'forbidden');
    consult.admit(doctor, patient.id);
    assert.ok(patient.admitted);
    assert.deepEqual(patientChannel.received.find((entry) => entry.event === 'admitted')?.payload, {
      participants: [doctor.info()],
      presentation: null,
      floor: null,
      chat: [],
      mediaAccess: { iceServers: [], iceTransportPolicy: 'all' },
    });
    assert.deepEqual(consult.viewFor(interpreter).waitingStatus, { position: 1, doctorOnline: true }, 'the queue moves up');
    assertRefused(() => consult.admit(doctor, patient.id), 'not-found');
    await consult.mediaOf(patient).createTransport(patient, 'receive');
    consult.close();
  });

  it('tells waiting people whether the doctor is there', async () => {
    const consult = await registry.getOrCreate(consultInfo('early'));
    const patientChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), patientChannel);
    assert.deepEqual(consult.viewFor(patient).waitingStatus, { position: 1, doctorOnline: false });
    const doctor = consult.join(identity('doctor', 'Dr. Weber'), recordingChannel());
    assert.deepEqual(patientChannel.received.at(-1), { event: 'waitingStatus', payload: { position: 1, doctorOnline: true } });
    consult.leave(doctor);
    assert.deepEqual(patientChannel.received.at(-1), { event: 'waitingStatus', payload: { position: 1, doctorOnline: false } });
    assert.ok(!consult.closed, 'the consult stays open while someone waits');
    consult.leave(patient);
    assert.ok(consult.closed);
  });

  it('denies and removes: the person is told why and disconnected; doctors cannot be removed', async () => {
    const { consult, doctor } = await consultWithDoctor('dismiss');
    const waitingChannel = recordingChannel();
    const waiting = consult.join(identity('patient', 'Unknown Caller'), waitingChannel);
    const interpreterChannel = recordingChannel();
    const interpreter = consult.join(identity('interpreter', 'Elena Petrova'), interpreterChannel);
    consult.admit(doctor, interpreter.id);
    const colleague = consult.join(identity('doctor', 'Dr. Haddad'), recordingChannel());

    assertRefused(() => consult.dismiss(doctor, interpreter.id, 'denied'), 'not-found');
    const denied = consult.dismiss(doctor, waiting.id, 'denied');
    assert.equal(denied.linkId, 'link-Unknown Caller');
    assert.deepEqual(waitingChannel.received.at(-1), { event: 'removed', payload: { reason: 'denied' } });
    assert.ok(waitingChannel.disconnected && waiting.closed);

    consult.dismiss(doctor, interpreter.id, 'removed');
    assert.deepEqual(interpreterChannel.received.at(-1), { event: 'removed', payload: { reason: 'removed' } });
    assert.ok(interpreterChannel.disconnected);
    assertRefused(() => consult.dismiss(doctor, colleague.id, 'removed'), 'forbidden');
    assert.deepEqual([...consult.participants.values()], [doctor, colleague]);
    consult.close();
  });

  it('ends the consult for everyone when the doctor says so, and audits it all', async () => {
    audited.length = 0;
    const { consult, doctor } = await consultWithDoctor('end');
    const patientChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), patientChannel);
    assertRefused(() => consult.end(patient), 'forbidden');
    consult.admit(doctor, patient.id);
    consult.end(doctor);
    assert.deepEqual(patientChannel.received.at(-1), { event: 'consultClosed', payload: { reason: 'ended' } });
    assert.ok(consult.closed && patient.closed);
    assert.deepEqual(
      audited.map(({ action, actor, subject }) => [action, actor, subject]),
      [
        ['joined', 'doctor Dr. Weber', null],
        ['arrived-waiting', 'patient Amira Haddad', null],
        ['admitted', 'doctor Dr. Weber', 'patient Amira Haddad'],
        ['consult-ended', 'doctor Dr. Weber', null],
        ['left', 'doctor Dr. Weber', null],
        ['left', 'patient Amira Haddad', null],
      ],
    );
  });

  it('keeps a participant whose connection dropped for the grace period, then lets them go', async () => {
    const { consult, doctor, doctorChannel } = await consultWithDoctor('grace');
    const oldChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), oldChannel);
    consult.admit(doctor, patient.id);

    consult.connectionLost(patient, oldChannel);
    assert.ok(patient.reconnecting);
    assert.deepEqual(doctorChannel.received.at(-1), { event: 'participantUpdated', payload: { ...patient.info(), reconnecting: true } });
    assertRefused(() => consult.resume(patient.id, 'A'.repeat(43), recordingChannel(), allowed), 'not-found');

    const newChannel = recordingChannel();
    assert.equal(consult.resume(patient.id, patient.resumeToken, newChannel, allowed), patient);
    assert.ok(!patient.reconnecting && patient.admitted, 'back without being admitted again');
    assert.equal(patient.channel, newChannel);
    // A late notice that the old connection dropped changes nothing.
    consult.connectionLost(patient, oldChannel);
    assert.ok(!patient.reconnecting);

    consult.connectionLost(patient, newChannel);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(patient.closed, 'gone once the grace period is over');
    assert.deepEqual(doctorChannel.received.at(-1), { event: 'participantLeft', payload: { participantId: patient.id } });
    consult.close();
  });

  it('takes over from a connection the server still thought alive', async () => {
    const { consult, doctor } = await consultWithDoctor('takeover');
    const oldChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), oldChannel);
    consult.admit(doctor, patient.id);
    consult.resume(patient.id, patient.resumeToken, recordingChannel(), allowed);
    assert.ok(oldChannel.disconnected, 'the stale connection is closed');
    consult.close();
  });

  it('keeps chat between a waiting person and the doctors private, the pre-brief within the care team, and in-call chat for everyone admitted', async () => {
    const { consult, doctor, doctorChannel } = await consultWithDoctor('chat');
    const patientChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), patientChannel);
    const interpreterChannel = recordingChannel();
    const interpreter = consult.join(identity('interpreter', 'Elena Petrova'), interpreterChannel);
    consult.admit(doctor, interpreter.id);
    const chatOf = (channel: { received: Notification[] }) =>
      channel.received.filter((entry) => entry.event === 'chatMessage').map((entry) => (entry.payload as ChatMessage).text);

    consult.sendChat(patient, 'I am a little early.', undefined);
    consult.sendChat(doctor, 'No problem, one moment please.', patient.id);
    assertRefused(() => consult.sendChat(interpreter, 'Hello?', patient.id), 'forbidden');
    assertRefused(() => consult.sendChat(patient, 'Hi interpreter', interpreter.id), 'forbidden');
    consult.sendChat(interpreter, 'Ready when you are.', undefined);

    assert.deepEqual(chatOf(patientChannel), ['I am a little early.', 'No problem, one moment please.']);
    assert.deepEqual(chatOf(interpreterChannel), ['Ready when you are.'], 'the interpreter does not read the private thread');
    assert.deepEqual(chatOf(doctorChannel), ['I am a little early.', 'No problem, one moment please.', 'Ready when you are.']);
    assert.deepEqual(
      consult.viewFor(patient).chat.map((message) => message.text),
      ['I am a little early.', 'No problem, one moment please.'],
      'history follows the same rules',
    );

    consult.admit(doctor, patient.id);
    consult.sendChat(doctor, 'Welcome, Ms Haddad.', undefined);
    assert.deepEqual(
      consult.viewFor(patient).chat.map((message) => message.text),
      ['I am a little early.', 'No problem, one moment please.', 'Welcome, Ms Haddad.'],
      'what the doctor and the interpreter wrote before the patient came in stays with them',
    );
    assert.deepEqual(
      consult.viewFor(interpreter).chat.map((message) => [message.text, message.careTeam]),
      [
        ['Ready when you are.', true],
        ['Welcome, Ms Haddad.', false],
      ],
    );
    for (let index = 0; index < 9; index++) consult.sendChat(patient, `message ${index}`, undefined);
    assertRefused(() => consult.sendChat(patient, 'one too many', undefined), 'rate-limited');

    // Someone let in later (a relative with a second link) reads the call's chat so far, with being let in.
    const relativeChannel = recordingChannel();
    const relative = consult.join(identity('patient', 'A relative'), relativeChannel);
    consult.admit(doctor, relative.id);
    const admitted = relativeChannel.received.find((entry) => entry.event === 'admitted')?.payload as { chat: ChatMessage[] };
    assert.ok(admitted.chat.some((message) => message.text === 'Welcome, Ms Haddad.'), 'the call’s chat so far');
    assert.ok(!admitted.chat.some((message) => message.careTeam || message.thread !== null), 'nothing from the pre-brief or anyone’s private thread');
    consult.close();
  });

  it('passes the floor between a speaker and the interpreter, as a cue that blocks nothing', async () => {
    const { consult, doctor, doctorChannel } = await consultWithDoctor('floor');
    const patientChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), patientChannel);
    assertRefused(() => consult.floorCue(patient, 'hand-to-interpreter'), 'not-admitted');
    consult.admit(doctor, patient.id);
    assertRefused(() => consult.floorCue(doctor, 'hand-to-interpreter'), 'not-found');
    const interpreter = consult.join(identity('interpreter', 'Elena Petrova'), recordingChannel());
    consult.admit(doctor, interpreter.id);

    assert.deepEqual(pick(consult.floorCue(doctor, 'hand-to-interpreter')), { holderId: interpreter.id, speakerId: doctor.id, pauseRequested: false });
    const floorEvents = patientChannel.received.filter((entry) => entry.event === 'floorChanged');
    assert.equal(floorEvents.length, 1, 'everyone in the call sees whose turn it is');
    assert.deepEqual(pick(consult.floorCue(interpreter, 'hand-back')), { holderId: doctor.id, speakerId: null, pauseRequested: false });
    assertRefused(() => consult.floorCue(interpreter, 'hand-back'), 'forbidden');
    assertRefused(() => consult.floorCue(patient, 'ask-to-pause'), 'forbidden');
    assert.deepEqual(pick(consult.floorCue(interpreter, 'ask-to-pause')), { holderId: interpreter.id, speakerId: doctor.id, pauseRequested: true });
    assertRefused(() => consult.floorCue(interpreter, 'hand-to-interpreter'), 'forbidden');
    assert.deepEqual(consult.viewFor(patient).floor?.holderId, interpreter.id, 'someone joining sees the floor');

    consult.leave(doctor);
    assert.deepEqual(pick(consult.viewFor(interpreter).floor), { holderId: interpreter.id, speakerId: null, pauseRequested: true }, 'the floor does not go back to someone who left');
    assert.deepEqual(consult.floorCue(interpreter, 'hand-back'), null, 'nobody to hand back to: the floor is free');
    assert.ok(eventsOf(doctorChannel).includes('floorChanged'));
    consult.close();
  });

  it('bounds the call and the waiting room, and always lets the doctor in', async () => {
    const consult = await registry.getOrCreate(consultInfo('limit'));
    const doctor = consult.join(identity('doctor', 'Dr. Weber'), recordingChannel());
    const guests = [0, 1, 2].map((index) => consult.join(identity('patient', `P${index}`), recordingChannel()));
    assertRefused(() => consult.join(identity('patient', 'P3'), recordingChannel()), 'waiting-room-full');
    for (const guest of guests) consult.admit(doctor, guest.id);
    // Four in the call (the limit): a fourth guest may wait, but not come in.
    const fourth = consult.join(identity('interpreter', 'P4'), recordingChannel());
    assertRefused(() => consult.admit(doctor, fourth.id), 'consult-full');
    assert.equal(fourth.admitted, false);
    // A doctor is never kept out: their second window takes over from the first.
    const doctorAgain = consult.join(identity('doctor', 'Dr. Weber'), recordingChannel());
    assert.ok(doctorAgain.admitted);
    assert.ok(doctor.closed, 'the older window made way');
    assert.equal([...consult.participants.values()].filter((participant) => participant.role === 'doctor').length, 1);
    const colleague = consult.join(identity('doctor', 'Dr. Haddad'), recordingChannel());
    assert.ok(colleague.admitted, 'another doctor comes in even with the call full');
    consult.close();
    assertRefused(() => consult.join(identity('doctor', 'Late'), recordingChannel()), 'consult-closed');
  });

  it('gives one link one place: a second connection waits behind a live one and replaces a lost one', async () => {
    const { consult, doctor, doctorChannel } = await consultWithDoctor('one-link');
    const firstChannel = recordingChannel();
    const first = consult.join(identity('patient', 'Amira Haddad'), firstChannel);
    for (let attempt = 0; attempt < 5; attempt++) {
      assertRefused(() => consult.join(identity('patient', 'Amira Haddad'), recordingChannel()), 'link-in-use');
    }
    assert.equal(consult.participants.size, 2, 'the doctor and one patient');
    consult.admit(doctor, first.id);

    consult.connectionLost(first, firstChannel);
    const secondChannel = recordingChannel();
    const second = consult.join(identity('patient', 'Amira Haddad'), secondChannel);
    assert.ok(first.closed, 'the lost connection is replaced');
    assert.equal(second.id, first.id, 'the same person keeps their participant id');
    assert.equal(second.admitted, true, 'admitted before, so straight back in');
    assert.equal(consult.participants.size, 2);
    assert.deepEqual(eventsOf(doctorChannel).slice(-3), ['participantLeft', 'participantJoined', 'returnChanged'], 'one tile: the old goes, the new comes');
    assert.deepEqual(consult.viewFor(doctor).waiting, []);
    assert.deepEqual(consult.viewFor(doctor).mayReturn, [second.id], 'the doctor sees who may come back without waiting');

    // The doctor's choice: this person waits to be let in next time.
    assertRefused(() => consult.allowReturn(second, second.id, false), 'forbidden');
    consult.allowReturn(doctor, second.id, false);
    assert.deepEqual(doctorChannel.received.at(-1), { event: 'returnChanged', payload: { participantId: second.id, mayReturn: false } });
    consult.connectionLost(second, secondChannel);
    const third = consult.join(identity('patient', 'Amira Haddad'), recordingChannel());
    assert.equal(third.admitted, false, 'the doctor said: ask me first');
    consult.admit(doctor, third.id);
    assert.deepEqual(consult.viewFor(doctor).mayReturn, [third.id], 'let in again: may come back again');

    // Removed by the doctor, the same link would have to wait again (and here its link is gone anyway).
    consult.dismiss(doctor, third.id, 'removed');
    const fourth = consult.join(identity('patient', 'Amira Haddad'), recordingChannel());
    assert.equal(fourth.admitted, false, 'removed: no way straight back in');
    consult.close();
  });

  it('moves to a new router when its media worker dies: nobody leaves, nobody is admitted again', async function () {
    this.timeout(30_000);
    const { consult, doctor, doctorChannel } = await consultWithDoctor('worker-death');
    const patientChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), patientChannel);
    consult.admit(doctor, patient.id);
    const send = await consult.mediaOf(patient).createTransport(patient, 'send');
    await consult.mediaOf(patient).produce(patient, { transportId: send.id, kind: 'audio', source: 'microphone', rtpParameters: opusRtpParameters(5151) });
    const deadWorker = pool.workers[0];
    assert.ok(deadWorker);

    process.kill(deadWorker.pid, 'SIGKILL');
    await eventually(
      () => eventsOf(doctorChannel).includes('mediaRestarted') && eventsOf(patientChannel).includes('mediaRestarted'),
      'everyone in the call is told to make their media again',
      15_000,
    );

    assert.ok(!consult.closed, 'the consult goes on');
    assert.ok(patient.admitted && !patient.closed && !doctor.closed, 'everyone is still in it, still admitted');
    assert.deepEqual(patient.transports(), [], 'the dead media is forgotten');
    assert.notEqual(pool.workers[0]?.pid, deadWorker.pid, 'on the restarted worker');
    // Media can be made again at once.
    const again = await consult.mediaOf(patient).createTransport(patient, 'send');
    await consult.mediaOf(patient).produce(patient, { transportId: again.id, kind: 'audio', source: 'microphone', rtpParameters: opusRtpParameters(5152) });
    assert.equal(patient.info().audioMuted, false);
    assert.ok(!eventsOf(patientChannel).includes('consultClosed'));
    consult.close();
  });

  it('keeps what is shown and the floor for a restart, and forgets them when the consult ends', async () => {
    const { consult, doctor } = await consultWithDoctor('kept');
    const interpreter = consult.join(identity('interpreter', 'Elena Petrova'), recordingChannel());
    consult.admit(doctor, interpreter.id);
    consult.floorCue(doctor, 'hand-to-interpreter');
    const floor = consult.viewFor(doctor).floor;
    assert.equal(floor?.holderId, interpreter.id);
    consult.close('server-shutdown');
    assert.deepEqual(audited.filter((entry) => entry.consultId === 'kept').map((entry) => entry.action).slice(-2), ['left', 'left'], 'every departure audited');

    // The server is back: the same consult, the same people with the same ids, the floor where it was.
    const again = await registry.getOrCreate(consultInfo('kept'));
    const doctorAgain = again.join(identity('doctor', 'Dr. Weber'), recordingChannel());
    const interpreterAgain = again.join(identity('interpreter', 'Elena Petrova'), recordingChannel());
    assert.equal(doctorAgain.id, doctor.id);
    assert.equal(interpreterAgain.id, interpreter.id);
    assert.ok(interpreterAgain.admitted, 'admitted before the restart: straight back in');
    assert.deepEqual(again.viewFor(doctorAgain).floor, floor);
    again.end(doctorAgain);

    const afterEnd = await registry.getOrCreate(consultInfo('kept'));
    assert.equal(afterEnd.viewFor(afterEnd.join(identity('doctor', 'Dr. Weber'), recordingChannel())).floor, null, 'ended: forgotten');
    afterEnd.close();
  });

  it('ends a withdrawn link at once, and refuses a resume the link no longer allows', async () => {
    const { consult, doctor } = await consultWithDoctor('withdrawn');
    const patientChannel = recordingChannel();
    const patient = consult.join(identity('patient', 'Amira Haddad'), patientChannel);
    consult.admit(doctor, patient.id);
    consult.linkWithdrawn('link-Amira Haddad');
    assert.ok(patient.closed);
    assert.deepEqual(patientChannel.received.at(-1), { event: 'removed', payload: { reason: 'link-revoked' } });
    assert.ok(patientChannel.disconnected);

    const interpreterChannel = recordingChannel();
    const interpreter = consult.join(identity('interpreter', 'Elena Petrova'), interpreterChannel);
    consult.connectionLost(interpreter, interpreterChannel);
    const revoked = () => {
      throw new Refusal('link-revoked', 'withdrawn');
    };
    assertRefused(() => consult.resume(interpreter.id, interpreter.resumeToken, recordingChannel(), revoked), 'link-revoked');
    assert.ok(interpreter.closed, 'out for good, not left waiting for the grace period');
    consult.close();
  });

  it("closes a participant's transports and producers when they leave", async () => {
    const { consult, doctor: stays } = await consultWithDoctor('cleanup');
    const leaves = consult.join(identity('patient', 'Amira Haddad'), recordingChannel());
    consult.admit(stays, leaves.id);
    const send = await consult.mediaOf(leaves).createTransport(leaves, 'send');
    await consult.mediaOf(leaves).createTransport(leaves, 'receive');
    await assert.rejects(async () => consult.mediaOf(leaves).createTransport(leaves, 'send'), (error: unknown) => error instanceof Refusal && error.code === 'already-exists');
    const producerId = await consult.mediaOf(leaves).produce(leaves, {
      transportId: send.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusRtpParameters(4242),
    });
    assert.equal(leaves.info().audioMuted, false);
    const transports = leaves.transports().map((entry) => entry.transport);
    const producer = leaves.producer(producerId);
    assert.ok(producer);

    consult.leave(leaves);
    assert.ok(transports.every((transport) => transport.closed));
    assert.ok(producer.closed);
    assert.ok(leaves.closed);
    assert.equal(consult.participants.size, 1);
    assert.ok(!consult.closed);
    await assert.rejects(async () => consult.mediaOf(leaves).createTransport(leaves, 'send'), (error: unknown) => error instanceof Refusal && error.code === 'not-joined');
    consult.leave(stays);
    assert.ok(consult.closed, 'the consult closes when the last participant leaves');
  });

  it('tells everyone when the consult is closed by the server', async () => {
    const { consult, doctorChannel } = await consultWithDoctor('shutdown');
    registry.closeAll('server-shutdown');
    assert.deepEqual(doctorChannel.received.at(-1), { event: 'consultClosed', payload: { reason: 'server-shutdown' } });
    assert.ok(consult.closed);
    assert.equal(registry.get('shutdown'), undefined);
  });
});
