// The doctor's consult API over real HTTP: scheduling with validation, only
// one's own consults, invite links that work, can be copied again and
// withdrawn, and an audit of it all.
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { ConsultDetails, ConsultSummary, CreatedInviteLink, InviteDetails } from '../../shared/api';
import type { ConsultInfo } from '../../shared/protocol';
import { createDoctor, type DoctorFixture } from '../helpers/consultFixtures';
import { ask, connect } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

describe('consults API', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  let colleague: DoctorFixture;

  before(async () => {
    server = await startTestServer();
    doctor = await createDoctor(server, 'Dr. Jonas Weber');
    colleague = await createDoctor(server, 'Dr. Nadia Haddad');
  });

  after(async () => {
    await server?.close();
  });

  async function api<T>(who: DoctorFixture | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`http://127.0.0.1:${server.port}/api${path}`, {
      method,
      headers: { ...(who ? { cookie: who.cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  const consultRequest = {
    title: 'Second opinion: oncology',
    scheduledAt: new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString(),
    patientName: 'Amira Haddad',
    patientLanguage: 'ar',
    interpretation: { from: 'ar', to: 'de' },
    doctorTimeZone: 'Europe/Berlin',
    patientTimeZone: 'America/New_York',
  };

  async function guestJoin(token: string) {
    const socket = await connect(server.port);
    try {
      return await ask(socket, 'join', { as: 'guest', inviteToken: token, displayName: 'Amira Haddad' });
    } finally {
      socket.disconnect();
    }
  }

  it('schedules a consult, refusing bad input with a clear error', async () => {
    for (const bad of [
      { ...consultRequest, title: '' },
      { ...consultRequest, scheduledAt: 'tomorrow' },
      { ...consultRequest, patientLanguage: 'not a language!' },
      { ...consultRequest, interpretation: { from: 'ar' } },
      { ...consultRequest, doctorId: colleague.id },
      { ...consultRequest, doctorTimeZone: 'Mars/Olympus_Mons' },
      { ...consultRequest, patientTimeZone: undefined },
    ]) {
      const refused = await api<{ error: { code: string } }>(doctor, 'POST', '/consults', bad);
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.equal(refused.body.error.code, 'invalid-payload');
    }
    assert.equal((await api(undefined, 'POST', '/consults', consultRequest)).status, 401);

    const created = await api<ConsultDetails>(doctor, 'POST', '/consults', consultRequest);
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'upcoming');
    assert.deepEqual(created.body.interpretation, { from: 'ar', to: 'de' });
    assert.deepEqual([created.body.doctorTimeZone, created.body.patientTimeZone], ['Europe/Berlin', 'America/New_York']);
    assert.deepEqual(created.body.links, []);
    const list = await api<ConsultSummary[]>(doctor, 'GET', '/consults');
    assert.deepEqual(list.body.map((consult) => consult.id), [created.body.id]);
    assert.deepEqual((await api<ConsultSummary[]>(colleague, 'GET', '/consults')).body, [], "a colleague does not see it");
  });

  it('keeps each doctor to their own consults', async () => {
    const { body: consult } = await api<ConsultDetails>(doctor, 'POST', '/consults', consultRequest);
    assert.equal((await api(colleague, 'GET', `/consults/${consult.id}`)).status, 404);
    assert.equal((await api(colleague, 'POST', `/consults/${consult.id}/links`, { role: 'patient' })).status, 404);
    assert.equal((await api(colleague, 'GET', `/consults/${consult.id}/audit`)).status, 404);
    assert.equal((await api(doctor, 'GET', '/consults/..%2F..%2Fetc')).status, 404);
  });

  it('creates links that work, copies them again, and withdraws them', async () => {
    const { body: consult } = await api<ConsultDetails>(doctor, 'POST', '/consults', consultRequest);
    const created = await api<CreatedInviteLink>(doctor, 'POST', `/consults/${consult.id}/links`, { role: 'patient' });
    assert.equal(created.status, 201);
    const invite = async (token: string | undefined) => {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/invite`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: response.status, body: (await response.json()) as InviteDetails };
    };
    assert.deepEqual((await invite(created.body.token)).body, {
      role: 'patient',
      person: { name: 'Amira Haddad', language: 'ar' },
      consult: {
        description: null,
        doctorName: 'Dr. Jonas Weber',
        scheduledAt: consultRequest.scheduledAt,
        doctorTimeZone: 'Europe/Berlin',
        interpretation: { from: 'ar', to: 'de' },
        kind: 'call',
        callOver: false,
      },
      expiresAt: created.body.link.expiresAt,
    }, 'the link tells its holder whom they meet and when, and whom the doctor expects; never the doctor\'s own title');
    assert.equal((await invite(undefined)).status, 401);
    assert.equal((await invite('a.b.c')).status, 401);
    assert.equal(created.body.link.role, 'patient');
    const expected = Date.parse(consultRequest.scheduledAt) + 24 * 60 * 60 * 1000 + 90 * 24 * 60 * 60 * 1000;
    assert.equal(Date.parse(created.body.link.expiresAt), expected, 'the call until 24 h after the scheduled time, the written side 90 days more');
    assert.equal((await guestJoin(created.body.token)).ok, true);

    const again = await api<CreatedInviteLink>(doctor, 'POST', `/consults/${consult.id}/links/${created.body.link.id}/token`);
    assert.equal(again.status, 200);
    assert.equal((await guestJoin(again.body.token)).ok, true, 'a copied-again link works');

    assert.equal((await api(doctor, 'DELETE', `/consults/${consult.id}/links/${created.body.link.id}`)).status, 204);
    assert.equal((await invite(created.body.token)).status, 401, 'a withdrawn link tells nothing');
    for (const token of [created.body.token, again.body.token]) {
      const refused = await guestJoin(token);
      assert.ok(!refused.ok && refused.error.code === 'link-revoked');
    }
    const copyWithdrawn = await api<{ error: { code: string } }>(doctor, 'POST', `/consults/${consult.id}/links/${created.body.link.id}/token`);
    assert.equal(copyWithdrawn.body.error.code, 'consult-ended');
    const details = await api<ConsultDetails>(doctor, 'GET', `/consults/${consult.id}`);
    assert.ok(details.body.links[0]?.revokedAt);

    const audit = await api<{ action: string; subject: string }[]>(doctor, 'GET', `/consults/${consult.id}/audit`);
    assert.deepEqual(
      audit.body.filter((event) => event.action.startsWith('link-')).map((event) => [event.action, event.subject]),
      [
        ['link-created', 'patient'],
        ['link-revoked', 'patient'],
      ],
    );
  });

  it('gives a past consult links that open its written side but not its call, and none once that is long past too', async () => {
    const past = { ...consultRequest, scheduledAt: new Date(Date.now() - 3 * 24 * 60 * 60 * 1000).toISOString() };
    const { body: consult } = await api<ConsultDetails>(doctor, 'POST', '/consults', past);
    assert.equal(consult.status, 'past');
    const created = await api<CreatedInviteLink>(doctor, 'POST', `/consults/${consult.id}/links`, { role: 'patient' });
    assert.equal(created.status, 201, 'a patient who lost their link can be sent one to read the opinion');
    const joined = await guestJoin(created.body.token);
    assert.ok(!joined.ok && joined.error.code === 'consult-ended', 'the call’s time has passed');
    const details = await fetch(`http://127.0.0.1:${server.port}/api/invite`, { headers: { authorization: `Bearer ${created.body.token}` } });
    assert.equal(((await details.json()) as InviteDetails).consult.callOver, true);

    const longPast = { ...consultRequest, scheduledAt: new Date(Date.now() - 100 * 24 * 60 * 60 * 1000).toISOString() };
    const { body: old } = await api<ConsultDetails>(doctor, 'POST', '/consults', longPast);
    const refused = await api<{ error: { code: string } }>(doctor, 'POST', `/consults/${old.id}/links`, { role: 'patient' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'consult-ended');
  });

  it('keeps the doctor\'s title to the doctor: patient and interpreter read the description written for them', async () => {
    const description = 'مراجعة خطة العلاج مع الدكتور فيبر';
    for (const bad of ['x'.repeat(501), 'Second \u202eopinion']) {
      const refused = await api<{ error: { code: string } }>(doctor, 'POST', '/consults', { ...consultRequest, patientDescription: bad });
      assert.equal(refused.body.error.code, 'invalid-payload');
    }
    const { body: consult } = await api<ConsultDetails>(doctor, 'POST', '/consults', { ...consultRequest, patientDescription: `  ${description}\n` });
    assert.equal(consult.patientDescription, description);
    const empty = await api<ConsultDetails>(doctor, 'POST', '/consults', { ...consultRequest, patientDescription: '   ' });
    assert.equal(empty.body.patientDescription, null, 'blank is no description: the page says something neutral');

    const interpreterLink = await api<CreatedInviteLink>(doctor, 'POST', `/consults/${consult.id}/links`, { role: 'interpreter' });
    const response = await fetch(`http://127.0.0.1:${server.port}/api/invite`, { headers: { authorization: `Bearer ${interpreterLink.body.token}` } });
    const invite = (await response.json()) as InviteDetails;
    assert.equal(invite.consult.description, description);
    assert.deepEqual(invite.person, { name: null, language: null }, 'the interpreter is not told the patient\'s name');
    assert.ok(!JSON.stringify(invite).includes(consultRequest.title));

    const socket = await connect(server.port);
    try {
      const joined = await ask<{ consult: ConsultInfo }>(socket, 'join', { as: 'guest', inviteToken: interpreterLink.body.token, displayName: 'Samir Khoury' });
      assert.ok(joined.ok);
      assert.equal(joined.consult.title, null);
      assert.equal(joined.consult.description, description);
    } finally {
      socket.disconnect();
    }
  });
});
