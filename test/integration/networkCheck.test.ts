// POST /api/network-check, what the pre-join network check tries: only for
// someone about to join (a valid invite link or a signed-in doctor), probe
// transports that close by themselves, TURN addresses but never TURN
// credentials, and a limit on how often.
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { NetworkProbes } from '../../server/media/networkProbes';
import type { NetworkCheckPlan } from '../../shared/api';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { startTestServer } from '../helpers/testServer';

const secret = 'a-test-secret-shared-with-coturn-0123456789';

describe('the pre-join network check endpoint', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  let doctor: DoctorFixture;

  before(async () => {
    server = await startTestServer({ TURN_SECRET: secret, TURN_HOST: 'turn.clinic.example', TURN_PORT: '3478', TURN_TLS_PORT: '443', TRUST_PROXY: '1' });
    doctor = await createDoctor(server);
  });
  after(async () => {
    await server?.close();
  });

  /** As if through our proxy (TRUST_PROXY=1), from `from`: each test its own address for the rate limit. */
  const check = (headers: Record<string, string>, from = '10.9.0.1') =>
    fetch(`http://127.0.0.1:${server.port}/api/network-check`, { method: 'POST', headers: { ...headers, 'x-forwarded-for': from } });

  it('gives someone with an invite link a probe of each media port and the TURN addresses, without credentials', async () => {
    const consultId = createConsult(server, doctor);
    const { token } = await createInviteToken(server, consultId, 'patient');
    const response = await check({ authorization: `Bearer ${token}` });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const plan = (await response.json()) as NetworkCheckPlan;
    assert.deepEqual(
      plan.direct.map((probe) => [probe.protocol, probe.iceCandidates.map((candidate) => `${candidate.protocol} ${candidate.address}`)]),
      [
        ['udp', ['udp 127.0.0.1']],
        ['tcp', ['tcp 127.0.0.1']],
      ],
    );
    for (const probe of plan.direct) {
      assert.match(probe.iceParameters.usernameFragment, /^\w+$/);
      assert.match(probe.fingerprint.value, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    }
    assert.deepEqual(plan.relays, [
      { protocol: 'udp', url: 'turn:turn.clinic.example:3478?transport=udp' },
      { protocol: 'tcp', url: 'turn:turn.clinic.example:3478?transport=tcp' },
      { protocol: 'tls', url: 'turns:turn.clinic.example:443?transport=tcp' },
    ]);
    assert.doesNotMatch(JSON.stringify(plan), /credential|username"/);
  });

  it('serves a signed-in doctor, and refuses anyone else', async () => {
    const from = '10.9.0.2';
    assert.equal((await check({ cookie: doctor.cookie }, from)).status, 200);
    const nobody = await check({}, from);
    assert.equal(nobody.status, 401);
    assert.deepEqual(((await nobody.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    assert.equal((await check({ authorization: 'Bearer not-a-token' }, from)).status, 401);
    assert.equal((await check({ cookie: 'consilium_session=forged' }, from)).status, 401);

    const consultId = createConsult(server, doctor);
    const { token } = await createInviteToken(server, consultId, 'patient');
    server.consults.markEnded(consultId);
    const ended = await check({ authorization: `Bearer ${token}` }, from);
    assert.equal(((await ended.json()) as { error: { code: string } }).error.code, 'consult-ended');
  });

  it('limits how often one address may check', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) statuses.push((await check({ cookie: doctor.cookie }, '10.9.0.77')).status);
    assert.deepEqual(statuses.slice(0, 10), new Array(10).fill(200));
    assert.deepEqual(statuses.slice(10), [429, 429]);
  });

  it('closes its transports by itself, and refuses more checks at once than it allows', async () => {
    const probes = new NetworkProbes(server.pool, { maxOpen: 2, lifetimeMs: 300 });
    await probes.open();
    await probes.open();
    assert.equal(probes.openCount, 2);
    await assert.rejects(probes.open(), { name: 'Refusal', code: 'server-busy' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(probes.openCount, 0);
    await probes.open();
    probes.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(probes.openCount, 0);
  });
});
