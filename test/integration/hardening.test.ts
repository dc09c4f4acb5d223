// What someone holding a patient's link (or a page on another site) can do
// to the server, from the adversarial review of issue 9: each hole, the way
// it was found, and what must happen instead.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { JoinResponse } from '../../shared/protocol';
import { ConsultClients } from '../helpers/consultClients';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { dicomImage, studyZip } from '../helpers/dicomFiles';
import { asParticipant, DocumentRequests } from '../helpers/documentRequests';
import { ask, assertRefusal, connect, expectOk, nextEvent } from '../helpers/signallingClient';
import { eventually } from '../helpers/eventually';
import { startTestServer } from '../helpers/testServer';

const megabyte = 1024 * 1024;

describe('hardening against link holders and foreign pages', function () {
  this.timeout(60_000);
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  const clients = new ConsultClients(() => server);
  const documents = new DocumentRequests(() => server.port);

  before(async () => {
    server = await startTestServer({
      MAX_UPLOAD_MB: '64',
      MAX_CONSULT_DOCUMENTS_MB: '200',
      MAX_PARTICIPANTS_PER_CONSULT: '3',
      MAX_WAITING_PER_CONSULT: '2',
      RECONNECT_GRACE_SECONDS: '30',
      PUBLIC_URL: 'https://consilium.clinic.example',
    });
    doctor = await createDoctor(server);
  });
  afterEach(() => clients.closeAll());
  after(async () => {
    await server?.close();
  });

  async function errorOf(response: Response): Promise<{ status: number; code: string }> {
    const body = (await response.json()) as { error: { code: string } };
    return { status: response.status, code: body.error.code };
  }

  describe('1. crafted DICOM files are checked off the main thread, within budgets', () => {
    it('keeps /healthz and a live call answering while the heaviest allowed file is checked', async () => {
      const consultId = createConsult(server, doctor);
      const patient = await createInviteToken(server, consultId, 'patient');
      const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
      // Just under the element budget: the most work a file may ask of a checking worker.
      const heaviest = dicomImage({ rows: 4, columns: 4, pixels: [], privateElements: 199_000 });

      let answered = false;
      const upload = streamUpload(documents.url(consultId, '?name=heavy.dcm'), patient.token, heaviest).finally(() => {
        answered = true;
      });
      const latencies: number[] = [];
      let whileChecking = 0;
      while (!answered) {
        const started = performance.now();
        const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
        assert.equal(health.status, 200);
        // A real request of a live call: the doctor refreshes the floor.
        await expectOk(doctorSocket, 'floorCue', { cue: 'clear' });
        latencies.push(performance.now() - started);
        if (!answered) whileChecking += 1;
      }
      const response = await upload;
      assert.equal(response.status, 201, response.body);
      latencies.sort((a, b) => a - b);
      // Were the file parsed on the main thread, nothing could answer until it was done.
      assert.ok(
        whileChecking >= 5,
        `only ${whileChecking} health checks and signalling requests were answered while the file was checked (slowest ${Math.round(latencies.at(-1) ?? 0)} ms)`,
      );
      // The issue asks for answers within 100 ms. Each sample is a health check and a signalling round trip
      // one after the other, timed from this process, which also sends the upload and shares the CPU with the
      // checking worker; on a small, busy test machine a scheduling hiccup alone can cost a few hundred ms
      // (seen on two cores at a load of 9-10: medians of 2-3 ms, the slowest up to 814 ms). So the typical
      // answer (the median) is held to 100 ms, and the slowest only to a generous 2 s, which a stall like the
      // issue's (over 5 s) would not meet; a check of this file on the main thread is caught above.
      const median = latencies[Math.floor(latencies.length / 2)] ?? Infinity;
      const slowest = latencies.at(-1) ?? Infinity;
      assert.ok(median < 100, `a health check and a signalling request took ${Math.round(median)} ms (median of ${latencies.length}) while the file was checked`);
      assert.ok(slowest < 2000, `the slowest health check and signalling request took ${Math.round(slowest)} ms while the file was checked`);
    });

    it('refuses a file of millions of empty elements at once, with a clear error', async () => {
      const consultId = createConsult(server, doctor);
      const patient = await createInviteToken(server, consultId, 'patient');
      const crafted = dicomImage({ rows: 4, columns: 4, pixels: [], privateElements: 2_000_000 });
      const response = await streamUpload(documents.url(consultId, '?name=crafted.dcm'), patient.token, crafted);
      assert.equal(response.status, 422);
      const body = JSON.parse(response.body) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'file-too-complex');
      assert.match(body.error.message, /more than 200000 data elements/);
      assert.deepEqual((await (await documents.get(consultId, '', { cookie: doctor.cookie })).json() as { documents: unknown[] }).documents, []);
    });
  });

  describe('3. study zips cannot make the server hold or write huge files', () => {
    it('refuses a zip bomb before unpacking it', async () => {
      const consultId = createConsult(server, doctor);
      const patient = await createInviteToken(server, consultId, 'patient');
      // One valid DICOM image of 128 MiB of zeros, about a thousand times smaller zipped.
      const bomb = await studyZip([{ name: 'IM1', bytes: dicomImage({ rows: 8192, columns: 8192, pixels: [] }) }]);
      const before = process.memoryUsage().rss;
      const response = await documents.upload(consultId, { token: patient.token }, 'study.zip', bomb);
      assert.deepEqual(await errorOf(response), { status: 422, code: 'archive-unsafe' });
      const grew = process.memoryUsage().rss - before;
      assert.ok(grew < 64 * megabyte, `memory grew by ${Math.round(grew / megabyte)} MiB`);
      assert.equal(server.documents.remainingBytes(consultId), 200 * megabyte, 'nothing is kept or reserved');
    });

    it('unpacks a large image without reading it whole: the server’s memory stays bounded', async () => {
      const consultId = createConsult(server, doctor);
      const patient = await createInviteToken(server, consultId, 'patient');
      // Warm the checking worker first: starting a thread is not what is measured.
      const small = await studyZip([{ name: 'IM0', bytes: dicomImage({ rows: 8, columns: 8, pixels: [] }) }]);
      assert.equal((await documents.upload(consultId, { token: patient.token }, 'small.zip', small)).status, 201);

      // 48 MiB, stored without compression (as many imaging exports are).
      const large = await studyZip([{ name: 'IM1', bytes: dicomImage({ rows: 4096, columns: 6144, pixels: [] }) }], { compress: false });
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      try {
        const response = await streamUpload(documents.url(consultId, '?name=large.zip'), patient.token, large);
        assert.equal(response.status, 201, response.body);
      } finally {
        clearInterval(sampler);
      }
      const grew = peak - baseline;
      // Reading the image whole (as before) would add its full size. The sending side lives in this
      // process too, and its chunks are garbage not yet collected: on a busy machine that alone came
      // to half the image once (26 MiB for 48), hence three quarters, still well short of the whole.
      assert.ok(grew < (large.length * 3) / 4, `memory grew by ${Math.round(grew / megabyte)} MiB for a ${Math.round(large.length / megabyte)} MiB image`);
    });

    it('reserves the quota atomically: uploads side by side cannot together exceed it', async () => {
      const quotaServer = await startTestServer({ MAX_UPLOAD_MB: '4', MAX_CONSULT_DOCUMENTS_MB: '5' });
      try {
        const quotaDoctor = await createDoctor(quotaServer);
        const uploads = new DocumentRequests(() => quotaServer.port);
        const file = (index: number) => dicomImage({ rows: 1024, columns: 1024 + index, pixels: [] });
        const asDoctor = { cookie: quotaDoctor.cookie };

        // Three uploads of 2 MiB each, started together, as browsers send them (with their size): two fit in 5 MiB.
        const declared = createConsult(quotaServer, quotaDoctor);
        const sized = await Promise.all([0, 1, 2].map((index) => uploads.upload(declared, asDoctor, `${index}.dcm`, file(index))));
        assert.deepEqual(sized.map((response) => response.status).sort(), [201, 201, 413]);
        assert.ok(quotaServer.documents.store.storedBytesOf(declared) <= 5 * megabyte);

        // Without a declared size, bytes are reserved as they arrive: whatever happens, the quota holds.
        const chunked = createConsult(quotaServer, quotaDoctor);
        const streamed = await Promise.all([0, 1, 2].map((index) => uploads.uploadChunked(chunked, asDoctor, `${index}.dcm`, file(index))));
        for (const result of streamed) {
          if (result !== 'closed' && result.status !== 201) assert.match(result.body, /storage-full/);
        }
        assert.ok(quotaServer.documents.store.storedBytesOf(chunked) <= 5 * megabyte);
        assert.equal(quotaServer.documents.remainingBytes(chunked), 5 * megabyte - quotaServer.documents.store.storedBytesOf(chunked), 'nothing stays reserved');
      } finally {
        await quotaServer.close();
      }
    });
  });

  describe('2. one link cannot lock the doctor out', () => {
    it('keeps one link to one person, waiting guests out of the call’s count, and the doctor always able to join', async () => {
      const consultId = createConsult(server, doctor);
      const { token } = await createInviteToken(server, consultId, 'patient');
      const first = await clients.connect();
      await expectOk<JoinResponse>(first, 'join', { as: 'guest', inviteToken: token, displayName: 'Amira Haddad' });
      for (let attempt = 0; attempt < 5; attempt++) {
        const again = await clients.connect();
        assertRefusal(await ask(again, 'join', { as: 'guest', inviteToken: token, displayName: 'Mallory' }), 'link-in-use', `connection ${attempt + 2} with the same link`);
      }
      const { socket: doctorSocket, join: doctorJoin } = await clients.doctorJoins(consultId, doctor);
      assert.equal(doctorJoin.waiting.length, 1, 'one link, one person waiting');

      // The call holds three: the doctor and two guests. A third guest may wait but not come in.
      const interpreter = await clients.guestJoins(consultId, 'interpreter', 'Elena Petrova');
      await expectOk(doctorSocket, 'admit', { participantId: doctorJoin.waiting[0]!.id });
      await expectOk(doctorSocket, 'admit', { participantId: interpreter.join.participantId });
      const late = await clients.guestJoins(consultId, 'patient', 'A relative');
      assertRefusal(await ask(doctorSocket, 'admit', { participantId: late.join.participantId }), 'consult-full', 'admitting beyond the call’s size');
      await clients.guestJoins(consultId, 'patient', 'Another relative');
      const third = await clients.connect();
      const { token: thirdToken } = await createInviteToken(server, consultId, 'patient');
      assertRefusal(await ask(third, 'join', { as: 'guest', inviteToken: thirdToken, displayName: 'Crowd' }), 'waiting-room-full', 'a third person waiting');

      // The doctor opens the consult again in a second window: it always works, and replaces the first.
      const replaced = nextEvent(doctorSocket, 'removed');
      const { join: again } = await clients.doctorJoins(consultId, doctor);
      assert.equal(again.admitted, true);
      assert.deepEqual(await replaced, { reason: 'replaced' });
      assert.equal([...server.registry.get(consultId)!.participants.values()].filter((participant) => participant.role === 'doctor').length, 1);
    });

    it('lets a guest whose connection was lost come back on a new one, replacing the old', async () => {
      const consultId = createConsult(server, doctor);
      const { token } = await createInviteToken(server, consultId, 'patient');
      const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
      const first = await clients.connect();
      const firstJoin = await expectOk<JoinResponse>(first, 'join', { as: 'guest', inviteToken: token, displayName: 'Amira Haddad' });
      await expectOk(doctorSocket, 'admit', { participantId: firstJoin.participantId });
      first.disconnect();
      await eventually(() => server.registry.get(consultId)?.participants.get(firstJoin.participantId)?.reconnecting === true, 'the server notices');

      const left = nextEvent(doctorSocket, 'participantLeft');
      const joinedAgain = nextEvent(doctorSocket, 'participantJoined');
      const secondJoin = await expectOk<JoinResponse>(await clients.connect(), 'join', { as: 'guest', inviteToken: token, displayName: 'Amira Haddad' });
      assert.equal(secondJoin.admitted, true, 'admitted before: straight back into the call');
      assert.equal(secondJoin.participantId, firstJoin.participantId, 'the same person, the same participant id');
      assert.equal((await left).participantId, firstJoin.participantId);
      assert.equal((await joinedAgain).id, secondJoin.participantId);
      const patients = [...server.registry.get(consultId)!.participants.values()].filter((participant) => participant.role === 'patient');
      assert.deepEqual(patients.map((participant) => participant.id), [secondJoin.participantId]);
    });
  });

  describe('4. a withdrawn link ends its holder’s session at once', () => {
    async function withdraw(consultId: string, linkId: string): Promise<void> {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/consults/${consultId}/links/${linkId}`, {
        method: 'DELETE',
        headers: { cookie: doctor.cookie },
      });
      assert.equal(response.status, 204);
    }

    it('removes the person waiting, and the person in the call, with the reason', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
      const waiting = await clients.guestJoins(consultId, 'patient', 'Amira Haddad');
      const inCall = await clients.admittedGuest(consultId, doctorSocket, 'interpreter', 'Elena Petrova');
      for (const guest of [waiting, inCall]) {
        const removed = nextEvent(guest.socket, 'removed');
        const disconnected = new Promise((resolve) => guest.socket.once('disconnect', resolve));
        await withdraw(consultId, guest.linkId);
        assert.deepEqual(await removed, { reason: 'link-revoked' });
        await disconnected;
        assert.equal(server.registry.get(consultId)?.participants.has(guest.join.participantId), false);
      }
    });

    it('refuses to resume with a withdrawn link or into an ended consult', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
      const guest = await clients.admittedGuest(consultId, doctorSocket, 'patient', 'Amira Haddad');
      guest.socket.disconnect();
      await eventually(() => server.registry.get(consultId)?.participants.get(guest.join.participantId)?.reconnecting === true, 'the server notices');
      // Withdrawn behind the consult's back (another server process, a database edit): resume must look again.
      server.consults.revokeLink(guest.linkId, 'revoked');
      const back = await clients.connect();
      assertRefusal(await ask(back, 'resume', { participantId: guest.join.participantId, resumeToken: guest.join.resumeToken }), 'link-revoked', 'resume with a withdrawn link');
      assert.equal(server.registry.get(consultId)?.participants.has(guest.join.participantId), false, 'out for good');

      const interpreter = await clients.admittedGuest(consultId, doctorSocket, 'interpreter', 'Elena Petrova');
      interpreter.socket.disconnect();
      await eventually(() => server.registry.get(consultId)?.participants.get(interpreter.join.participantId)?.reconnecting === true, 'the server notices');
      server.consults.markEnded(consultId);
      const again = await clients.connect();
      assertRefusal(
        await ask(again, 'resume', { participantId: interpreter.join.participantId, resumeToken: interpreter.join.resumeToken }),
        'consult-ended',
        'resume into an ended consult',
      );
    });
  });

  describe('5. events tell each person only about what they may see', () => {
    it('keeps the doctor’s uploads from waiting guests and unshared documents from the interpreter', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
      const waiting = await clients.guestJoins(consultId, 'patient', 'Amira Haddad');
      const interpreter = await clients.admittedGuest(consultId, doctorSocket, 'interpreter', 'Elena Petrova');
      const heard = { waiting: [] as string[], interpreter: [] as string[], doctor: [] as string[] };
      waiting.socket.on('documentsChanged', ({ documentId, change }) => heard.waiting.push(`${change} ${documentId}`));
      interpreter.socket.on('documentsChanged', ({ documentId, change }) => heard.interpreter.push(`${change} ${documentId}`));
      doctorSocket.on('documentsChanged', ({ documentId, change }) => heard.doctor.push(`${change} ${documentId}`));

      const report = dicomImage({ rows: 4, columns: 4, pixels: [] });
      const byDoctor = (await (await documents.upload(consultId, { cookie: doctor.cookie }, 'report.dcm', report)).json()) as { document: { id: string } };
      const byPatient = (await (await documents.upload(consultId, asParticipant(waiting.token, waiting.join), 'mine.dcm', report)).json()) as {
        document: { id: string };
      };
      const shared = await documents.patch(consultId, byDoctor.document.id, { cookie: doctor.cookie }, { interpreterAllowed: true });
      assert.equal(shared.status, 200);
      await eventually(() => heard.doctor.length === 3, 'the doctor hears of all three changes');
      assert.deepEqual(heard.waiting, [`added ${byPatient.document.id}`], 'a waiting patient hears only of their own upload');
      assert.deepEqual(heard.interpreter, [`access ${byDoctor.document.id}`], 'the interpreter hears only of what is shared with them');
    });
  });

  describe('6. names and titles hold no control or text-direction characters', () => {
    const tricky = ['Amira\u0085Haddad', 'Amira\u009b31m', 'Amira \u202eadaH', 'Amira \u2066Haddad\u2069', 'Amira\u0000', 'line\u2028break'];

    it('refuses them in a join, a registration, a consult and a file name, and keeps names in any script', async () => {
      const consultId = createConsult(server, doctor);
      for (const displayName of tricky) {
        const { token } = await createInviteToken(server, consultId, 'patient');
        const socket = await clients.connect();
        const response = await ask(socket, 'join', { as: 'guest', inviteToken: token, displayName });
        assertRefusal(response, 'invalid-payload', JSON.stringify(displayName));
        assert.match(response.ok ? '' : response.error.message, /control or text-direction character \(U\+[0-9A-F]{4}\)/);
      }
      const { token } = await createInviteToken(server, consultId, 'patient');
      await expectOk(await clients.connect(), 'join', { as: 'guest', inviteToken: token, displayName: 'أميرة حداد' });

      const api = (path: string, body: unknown) =>
        fetch(`http://127.0.0.1:${server.port}/api${path}`, {
          method: 'POST',
          headers: { cookie: doctor.cookie, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const consult = {
        title: 'Second opinion',
        scheduledAt: new Date().toISOString(),
        patientName: 'Amira Haddad',
        patientLanguage: 'ar',
        interpretation: null,
        doctorTimeZone: 'Europe/Berlin',
        patientTimeZone: null,
      };
      assert.equal((await api('/consults', consult)).status, 201);
      assert.deepEqual(await errorOf(await api('/consults', { ...consult, title: 'Second \u202eopinion' })), { status: 400, code: 'invalid-payload' });
      assert.deepEqual(await errorOf(await api('/consults', { ...consult, patientName: 'Amira\u0085' })), { status: 400, code: 'invalid-payload' });
      const invitation = server.accounts.createInvitation(doctor.id);
      const registration = await api('/doctors', { invitationToken: invitation.token, email: 'x@clinic.example', displayName: 'Dr.\u009b X', password: 'a long enough secret' });
      assert.deepEqual(await errorOf(registration), { status: 400, code: 'invalid-payload' });
      const upload = await documents.upload(consultId, { cookie: doctor.cookie }, 'scan\u202egnp.pdf', Buffer.from('%PDF-1.4'));
      assert.deepEqual(await errorOf(upload), { status: 400, code: 'invalid-payload' });
    });
  });

  describe('7. pages on other sites cannot use the doctor’s session', () => {
    it('refuses a signalling handshake and API changes from a foreign origin', async () => {
      await assert.rejects(connect(server.port, doctor.cookie, { origin: 'https://evil.example' }), /foreign origin|xhr poll error|websocket error|Unexpected server response/i);
      const own = await connect(server.port, doctor.cookie, { origin: 'https://consilium.clinic.example' });
      own.disconnect();
      const sameHost = await connect(server.port, doctor.cookie, { origin: `http://127.0.0.1:${server.port}` });
      sameHost.disconnect();

      const create = (origin: string) =>
        fetch(`http://127.0.0.1:${server.port}/api/consults`, {
          method: 'POST',
          headers: { cookie: doctor.cookie, 'content-type': 'application/json', origin },
          body: JSON.stringify({}),
        });
      assert.deepEqual(await errorOf(await create('https://evil.example')), { status: 403, code: 'forbidden' });
      assert.deepEqual(await errorOf(await create('https://consilium.clinic.example')), { status: 400, code: 'invalid-payload' });
    });
  });
});

/**
 * Sends a large body from a buffer we already hold (the test adds no copy while memory is measured), on a
 * connection of its own: a kept-alive one may be closed by the server just as a slow test reuses it.
 */
function streamUpload(url: string, token: string, bytes: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end(bytes);
  });
}

