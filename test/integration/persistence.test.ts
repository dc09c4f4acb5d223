// What must survive a server restart: accounts and sessions, consults, invite
// links (and their withdrawal), chat, documents and their annotations, and the
// audit log.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { DocumentInfo, DocumentListResponse } from '../../shared/documents';
import type { ChatMessage, JoinResponse } from '../../shared/protocol';
import { createConsult, createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { asParticipant, DocumentRequests } from '../helpers/documentRequests';
import { numberedPdf } from '../helpers/pdfFiles';
import { ask, connect, expectOk, nextEvent, type TestSocket } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

describe('persistence across a restart', function () {
  this.timeout(30_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'consilium-persist-'));
  const sockets: TestSocket[] = [];
  let server: ConsiliumServer | undefined;
  const documents = new DocumentRequests(() => server?.port ?? 0);

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function client(port: number, cookie?: string): Promise<TestSocket> {
    const socket = await connect(port, cookie);
    sockets.push(socket);
    return socket;
  }

  it('keeps accounts, sessions, consults, links, chat, documents, annotations and the audit log', async () => {
    server = await startTestServer({ DATA_DIR: dataDir });
    const doctor = await createDoctor(server);
    const consultId = createConsult(server, doctor);
    const patientLink = await createInviteToken(server, consultId, 'patient');
    const withdrawn = await createInviteToken(server, consultId, 'interpreter');
    server.consults.revokeLink(withdrawn.linkId, 'revoked');

    const doctorSocket = await client(server.port, doctor.cookie);
    await expectOk(doctorSocket, 'join', { as: 'doctor', consultId });
    const patientSocket = await client(server.port);
    const patientJoin = await expectOk<JoinResponse>(patientSocket, 'join', {
      as: 'guest',
      inviteToken: patientLink.token,
      displayName: 'Amira Haddad',
    });
    const toDoctor = nextEvent(doctorSocket, 'chatMessage');
    await expectOk(patientSocket, 'sendChat', { text: 'Hello, I am waiting.' });
    assert.equal((await toDoctor).text, 'Hello, I am waiting.');
    const toPatient = nextEvent(patientSocket, 'chatMessage');
    await expectOk(doctorSocket, 'sendChat', { text: 'I will let you in shortly.', to: patientJoin.participantId });
    assert.equal((await toPatient).text, 'I will let you in shortly.');
    const refused = await ask(patientSocket, 'sendChat', { text: '   ' });
    assert.ok(!refused.ok && refused.error.code === 'invalid-payload', 'an empty message is refused');
    const pdf = await numberedPdf(2);
    const upload = await documents.upload(consultId, asParticipant(patientLink.token, patientJoin), 'Lab results.pdf', pdf);
    const { document } = (await upload.json()) as { document: DocumentInfo };
    const admitted = nextEvent(patientSocket, 'admitted');
    await expectOk(doctorSocket, 'admit', { participantId: patientJoin.participantId });
    await admitted;
    await expectOk(doctorSocket, 'addAnnotation', {
      documentId: document.id,
      target: { page: 2, series: 0, slice: 0 },
      shape: { kind: 'text', at: { x: 0.2, y: 0.2 }, text: 'Potassium slightly high' },
      color: 'yellow',
    });
    for (const socket of sockets.splice(0)) socket.disconnect();
    await server.close();

    server = await startTestServer({ DATA_DIR: dataDir });
    const restarted = server;
    const session = await fetch(`http://127.0.0.1:${restarted.port}/api/session`, { headers: { cookie: doctor.cookie } });
    assert.equal(session.status, 200, 'the doctor is still signed in');
    const login = await fetch(`http://127.0.0.1:${restarted.port}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: doctor.email, password: doctor.password }),
    });
    assert.equal(login.status, 200, 'the account and its password survive');

    const consults = (await (
      await fetch(`http://127.0.0.1:${restarted.port}/api/consults`, { headers: { cookie: doctor.cookie } })
    ).json()) as { id: string }[];
    assert.deepEqual(consults.map((consult) => consult.id), [consultId]);

    const doctorAgain = await client(restarted.port, doctor.cookie);
    const doctorJoin = await expectOk<JoinResponse>(doctorAgain, 'join', { as: 'doctor', consultId });
    assert.deepEqual(
      doctorJoin.chat.map((message: ChatMessage) => [message.from.displayName, message.text]),
      [
        ['Amira Haddad', 'Hello, I am waiting.'],
        ['Dr. Jonas Weber', 'I will let you in shortly.'],
      ],
    );
    const patientAgain = await client(restarted.port);
    await expectOk(patientAgain, 'join', { as: 'guest', inviteToken: patientLink.token, displayName: 'Amira Haddad' });
    const withdrawnAgain = await ask(await client(restarted.port), 'join', {
      as: 'guest',
      inviteToken: withdrawn.token,
      displayName: 'Elena Petrova',
    });
    assert.ok(!withdrawnAgain.ok && withdrawnAgain.error.code === 'link-revoked', 'a withdrawn link stays withdrawn');

    const list = (await (await documents.get(consultId, '', { cookie: doctor.cookie })).json()) as DocumentListResponse;
    assert.deepEqual(list.documents.map((kept) => [kept.id, kept.name]), [[document.id, 'Lab results.pdf']]);
    const content = await documents.get(consultId, `/${document.id}/content`, { cookie: doctor.cookie });
    assert.deepEqual(Buffer.from(await content.arrayBuffer()), pdf, 'the file itself survives');
    const presented = await expectOk<{ presentation: { annotations: { shape: unknown }[] } }>(doctorAgain, 'presentDocument', {
      documentId: document.id,
    });
    assert.deepEqual(presented.presentation.annotations.map((annotation) => annotation.shape), [
      { kind: 'text', at: { x: 0.2, y: 0.2 }, text: 'Potassium slightly high' },
    ]);

    const actions = restarted.audit.list(consultId).map((event) => event.action);
    assert.deepEqual(actions.slice(0, 3), ['joined', 'arrived-waiting', 'document-uploaded']);
    assert.ok(actions.includes('admitted'));
    // Let in before the restart, the patient comes straight back in after it.
    assert.ok(actions.includes('left') && actions.lastIndexOf('rejoined') > actions.lastIndexOf('left'), 'events after the restart are added');
  });
});
