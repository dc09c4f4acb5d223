// GET /metrics: off unless configured, protected when on (a bearer token on
// the main port, or a listener of its own), and its values follow what
// happens in consults. Also: log lines in a consult carry the consult's and
// the participant's ids and never a name or a secret.
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ConfigError } from '../../server/config';
import { type ConsiliumServer, startConsiliumServer } from '../../server/consiliumServer';
import type { JoinResponse, TransportOptions } from '../../shared/protocol';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { metricValue } from '../helpers/prometheus';
import { ask, connect, expectOk, nextEvent, opusRtpParameters, type TestSocket } from '../helpers/signallingClient';
import { startTestServer, testConfig } from '../helpers/testServer';

const token = 'metrics-token-for-tests-0123456789';

describe('metrics', function () {
  this.timeout(30_000);
  const servers: ConsiliumServer[] = [];
  const sockets: TestSocket[] = [];

  async function server(overrides: Record<string, string> = {}): Promise<ConsiliumServer> {
    const started = await startTestServer(overrides);
    servers.push(started);
    return started;
  }

  async function client(port: number, cookie?: string): Promise<TestSocket> {
    const socket = await connect(port, cookie);
    sockets.push(socket);
    return socket;
  }

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await Promise.all(servers.splice(0).map((started) => started.close()));
  });

  const scrape = (port: number, authorization?: string) =>
    fetch(`http://127.0.0.1:${port}/metrics`, authorization ? { headers: { authorization } } : {});

  it('are off unless configured', async () => {
    const plain = await server();
    assert.equal((await scrape(plain.port)).status, 404);
    assert.equal((await scrape(plain.port, `Bearer ${token}`)).status, 404);
    assert.equal(plain.metricsPort, undefined);
  });

  it('on the main port, answer only with the bearer token', async () => {
    const guarded = await server({ METRICS_TOKEN: token });
    const missing = await scrape(guarded.port);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await scrape(guarded.port, `Bearer ${token}x`)).status, 401);
    assert.equal((await scrape(guarded.port, `Basic ${Buffer.from(`x:${token}`).toString('base64')}`)).status, 401);
    const ok = await scrape(guarded.port, `Bearer ${token}`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(metricValue(await ok.text(), 'consilium_consults_live'), 0);
  });

  it('on a listener of their own, are not served on the main port', async () => {
    const separate = await server({ METRICS_PORT: '0' });
    assert.ok(separate.metricsPort, 'the metrics listener has a port');
    assert.equal((await scrape(separate.port)).status, 404);
    assert.equal((await scrape(separate.metricsPort)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${separate.metricsPort}/healthz`)).status, 404);

    const both = await server({ METRICS_PORT: '0', METRICS_TOKEN: token });
    assert.ok(both.metricsPort);
    assert.equal((await scrape(both.metricsPort)).status, 401);
    assert.equal((await scrape(both.metricsPort, `Bearer ${token}`)).status, 200);
  });

  it('follow joins, the waiting room, admission and media objects', async () => {
    const live = await server({ METRICS_TOKEN: token });
    const read = async () => (await scrape(live.port, `Bearer ${token}`)).text();
    const doctor: DoctorFixture = await createDoctor(live);
    const consultId = createConsult(live, doctor);

    const before = await read();
    assert.equal(metricValue(before, 'consilium_participants', { role: 'doctor', state: 'admitted' }), 0);
    assert.equal(metricValue(before, 'consilium_join_duration_seconds_count', { role: 'doctor' }), 0);

    const doctorSocket = await client(live.port, doctor.cookie);
    await expectOk(doctorSocket, 'join', { as: 'doctor', consultId });
    const afterDoctor = await read();
    assert.equal(metricValue(afterDoctor, 'consilium_consults_live'), 1);
    assert.equal(metricValue(afterDoctor, 'consilium_participants', { role: 'doctor', state: 'admitted' }), 1);
    assert.equal(metricValue(afterDoctor, 'consilium_join_duration_seconds_count', { role: 'doctor' }), 1);
    assert.equal(metricValue(afterDoctor, 'consilium_socketio_connections'), 1);

    const { token: inviteToken } = await createInviteToken(live, consultId, 'patient');
    const patientSocket = await client(live.port);
    const arrived = nextEvent(doctorSocket, 'participantArrived');
    const join = await expectOk<JoinResponse>(patientSocket, 'join', { as: 'guest', inviteToken, displayName: 'Amira Haddad' });
    await arrived;
    const waiting = await read();
    assert.equal(metricValue(waiting, 'consilium_waiting_room_size'), 1);
    assert.equal(metricValue(waiting, 'consilium_participants', { role: 'patient', state: 'waiting' }), 1);
    assert.equal(metricValue(waiting, 'consilium_waiting_room_wait_seconds_count', { role: 'patient' }), 0);

    const admitted = nextEvent(patientSocket, 'admitted');
    await expectOk(doctorSocket, 'admit', { participantId: join.participantId });
    await admitted;
    const inCall = await read();
    assert.equal(metricValue(inCall, 'consilium_waiting_room_size'), 0);
    assert.equal(metricValue(inCall, 'consilium_participants', { role: 'patient', state: 'waiting' }), 0);
    assert.equal(metricValue(inCall, 'consilium_participants', { role: 'patient', state: 'admitted' }), 1);
    assert.equal(metricValue(inCall, 'consilium_waiting_room_wait_seconds_count', { role: 'patient' }), 1);
    assert.equal(metricValue(inCall, 'consilium_join_duration_seconds_count', { role: 'patient' }), 1);
    assert.ok(metricValue(inCall, 'consilium_join_duration_seconds_sum', { role: 'patient' }) > 0);

    const { transport } = await expectOk<{ transport: TransportOptions }>(patientSocket, 'createTransport', { direction: 'send' });
    await expectOk(patientSocket, 'createTransport', { direction: 'receive' });
    await expectOk(patientSocket, 'produce', { transportId: transport.id, kind: 'audio', source: 'microphone', rtpParameters: opusRtpParameters(1111) });
    const withMedia = await read();
    assert.equal(metricValue(withMedia, 'consilium_mediasoup_transports', { direction: 'send' }), 1);
    assert.equal(metricValue(withMedia, 'consilium_mediasoup_transports', { direction: 'receive' }), 1);
    assert.equal(metricValue(withMedia, 'consilium_mediasoup_producers', { kind: 'audio' }), 1);
    assert.equal(metricValue(withMedia, 'consilium_mediasoup_consumers', { kind: 'audio' }), 0);
    assert.ok(metricValue(withMedia, 'consilium_media_bytes_received_total') >= 0);
    const [worker] = live.pool.workers;
    assert.ok(worker);
    assert.ok(metricValue(withMedia, 'consilium_mediasoup_worker_cpu_seconds_total', { worker_pid: String(worker.pid) }) > 0);
    assert.ok(metricValue(withMedia, 'consilium_mediasoup_worker_max_rss_bytes', { worker_pid: String(worker.pid) }) > 1_000_000);

    await expectOk(patientSocket, 'leave');
    const afterLeave = await read();
    assert.equal(metricValue(afterLeave, 'consilium_mediasoup_transports', { direction: 'send' }), 0);
    assert.equal(metricValue(afterLeave, 'consilium_participants', { role: 'patient', state: 'admitted' }), 0);
  });

  it('refuse bad configuration', () => {
    assert.throws(() => testConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN/);
    assert.throws(() => testConfig({ METRICS_TOKEN: `${token} with spaces` }), /METRICS_TOKEN/);
    assert.throws(() => testConfig({ METRICS_HOST: '127.0.0.1' }), (error: unknown) => error instanceof ConfigError && /METRICS_PORT/.test(error.message));
    assert.throws(() => testConfig({ PORT: '3100', METRICS_PORT: '3100' }), /METRICS_PORT must differ/);
    assert.throws(() => testConfig({ METRICS_PORT: 'nine' }), /METRICS_PORT/);
    assert.deepEqual(testConfig({ METRICS_PORT: '9100' }).metrics, { token: undefined, listener: { host: '127.0.0.1', port: 9100 } });
    assert.equal(testConfig().metrics, undefined);
  });
});

describe('logs', function () {
  this.timeout(30_000);

  it('carry consult and participant ids in a consult, never names or secrets', async () => {
    const lines: Record<string, unknown>[] = [];
    const config = testConfig({ LOG_LEVEL: 'info' });
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const server = await startConsiliumServer(config, logger);
    const sockets: TestSocket[] = [];
    try {
      const doctor = await createDoctor(server, 'Dr. Jonas Weber');
      const consultId = createConsult(server, doctor);
      const { token: inviteToken } = await createInviteToken(server, consultId, 'patient');
      const doctorSocket = await connect(server.port, doctor.cookie);
      const patientSocket = await connect(server.port);
      sockets.push(doctorSocket, patientSocket);
      await expectOk(doctorSocket, 'join', { as: 'doctor', consultId });
      const join = await expectOk<JoinResponse>(patientSocket, 'join', { as: 'guest', inviteToken, displayName: 'Amira Haddad' });
      const admitted = nextEvent(patientSocket, 'admitted');
      await expectOk(doctorSocket, 'admit', { participantId: join.participantId });
      await admitted;
      const { transport } = await expectOk<{ transport: TransportOptions }>(patientSocket, 'createTransport', { direction: 'send' });
      // A codec the router does not have: mediasoup refuses, and that is logged.
      const refused = await ask(patientSocket, 'produce', {
        transportId: transport.id,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: { ...opusRtpParameters(2222), codecs: [{ mimeType: 'audio/PCMU', payloadType: 0, clockRate: 8000 }] },
      });
      assert.equal(refused.ok, false);
      await expectOk(patientSocket, 'leave');
      await expectOk(doctorSocket, 'leave');
    } finally {
      for (const socket of sockets) socket.disconnect();
      await server.close();
    }

    const inConsult = lines.filter((line) => line['consultId'] !== undefined);
    const messages = inConsult.map((line) => line['msg']);
    for (const expected of ['participant joined', 'participant admitted', 'mediasoup refused an operation', 'participant left', 'consult closed']) {
      assert.ok(messages.includes(expected), `a "${expected}" line was logged`);
    }
    for (const line of inConsult) {
      // Only the consult's own end is about nobody in particular.
      if (line['msg'] !== 'consult closed') assert.equal(typeof line['participantId'], 'string', `participantId on "${String(line['msg'])}"`);
    }
    const everything = lines.map((line) => JSON.stringify(line)).join('\n');
    for (const secret of ['Amira', 'Haddad', 'Jonas', 'Weber', '@clinic.example', 'consilium_session', 'eyJ']) {
      assert.ok(!everything.includes(secret), `no log line contains ${secret}`);
    }
  });
});
