// A trial of a weak downlink is a lease (shared/videoLinkGuard.ts): the
// server ends it by itself unless the browser says something new in time,
// because on a link the trial jammed, the browser's "hold it again" may not
// get through for a long while. Signalling level, with a real mediasoup worker.
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { TransportOptions } from '../../shared/protocol';
import type { VideoLimitsRequest } from '../../shared/schemas';
import { trialLeaseMs } from '../../shared/videoLinkGuard';
import { createConsult, createDoctor, type DoctorFixture } from '../helpers/consultFixtures';
import { ConsultClients } from '../helpers/consultClients';
import { eventually } from '../helpers/eventually';
import { expectOk, nextEvent, vp8RtpParameters, type TestSocket } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

const held: VideoLimitsRequest = { audioOnly: false, sendingHeldBack: false, receivingHeldBack: true, downlinkWeak: true };
const onTrial: VideoLimitsRequest = { ...held, receivingHeldBack: false };
const carried: VideoLimitsRequest = { ...onTrial, downlinkWeak: false };

describe('a trial of a weak downlink', function () {
  this.timeout(trialLeaseMs * 2 + 20_000);
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  const clients = new ConsultClients(() => server);

  before(async () => {
    server = await startTestServer();
    doctor = await createDoctor(server);
  });

  afterEach(() => clients.closeAll());

  after(async () => {
    await server?.close();
  });

  /** The doctor sends a simulcast camera; the patient receives it. Returns the patient's side and whether her consumer is paused on the server. */
  async function patientReceivingVideo(): Promise<{ socket: TestSocket; paused: () => boolean }> {
    const consultId = createConsult(server, doctor);
    const doctorSide = await clients.doctorJoins(consultId, doctor);
    const { transport } = await expectOk<{ transport: TransportOptions }>(doctorSide.socket, 'createTransport', { direction: 'send' });
    const { producerId } = await expectOk<{ producerId: string }>(doctorSide.socket, 'produce', {
      transportId: transport.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: vp8RtpParameters(5000),
    });
    const patient = await clients.admittedGuest(consultId, doctorSide.socket, 'patient', 'Amira Haddad');
    await expectOk(patient.socket, 'createTransport', { direction: 'receive' });
    await expectOk(patient.socket, 'setRtpCapabilities', { rtpCapabilities: patient.join.routerRtpCapabilities });
    const { consumer } = await expectOk<{ consumer: { id: string } }>(patient.socket, 'consume', { producerId });
    await expectOk(patient.socket, 'resumeConsumer', { consumerId: consumer.id });
    const onServer = server.registry.get(consultId)?.participants.get(patient.join.participantId)?.consumer(consumer.id);
    assert.ok(onServer, 'her consumer is on the server');
    assert.equal(onServer.paused, false, 'video flows to her at first');
    await expectOk(patient.socket, 'setVideoLimits', held);
    assert.equal(onServer.paused, true, 'video to her is held back when her browser asks');
    return { socket: patient.socket, paused: () => onServer.paused };
  }

  it('ends by itself when her browser says nothing more, holds video back again and tells her', async () => {
    const patient = await patientReceivingVideo();
    const ended = nextEvent(patient.socket, 'linkTrialEnded', trialLeaseMs + 5000);
    const trialStarted = Date.now();
    await expectOk(patient.socket, 'setVideoLimits', onTrial);
    assert.equal(patient.paused(), false, 'the trial lets video flow');
    await ended;
    const lasted = Date.now() - trialStarted;
    assert.ok(lasted >= trialLeaseMs - 100, `the trial ran its lease (${lasted} ms of ${trialLeaseMs})`);
    await eventually(patient.paused, 'video held back again after the trial');
    // Her browser then says what it now thinks (a failed trial): nothing changes.
    await expectOk(patient.socket, 'setVideoLimits', held);
    assert.equal(patient.paused(), true);
  });

  it('goes on when her browser keeps it in time', async () => {
    const patient = await patientReceivingVideo();
    let endedEarly = false;
    patient.socket.on('linkTrialEnded', () => (endedEarly = true));
    await expectOk(patient.socket, 'setVideoLimits', onTrial);
    await new Promise((resolve) => setTimeout(resolve, trialLeaseMs - 4000));
    await expectOk(patient.socket, 'setVideoLimits', carried);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    assert.equal(endedEarly, false, 'the kept trial was not ended');
    assert.equal(patient.paused(), false, 'video goes on flowing');
  });
});
