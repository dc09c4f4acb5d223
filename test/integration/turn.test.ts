// TURN as a real component: Debian's coturn with the configuration Consilium
// writes, and credentials from the server. Only someone let in gets
// credentials; they work until they expire; the relay reaches the media
// server and nothing else (no loopback, no private network).
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { mediaAccessFor, type TurnConfig } from '../../server/turn/turnCredentials';
import type { MediaAccess } from '../../shared/protocol';
import { ConsultClients } from '../helpers/consultClients';
import { createConsult, createDoctor, type DoctorFixture } from '../helpers/consultFixtures';
import { Coturn } from '../helpers/coturn';
import { freePort } from '../helpers/serverChild';
import { assertRefusal, ask, expectOk, nextEvent } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

const secret = 'a-test-secret-shared-with-coturn-0123456789';
/** Stands in for the media server's public address (TEST-NET-1: denied by default, allowed by name). */
const mediaServerIp = '192.0.2.10';

describe('TURN with coturn', function () {
  this.timeout(30_000);
  let coturn: Coturn;
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  let turn: TurnConfig;
  const clients = new ConsultClients(() => server);

  before(async () => {
    const port = await freePort();
    coturn = await Coturn.start({
      secret,
      realm: 'consult.test',
      listenIps: ['127.0.0.1'],
      port,
      tls: undefined,
      relayPorts: { min: 51000, max: 51100 },
      externalIp: undefined,
      mediaServerIps: [mediaServerIp],
    });
    server = await startTestServer({ TURN_SECRET: secret, TURN_HOST: '127.0.0.1', TURN_PORT: String(port), TURN_TLS_PORT: '5349', TURN_CREDENTIAL_HOURS: '1' });
    doctor = await createDoctor(server);
    turn = { secret, host: '127.0.0.1', port, tlsPort: undefined, credentialTtlMs: 3_600_000, forceRelay: false };
  });
  afterEach(() => clients.closeAll());
  after(async () => {
    coturn?.stop();
    await server?.close();
  });

  it('gives TURN credentials only to someone let in, and fresh ones on request', async () => {
    const consultId = createConsult(server, doctor);
    const { socket: doctorSocket, join: doctorJoin } = await clients.doctorJoins(consultId, doctor);
    assert.ok(doctorJoin.mediaAccess, 'the doctor is in the call: credentials');
    assert.deepEqual(doctorJoin.mediaAccess.iceServers[0]?.urls, [
      `turn:127.0.0.1:${turn.port}?transport=udp`,
      `turn:127.0.0.1:${turn.port}?transport=tcp`,
      'turns:127.0.0.1:5349?transport=tcp',
    ]);

    const guest = await clients.guestJoins(consultId, 'patient', 'Amira Haddad');
    assert.equal(guest.join.mediaAccess, null, 'waiting: no credentials');
    assertRefusal(await ask(guest.socket, 'mediaAccess'), 'not-admitted', 'asking while waiting');
    const admitted = nextEvent(guest.socket, 'admitted');
    await expectOk(doctorSocket, 'admit', { participantId: guest.join.participantId });
    const { mediaAccess } = await admitted;
    const [server0] = mediaAccess.iceServers;
    assert.ok(server0);
    const [expiry, who] = server0.username.split(':');
    assert.equal(who, guest.join.participantId, 'a credential names whom it is for');
    const lifetime = Number(expiry) * 1000 - Date.now();
    assert.ok(lifetime > 3_500_000 && lifetime <= 3_600_000, 'and expires in TURN_CREDENTIAL_HOURS');

    const fresh = await expectOk<{ mediaAccess: MediaAccess }>(guest.socket, 'mediaAccess');
    assert.equal(fresh.mediaAccess.iceServers[0]?.urls.length, 3);
  });

  it('relays to the media server with a valid credential, and refuses an expired one', async () => {
    const { iceServers } = mediaAccessFor(turn, 'participant-1');
    const [credentials] = iceServers;
    assert.ok(credentials);
    for (const tcp of [false, true]) {
      const output = await coturn.probe(credentials.username, credentials.credential, mediaServerIp, { tcp });
      assert.doesNotMatch(output, /ERROR|403/, `relayed over ${tcp ? 'TCP' : 'UDP'}:\n${output}`);
      assert.match(output, /tot_send_msgs=2/);
    }
    const expired = mediaAccessFor({ ...turn, credentialTtlMs: -60_000 }, 'participant-1').iceServers[0];
    assert.ok(expired);
    assert.match(await coturn.probe(expired.username, expired.credential, mediaServerIp), /Cannot complete Allocation/);
    assert.match(await coturn.probe(credentials.username, 'not-the-password', mediaServerIp), /Cannot complete Allocation/);
  });

  it('refuses to relay to loopback or to a private network', async () => {
    const [credentials] = mediaAccessFor(turn, 'participant-2').iceServers;
    assert.ok(credentials);
    for (const peer of ['127.0.0.1', '10.0.0.5', '192.168.1.1', '172.16.0.1', '169.254.169.254']) {
      assert.match(await coturn.probe(credentials.username, credentials.credential, peer), /403 \(Forbidden IP\)/, `a relay to ${peer}`);
    }
  });

  it('hands out relay-only access when the operator forces relay', async () => {
    const forced = await startTestServer({ TURN_SECRET: secret, TURN_HOST: '127.0.0.1', TURN_FORCE_RELAY: '1' });
    try {
      const forcedDoctor = await createDoctor(forced);
      const consultId = createConsult(forced, forcedDoctor);
      const own = new ConsultClients(() => forced);
      try {
        const { join } = await own.doctorJoins(consultId, forcedDoctor);
        assert.equal(join.mediaAccess?.iceTransportPolicy, 'relay');
      } finally {
        own.closeAll();
      }
    } finally {
      await forced.close();
    }
  });
});
