// Short invite links (/j#<code>): a 14-character code the server exchanges
// for the link's signed token, under the same rules as the long link (role,
// expiry, withdrawal, the signing key), found by a hash the database keeps,
// and guessing slowed by a per-address limit.
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { InviteTokens } from '../../server/scheduling/inviteTokens';
import type { ConsultDetails, CreatedInviteLink, InviteDetails, ResolvedInviteCode } from '../../shared/api';
import { shortInviteCodeAlphabet } from '../../shared/schemas';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { ask, connect } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

describe('short invite links', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  let address = 0;

  before(async () => {
    server = await startTestServer({ TRUST_PROXY: '1' });
    doctor = await createDoctor(server);
  });
  after(async () => {
    await server?.close();
  });

  /** Each test from its own address (as if through our proxy), so the rate limit of one does not touch another. */
  const nextAddress = () => `10.77.0.${++address}`;

  async function resolve(code: unknown, from: string): Promise<{ status: number; body: ResolvedInviteCode & { error?: { code: string } } }> {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/invite/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ code }),
    });
    return { status: response.status, body: (await response.json()) as ResolvedInviteCode & { error?: { code: string } } };
  }

  async function createLink(consultId: string, role: 'patient' | 'interpreter' = 'patient'): Promise<CreatedInviteLink> {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/consults/${consultId}/links`, {
      method: 'POST',
      headers: { cookie: doctor.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ role }),
    });
    assert.equal(response.status, 201);
    return (await response.json()) as CreatedInviteLink;
  }

  async function details(consultId: string): Promise<ConsultDetails> {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/consults/${consultId}`, { headers: { cookie: doctor.cookie } });
    return (await response.json()) as ConsultDetails;
  }

  it('gives each link a 14-character code that opens the consult with the link’s role, as the long link does', async () => {
    const consultId = createConsult(server, doctor);
    const created = await createLink(consultId, 'interpreter');
    const code = created.link.code ?? '';
    assert.match(code, new RegExp(`^[${shortInviteCodeAlphabet}]{14}$`));
    assert.equal((await details(consultId)).links[0]?.code, code, 'the doctor can copy the same code again');

    const resolved = await resolve(code, nextAddress());
    assert.equal(resolved.status, 200);
    const invite = await fetch(`http://127.0.0.1:${server.port}/api/invite`, { headers: { authorization: `Bearer ${resolved.body.token}` } });
    assert.equal(((await invite.json()) as InviteDetails).role, 'interpreter');
    const socket = await connect(server.port);
    try {
      const joined = await ask(socket, 'join', { as: 'guest', inviteToken: resolved.body.token, displayName: 'Samir Khoury' });
      assert.ok(joined.ok, 'the exchanged token joins the consult');
    } finally {
      socket.disconnect();
    }
  });

  it('accepts the code as people retype it: any case, with spaces or dashes, O for zero, I or L for one', async () => {
    const consultId = createConsult(server, doctor);
    const code = (await createLink(consultId)).link.code ?? '';
    const from = nextAddress();
    const grouped = `${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}`.toLowerCase();
    assert.equal((await resolve(grouped, from)).status, 200);
    if (code.includes('0')) assert.equal((await resolve(code.replace(/0/g, 'O'), from)).status, 200);
    if (code.includes('1')) assert.equal((await resolve(code.replace(/1/g, 'l'), from)).status, 200);
  });

  it('refuses a code that is not ours, cut short or malformed, with link-invalid, and bad bodies with invalid-payload', async () => {
    const consultId = createConsult(server, doctor);
    const code = (await createLink(consultId)).link.code ?? '';
    const from = nextAddress();
    const last = code.at(-1) === 'A' ? 'B' : 'A';
    for (const wrong of [code.slice(0, -1) + last, code.slice(0, 10), `${code}X`, 'not a code at all', '']) {
      const refused = await resolve(wrong, from);
      assert.equal(refused.status, 401, wrong);
      assert.equal(refused.body.error?.code, 'link-invalid', wrong);
      assert.equal(refused.body.token, undefined);
    }
    for (const bad of [42, null, 'x'.repeat(65)]) {
      assert.equal((await resolve(bad, from)).body.error?.code, 'invalid-payload');
    }
  });

  it('stops working when the link is withdrawn, and the doctor no longer sees it', async () => {
    const consultId = createConsult(server, doctor);
    const created = await createLink(consultId);
    const from = nextAddress();
    const deleted = await fetch(`http://127.0.0.1:${server.port}/api/consults/${consultId}/links/${created.link.id}`, { method: 'DELETE', headers: { cookie: doctor.cookie } });
    assert.equal(deleted.status, 204);
    assert.equal((await resolve(created.link.code, from)).body.error?.code, 'link-revoked');
    assert.deepEqual(
      (await details(consultId)).links.map((link) => [link.id, link.code]),
      [[created.link.id, null]],
    );
  });

  it('expires with the link', async () => {
    const consultId = createConsult(server, doctor);
    const { linkId } = await createInviteToken(server, consultId, 'patient', Date.now() + 1000);
    const code = server.inviteTokens.shortCode(linkId);
    server.consults.recordLinkCodeHash(linkId, InviteTokens.shortCodeHash(code));
    const from = nextAddress();
    assert.equal((await resolve(code, from)).status, 200);
    await new Promise((resolveTimer) => setTimeout(resolveTimer, 1100));
    assert.equal((await resolve(code, from)).body.error?.code, 'link-expired');
  });

  it('keeps only a hash of the code: the database holds no code that opens anything', async () => {
    const consultId = createConsult(server, doctor);
    const created = await createLink(consultId);
    const code = created.link.code ?? '';
    const row = server.database.prepare('SELECT * FROM invite_links WHERE id = ?').get(created.link.id) as Record<string, unknown>;
    assert.ok(!Object.values(row).some((value) => typeof value === 'string' && value.includes(code)));
    assert.equal(row['code_hash'], InviteTokens.shortCodeHash(code));
  });

  it('is not valid under another signing key, as tokens are not', () => {
    const linkId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const ours = new InviteTokens(Buffer.alloc(32, 1));
    const theirs = new InviteTokens(Buffer.alloc(32, 2));
    assert.notEqual(ours.shortCode(linkId), theirs.shortCode(linkId));
    assert.ok(ours.isShortCodeOf(ours.shortCode(linkId), linkId));
    assert.ok(!ours.isShortCodeOf(theirs.shortCode(linkId), linkId));
  });

  it('spreads codes over the whole alphabet (70 bits each), so none is easier to guess', () => {
    const tokens = new InviteTokens(Buffer.alloc(32, 3));
    const counts = new Map<string, number>();
    const codes = new Set<string>();
    for (let index = 0; index < 3200; index++) {
      const code = tokens.shortCode(`00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
      codes.add(code);
      for (const character of code) counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    assert.equal(codes.size, 3200, 'no two links share a code');
    // 44,800 characters over 32 symbols: 1,400 each on average; a stuck bit would halve or zero some.
    for (const character of shortInviteCodeAlphabet) {
      const count = counts.get(character) ?? 0;
      assert.ok(count > 1200 && count < 1600, `${character} appears ${count} times`);
    }
  });

  it('limits how often one address may try codes', async () => {
    const from = nextAddress();
    let refusedAt = 0;
    for (let attempt = 1; attempt <= 25 && refusedAt === 0; attempt++) {
      const answer = await resolve('AAAAAAAAAAAAAA', from);
      if (answer.status === 429) {
        assert.equal(answer.body.error?.code, 'rate-limited');
        refusedAt = attempt;
      }
    }
    assert.equal(refusedAt, 21, 'twenty tries a minute, then refused');
    assert.equal((await resolve('AAAAAAAAAAAAAA', nextAddress())).status, 401, 'another address is not affected');
  });
});
