// Doctor accounts over HTTP: the first-run setup link, colleague invitations,
// sign-in with rate limiting, and sessions.
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { startTestServer } from '../helpers/testServer';

interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
  cookie: string | undefined;
}

describe('doctor accounts', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;

  before(async () => {
    server = await startTestServer({ LOGIN_ATTEMPTS_PER_15_MIN: '5' });
  });

  after(async () => {
    await server?.close();
  });

  async function api(method: string, path: string, body?: unknown, cookie?: string): Promise<JsonResponse> {
    const response = await fetch(`http://127.0.0.1:${server.port}/api${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const setCookie = response.headers.get('set-cookie') ?? undefined;
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, cookie: setCookie?.split(';')[0] };
  }

  const errorCode = (response: JsonResponse) => (response.body['error'] as { code?: string } | undefined)?.code;

  it('creates the first account only with the setup link, once', async () => {
    assert.equal(server.accounts.doctorCount(), 0);
    const stale = server.accounts.createSetupInvitation().token;
    const { token } = server.accounts.createSetupInvitation();
    const account = { email: 'weber@clinic.example', displayName: 'Dr. Jonas Weber', password: 'a long enough secret' };

    const forged = await api('POST', '/doctors', { ...account, invitationToken: 'A'.repeat(43) });
    assert.equal(forged.status, 403);
    assert.equal(errorCode(forged), 'invitation-invalid');
    const replaced = await api('POST', '/doctors', { ...account, invitationToken: stale });
    assert.equal(errorCode(replaced), 'invitation-invalid', 'an earlier setup link stops working when a new one is printed');

    const shortPassword = await api('POST', '/doctors', { ...account, password: 'short', invitationToken: token });
    assert.equal(shortPassword.status, 400);
    assert.equal(errorCode(shortPassword), 'invalid-payload');

    const created = await api('POST', '/doctors', { ...account, invitationToken: token });
    assert.equal(created.status, 201);
    assert.deepEqual((created.body['doctor'] as Record<string, unknown>)['email'], account.email);
    assert.ok(created.cookie?.startsWith('consilium_session='));
    const reused = await api('POST', '/doctors', { ...account, email: 'other@clinic.example', invitationToken: token });
    assert.equal(errorCode(reused), 'invitation-invalid');
    assert.equal(server.accounts.doctorCount(), 1);

    const session = await api('GET', '/session', undefined, created.cookie);
    assert.equal(session.status, 200);
    assert.equal((session.body['doctor'] as Record<string, unknown>)['displayName'], 'Dr. Jonas Weber');
  });

  it('stores no password or token in the clear', () => {
    const rows = server.database.prepare('SELECT password_hash FROM doctors').all() as { password_hash: string }[];
    assert.ok(rows.every((row) => row.password_hash.startsWith('scrypt$') && !row.password_hash.includes('a long enough secret')));
    const sessions = server.database.prepare('SELECT token_hash FROM doctor_sessions').all() as { token_hash: string }[];
    assert.ok(sessions.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash)));
  });

  it('lets a signed-in doctor invite a colleague, and refuses a taken e-mail', async () => {
    const login = await api('POST', '/session', { email: 'WEBER@clinic.example', password: 'a long enough secret' });
    assert.equal(login.status, 200, 'e-mail addresses are matched without regard to case');
    const unauthenticated = await api('POST', '/doctor-invitations');
    assert.equal(unauthenticated.status, 401);
    const invitation = await api('POST', '/doctor-invitations', undefined, login.cookie);
    assert.equal(invitation.status, 201);
    const invitationToken = invitation.body['invitationToken'] as string;

    const taken = await api('POST', '/doctors', {
      invitationToken,
      email: 'weber@clinic.example',
      displayName: 'Someone',
      password: 'another long secret',
    });
    assert.equal(errorCode(taken), 'email-taken');
    const colleague = await api('POST', '/doctors', {
      invitationToken,
      email: 'nadia.haddad@hospital.example',
      displayName: 'Dr. Nadia Haddad',
      password: 'another long secret',
    });
    assert.equal(colleague.status, 201);
    assert.equal(server.accounts.doctorCount(), 2);
  });

  it('signs out: the session stops working', async () => {
    const login = await api('POST', '/session', { email: 'nadia.haddad@hospital.example', password: 'another long secret' });
    assert.equal((await api('GET', '/session', undefined, login.cookie)).status, 200);
    assert.equal((await api('DELETE', '/session', undefined, login.cookie)).status, 204);
    assert.equal((await api('GET', '/session', undefined, login.cookie)).status, 401);
    assert.equal((await api('GET', '/session', undefined, 'consilium_session=forged-token-value')).status, 401);
  });

  it('refuses malformed bodies with a clear error', async () => {
    const notJson = await api('POST', '/session', '{"email":');
    assert.equal(notJson.status, 400);
    assert.equal(errorCode(notJson), 'invalid-payload');
    const extra = await api('POST', '/session', { email: 'a@b.example', password: 'x', admin: true });
    assert.equal(errorCode(extra), 'invalid-payload');
    const unknown = await api('GET', '/nothing-here');
    assert.equal(unknown.status, 404);
  });

  it('rate-limits sign-in attempts', async () => {
    // The limit is 5 per window in this server; earlier tests used 3.
    const attempts: number[] = [];
    for (let index = 0; index < 4; index++) {
      attempts.push((await api('POST', '/session', { email: 'weber@clinic.example', password: 'wrong password' })).status);
    }
    assert.deepEqual(attempts.slice(0, 2), [401, 401]);
    assert.equal(attempts.at(-1), 429);
    const blocked = await api('POST', '/session', { email: 'weber@clinic.example', password: 'a long enough secret' });
    assert.equal(errorCode(blocked), 'rate-limited', 'even the right password waits out the window');
  });
});
