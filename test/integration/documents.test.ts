// Shared documents against a real server: uploads through invite links and
// sessions, limits enforced while streaming, files typed by their bytes,
// DICOM studies unpacked, access for each kind of person, every view and
// download audited, and presenting in step over Socket.IO.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { AuditEventInfo } from '../../shared/api';
import type { DicomManifest, DocumentInfo, DocumentListResponse, DocumentView, PresentationState } from '../../shared/documents';
import { ConsultClients } from '../helpers/consultClients';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { dicomSeries, studyZip } from '../helpers/dicomFiles';
import { asParticipant, DocumentRequests, type Credentials } from '../helpers/documentRequests';
import { numberedPdf } from '../helpers/pdfFiles';
import { ask, expectOk, nextEvent, type TestSocket } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

const megabyte = 1024 * 1024;

describe('shared documents', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  let pdf: Buffer;
  const clients = new ConsultClients(() => server);
  const documents = new DocumentRequests(() => server.port);

  before(async () => {
    server = await startTestServer({ MAX_UPLOAD_MB: '1', MAX_CONSULT_DOCUMENTS_MB: '3' });
    doctor = await createDoctor(server);
    pdf = await numberedPdf(5);
  });
  afterEach(() => clients.closeAll());
  after(async () => {
    await server?.close();
  });

  const asDoctor = (): Credentials => ({ cookie: doctor.cookie });

  async function uploaded(consultId: string, credentials: Credentials, name: string, bytes: Uint8Array): Promise<DocumentInfo> {
    const response = await documents.upload(consultId, credentials, name, bytes);
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { document: DocumentInfo }).document;
  }

  async function listOf(consultId: string, credentials: Credentials): Promise<DocumentInfo[]> {
    const response = await documents.get(consultId, '', credentials);
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as DocumentListResponse).documents;
  }

  async function errorOf(response: Response): Promise<{ status: number; code: string }> {
    const body = (await response.json()) as { error: { code: string } };
    return { status: response.status, code: body.error.code };
  }

  function auditOf(consultId: string): Promise<AuditEventInfo[]> {
    return fetch(`http://127.0.0.1:${server.port}/api/consults/${consultId}/audit`, { headers: { cookie: doctor.cookie } }).then(
      (response) => response.json() as Promise<AuditEventInfo[]>,
    );
  }

  function storedFiles(consultId: string): string[] {
    const dir = join(server.dataDir, 'documents', consultId);
    return existsSync(dir) ? readdirSync(dir) : [];
  }

  it('takes a patient’s records before the consult, shows them to the doctor, and audits every view and download', async () => {
    const consultId = createConsult(server, doctor);
    const patient = await createInviteToken(server, consultId, 'patient');
    const document = await uploaded(consultId, { token: patient.token }, 'Cardiology report.pdf', pdf);
    assert.equal(document.kind, 'pdf');
    assert.equal(document.mediaType, 'application/pdf');
    assert.equal(document.sizeBytes, pdf.length);
    assert.deepEqual(document.uploadedBy, { role: 'patient', displayName: 'Amira Haddad' });
    assert.equal(document.mine, true);
    assert.equal(document.interpreterAllowed, false, 'not shared with the interpreter unless the doctor says so');

    assert.deepEqual((await listOf(consultId, { token: patient.token })).map((d) => d.id), [document.id], 'the patient sees their upload');
    const forDoctor = await listOf(consultId, asDoctor());
    assert.deepEqual(forDoctor.map((d) => [d.id, d.mine]), [[document.id, false]]);

    const view = await documents.get(consultId, `/${document.id}/content`, asDoctor());
    assert.equal(view.status, 200);
    assert.equal(view.headers.get('content-type'), 'application/pdf');
    assert.match(view.headers.get('cache-control') ?? '', /no-store/);
    assert.deepEqual(Buffer.from(await view.arrayBuffer()), pdf, 'the same bytes come back');
    // Looking again soon after (re-rendering, another page) is the same view.
    await (await documents.get(consultId, `/${document.id}/content`, asDoctor())).arrayBuffer();
    const download = await documents.get(consultId, `/${document.id}/content?download=1`, asDoctor());
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="Cardiology report.pdf"/);
    await download.arrayBuffer();

    const events = (await auditOf(consultId)).filter((event) => event.action.startsWith('document-'));
    assert.deepEqual(
      events.map((event) => [event.action, event.actor, event.subject]),
      [
        ['document-uploaded', 'patient Amira Haddad', 'Cardiology report.pdf'],
        ['document-viewed', `doctor ${doctor.displayName}`, 'Cardiology report.pdf'],
        ['document-downloaded', `doctor ${doctor.displayName}`, 'Cardiology report.pdf'],
      ],
    );
    const files = storedFiles(consultId);
    assert.deepEqual(files, [`${document.id}.pdf`], 'stored under a name the server chose');
  });

  it('refuses a file over the size limit while it streams, with a clear error, and keeps nothing', async () => {
    const consultId = createConsult(server, doctor);
    const patient = await createInviteToken(server, consultId, 'patient');
    const tooBig = Buffer.concat([pdf, Buffer.alloc(Math.round(1.5 * megabyte))]);

    const declared = await documents.upload(consultId, { token: patient.token }, 'big.pdf', tooBig);
    assert.deepEqual(await errorOf(declared), { status: 413, code: 'file-too-large' });

    const streamed = await documents.uploadChunked(consultId, { token: patient.token }, 'big.pdf', tooBig);
    if (streamed !== 'closed') {
      assert.equal(streamed.status, 413);
      assert.equal((JSON.parse(streamed.body) as { error: { code: string } }).error.code, 'file-too-large');
    }
    assert.deepEqual(await listOf(consultId, asDoctor()), []);
    assert.deepEqual(storedFiles(consultId), []);
    assert.deepEqual(readdirSync(join(server.dataDir, 'documents', '.incoming')), [], 'no partial upload is left behind');
  });

  it('keeps each consult within its storage quota', async () => {
    const consultId = createConsult(server, doctor);
    const filler = Buffer.concat([pdf, Buffer.alloc(900 * 1024)]);
    await uploaded(consultId, asDoctor(), 'a.pdf', filler);
    await uploaded(consultId, asDoctor(), 'b.pdf', filler);
    await uploaded(consultId, asDoctor(), 'c.pdf', filler);
    const full = await documents.upload(consultId, asDoctor(), 'd.pdf', filler);
    assert.deepEqual(await errorOf(full), { status: 413, code: 'storage-full' });
    const list = (await (await documents.get(consultId, '', asDoctor())).json()) as DocumentListResponse;
    assert.equal(list.documents.length, 3);
    assert.ok(list.limits.remainingBytes < filler.length, 'the page can tell the space left');
  });

  it('refuses files that lie about their type, and bad names', async () => {
    const consultId = createConsult(server, doctor);
    const lying = await documents.upload(consultId, asDoctor(), 'report.pdf', Buffer.from('<!doctype html><script>alert(1)</script>'));
    assert.deepEqual(await errorOf(lying), { status: 415, code: 'unsupported-type' });
    const noName = await documents.upload(consultId, asDoctor(), '', pdf);
    assert.deepEqual(await errorOf(noName), { status: 400, code: 'invalid-payload' });
    const control = await documents.upload(consultId, asDoctor(), 'a\u0007b.pdf', pdf);
    assert.deepEqual(await errorOf(control), { status: 400, code: 'invalid-payload' });
    const path = await uploaded(consultId, asDoctor(), '../../etc/passwd.pdf', pdf);
    assert.equal(path.name, 'passwd.pdf', 'a path is reduced to the file name');
    assert.deepEqual((await listOf(consultId, asDoctor())).map((d) => d.name), ['passwd.pdf']);
  });

  it('unpacks a zipped DICOM study into one series in scan order', async () => {
    const consultId = createConsult(server, doctor);
    const slices = dicomSeries(4);
    const zip = await studyZip([
      ...slices.map((bytes, i) => ({ name: `SERIES1/IM${4 - i}`, bytes })).reverse(),
      { name: 'README.TXT', bytes: Buffer.from('This disc was exported for the patient. '.repeat(5)) },
    ]);
    const response = await documents.upload(consultId, asDoctor(), 'CT chest.zip', zip);
    assert.equal(response.status, 201);
    const { document, skippedFiles } = (await response.json()) as { document: DocumentInfo; skippedFiles: number };
    assert.equal(document.kind, 'dicom');
    assert.equal(document.mediaType, 'application/zip');
    assert.equal(skippedFiles, 1);

    const manifest = (await (await documents.get(consultId, `/${document.id}/series`, asDoctor())).json()) as DicomManifest;
    assert.equal(manifest.series.length, 1);
    assert.deepEqual(manifest.series[0]!.instances.map((instance) => [instance.rows, instance.columns, instance.frames]), [
      [64, 64, 1],
      [64, 64, 1],
      [64, 64, 1],
      [64, 64, 1],
    ]);
    const third = await documents.get(consultId, `/${document.id}/instances/${manifest.series[0]!.instances[2]!.index}`, asDoctor());
    assert.equal(third.headers.get('content-type'), 'application/dicom');
    assert.deepEqual(Buffer.from(await third.arrayBuffer()), slices[2], 'slice 3 of the scan');
    assert.equal((await documents.get(consultId, `/${document.id}/instances/99`, asDoctor())).status, 404);
    const single = await uploaded(consultId, asDoctor(), 'one slice.dcm', slices[0]!);
    assert.equal(single.kind, 'dicom');
  });

  describe('access', () => {
    it('refuses strangers: no credentials, forged links, withdrawn links, other consults and other doctors', async () => {
      const consultId = createConsult(server, doctor);
      const document = await uploaded(consultId, asDoctor(), 'report.pdf', pdf);
      const content = `/${document.id}/content`;
      assert.deepEqual(await errorOf(await documents.get(consultId, content, {})), { status: 401, code: 'unauthenticated' });
      assert.deepEqual(await errorOf(await documents.get(consultId, content, { token: 'a.b.c' })), { status: 401, code: 'unauthenticated' });

      const withdrawn = await createInviteToken(server, consultId, 'patient');
      server.consults.revokeLink(withdrawn.linkId, 'revoked');
      assert.deepEqual(await errorOf(await documents.get(consultId, '', { token: withdrawn.token })), { status: 401, code: 'unauthenticated' });
      assert.deepEqual(await errorOf(await documents.upload(consultId, { token: withdrawn.token }, 'x.pdf', pdf)), {
        status: 401,
        code: 'unauthenticated',
      });

      const otherConsult = createConsult(server, doctor);
      const otherPatient = await createInviteToken(server, otherConsult, 'patient');
      assert.deepEqual(await errorOf(await documents.get(consultId, '', { token: otherPatient.token })), { status: 404, code: 'not-found' });
      assert.deepEqual(await errorOf(await documents.get(consultId, content, { token: otherPatient.token })), { status: 404, code: 'not-found' });
      assert.deepEqual(await errorOf(await documents.get(otherConsult, content, asDoctor())), { status: 404, code: 'not-found' });

      const colleague = await createDoctor(server, 'Dr. Nadia Haddad');
      assert.deepEqual(await errorOf(await documents.get(consultId, content, { cookie: colleague.cookie })), { status: 404, code: 'not-found' });
      assert.deepEqual(await errorOf(await documents.get(consultId, '', { cookie: colleague.cookie })), { status: 404, code: 'not-found' });
    });

    it('shows a waiting patient only their own files, and the interpreter only what the doctor shares', async () => {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
      const report = await uploaded(consultId, asDoctor(), 'Echo report.pdf', pdf);
      const patient = await clients.guestJoins(consultId, 'patient', 'Amira Haddad');
      const patientWaiting = asParticipant(patient.token, patient.join);
      const own = await uploaded(consultId, patientWaiting, 'Lab results.pdf', pdf);

      assert.deepEqual((await listOf(consultId, patientWaiting)).map((d) => d.id), [own.id]);
      assert.deepEqual(await errorOf(await documents.get(consultId, `/${report.id}/content`, patientWaiting)), { status: 403, code: 'not-admitted' });
      assert.equal((await documents.get(consultId, `/${own.id}/content`, patientWaiting)).status, 200, 'their own file, even while waiting');

      const admitted = nextEvent(patient.socket, 'admitted');
      await expectOk(doctorSocket, 'admit', { participantId: patient.join.participantId });
      await admitted;
      assert.deepEqual((await listOf(consultId, patientWaiting)).map((d) => d.id), [report.id, own.id], 'everything once in the call');
      assert.deepEqual(await errorOf(await documents.get(consultId, `/${report.id}/content`, { token: patient.token })), {
        status: 403,
        code: 'not-admitted',
      }, 'the link alone does not prove being in the call');

      const interpreter = await clients.admittedGuest(consultId, doctorSocket, 'interpreter', 'Elena Petrova');
      const asInterpreter = asParticipant(interpreter.token, interpreter.join);
      assert.deepEqual(await listOf(consultId, asInterpreter), []);
      assert.deepEqual(await errorOf(await documents.get(consultId, `/${report.id}/content`, asInterpreter)), { status: 403, code: 'forbidden' });
      assert.deepEqual(await errorOf(await documents.upload(consultId, asInterpreter, 'notes.pdf', pdf)), { status: 403, code: 'forbidden' });
      // Someone else's proof with the interpreter's link proves nothing.
      const borrowed = { token: interpreter.token, proof: `${patient.join.participantId}.${patient.join.resumeToken}` };
      assert.deepEqual(await errorOf(await documents.get(consultId, `/${own.id}/content`, borrowed)), { status: 403, code: 'not-admitted' });

      assert.deepEqual(await errorOf(await documents.patch(consultId, report.id, patientWaiting, { interpreterAllowed: true })), {
        status: 403,
        code: 'forbidden',
      });
      const changed = nextEvent(interpreter.socket, 'documentsChanged');
      const shared = await documents.patch(consultId, report.id, asDoctor(), { interpreterAllowed: true });
      assert.equal(((await shared.json()) as DocumentInfo).interpreterAllowed, true);
      assert.deepEqual(await changed, { documentId: report.id, change: 'access' });
      assert.equal((await documents.get(consultId, `/${report.id}/content`, asInterpreter)).status, 200);
      assert.deepEqual(await errorOf(await documents.patch(consultId, report.id, asDoctor(), { interpreterAllowed: 'yes' })), {
        status: 400,
        code: 'invalid-payload',
      });

      assert.deepEqual(await errorOf(await documents.remove(consultId, report.id, patientWaiting)), { status: 403, code: 'forbidden' });
      assert.equal((await documents.remove(consultId, own.id, patientWaiting)).status, 204, 'a patient removes their own upload');
      assert.deepEqual((await listOf(consultId, asDoctor())).map((d) => d.id), [report.id]);
      const actions = (await auditOf(consultId)).map((event) => event.action);
      assert.ok(actions.includes('document-shared-with-interpreter'));
      assert.ok(actions.includes('document-removed'));
    });
  });

  describe('viewing together', () => {
    const view = (page: number, zoom: number): DocumentView => ({ page, series: 0, slice: 0, zoom, center: { x: 0.5, y: 0.3 }, window: null });

    async function callWithDocument() {
      const consultId = createConsult(server, doctor);
      const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
      const patient = await clients.admittedGuest(consultId, doctorSocket, 'patient', 'Amira Haddad');
      const interpreter = await clients.admittedGuest(consultId, doctorSocket, 'interpreter', 'Elena Petrova');
      const documentAdded = nextEvent(doctorSocket, 'documentsChanged');
      const record = await uploaded(consultId, asParticipant(patient.token, patient.join), 'Discharge letter.pdf', pdf);
      assert.deepEqual(await documentAdded, { documentId: record.id, change: 'added' }, 'people in the call learn of a new document');
      return { consultId, doctorSocket, patient, interpreter, record };
    }

    it('keeps everyone on the presenter’s page and zoom, and lets the doctor take over', async () => {
      const { consultId, doctorSocket, patient, interpreter, record } = await callWithDocument();

      const doctorSees = nextEvent(doctorSocket, 'presentationChanged');
      const interpreterSees = nextEvent(interpreter.socket, 'presentationChanged');
      const presented = await expectOk<{ presentation: PresentationState }>(patient.socket, 'presentDocument', { documentId: record.id });
      assert.equal(presented.presentation.document?.id, record.id);
      const forDoctor = (await doctorSees).presentation;
      assert.equal(forDoctor?.presenterName, 'Amira Haddad');
      assert.equal(forDoctor?.document?.name, 'Discharge letter.pdf');
      const forInterpreter = (await interpreterSees).presentation;
      assert.equal(forInterpreter?.document, null, 'the interpreter is told something is shown, not what');

      const followed = nextEvent(doctorSocket, 'viewChanged');
      const pointed = nextEvent(doctorSocket, 'pointerMoved');
      const interpreterFollows = nextEvent(interpreter.socket, 'viewChanged', 500).then(
        () => 'leaked',
        () => 'nothing',
      );
      await expectOk(patient.socket, 'updateView', { view: view(3, 2) });
      await expectOk(patient.socket, 'movePointer', { pointer: { x: 0.25, y: 0.75 } });
      assert.deepEqual((await followed).view, view(3, 2));
      assert.deepEqual((await pointed).pointer, { x: 0.25, y: 0.75 });
      assert.equal(await interpreterFollows, 'nothing', 'the interpreter gets no view of an unshared document');

      const refusedView = await ask(interpreter.socket, 'updateView', { view: view(1, 1) });
      assert.ok(!refusedView.ok && refusedView.error.code === 'forbidden', 'only the presenter moves the view');
      const refusedTakeOver = await ask(interpreter.socket, 'presentDocument', { documentId: record.id });
      assert.ok(!refusedTakeOver.ok && refusedTakeOver.error.code === 'not-found');
      const outOfRange = await ask(patient.socket, 'updateView', { view: { ...view(3, 2), zoom: 100 } });
      assert.ok(!outOfRange.ok && outOfRange.error.code === 'invalid-payload');

      const tookOver = nextEvent(patient.socket, 'presentationChanged');
      await expectOk(doctorSocket, 'presentDocument', { documentId: record.id });
      assert.equal((await tookOver).presentation?.presenterName, doctor.displayName);
      const notAnyMore = await ask(patient.socket, 'updateView', { view: view(2, 1) });
      assert.ok(!notAnyMore.ok && notAnyMore.error.code === 'forbidden');
      await expectOk(doctorSocket, 'updateView', { view: view(3, 1.5) });

      // Someone joining now lands on the current view.
      const lateGuest = await clients.guestJoins(consultId, 'patient', 'Youssef Haddad');
      assert.equal(lateGuest.join.presentation, null, 'nothing is shown to someone waiting');
      const admitted = nextEvent(lateGuest.socket, 'admitted');
      await expectOk(doctorSocket, 'admit', { participantId: lateGuest.join.participantId });
      const landed = (await admitted).presentation;
      assert.equal(landed?.document?.id, record.id);
      assert.deepEqual(landed?.view, view(3, 1.5));

      // Someone whose connection dropped comes back to the current view too.
      patient.socket.disconnect();
      const patientAgain = await clients.connect();
      const resumed = await expectOk<{ presentation: PresentationState | null }>(patientAgain, 'resume', {
        participantId: patient.join.participantId,
        resumeToken: patient.join.resumeToken,
      });
      assert.deepEqual(resumed.presentation?.view, view(3, 1.5));

      const stopped = nextEvent(patientAgain, 'presentationChanged');
      await expectOk(doctorSocket, 'stopPresenting');
      assert.equal((await stopped).presentation, null);
    });

    it('shares annotations with those who may see the document, keeps them, and follows access changes', async () => {
      const { consultId, doctorSocket, patient, interpreter, record } = await callWithDocument();
      await expectOk(doctorSocket, 'presentDocument', { documentId: record.id });
      const target = { page: 3, series: 0, slice: 0 };

      const patientGets = nextEvent(patient.socket, 'annotationAdded');
      const { annotation } = await expectOk<{ annotation: { id: string } }>(doctorSocket, 'addAnnotation', {
        documentId: record.id,
        target,
        shape: { kind: 'arrow', from: { x: 0.1, y: 0.1 }, to: { x: 0.4, y: 0.5 } },
        color: 'red',
      });
      assert.equal((await patientGets).id, annotation.id);
      const note = await expectOk<{ annotation: { id: string } }>(patient.socket, 'addAnnotation', {
        documentId: record.id,
        target,
        shape: { kind: 'text', at: { x: 0.5, y: 0.5 }, text: 'This is the value I asked about' },
        color: 'yellow',
      });
      const tooLong = await ask(patient.socket, 'addAnnotation', {
        documentId: record.id,
        target,
        shape: { kind: 'freehand', points: Array.from({ length: 600 }, () => ({ x: 0.5, y: 0.5 })) },
        color: 'blue',
      });
      assert.ok(!tooLong.ok && tooLong.error.code === 'invalid-payload');
      const hidden = await ask(interpreter.socket, 'addAnnotation', {
        documentId: record.id,
        target,
        shape: { kind: 'arrow', from: { x: 0, y: 0 }, to: { x: 1, y: 1 } },
        color: 'red',
      });
      assert.ok(!hidden.ok && hidden.error.code === 'not-found', 'nobody annotates what they may not see');
      const notTheirs = await ask(patient.socket, 'removeAnnotation', { annotationId: annotation.id });
      assert.ok(!notTheirs.ok && notTheirs.error.code === 'forbidden');

      // Sharing the document with the interpreter shows it, annotations included.
      const nowShown = nextEvent(interpreter.socket, 'presentationChanged');
      await documents.patch(consultId, record.id, asDoctor(), { interpreterAllowed: true });
      const shown = (await nowShown).presentation;
      assert.equal(shown?.document?.id, record.id);
      assert.deepEqual(shown?.annotations.map((a) => a.id).sort(), [annotation.id, note.annotation.id].sort());

      const removed = nextEvent(interpreter.socket, 'annotationRemoved');
      await expectOk(doctorSocket, 'removeAnnotation', { annotationId: note.annotation.id });
      assert.deepEqual(await removed, { annotationId: note.annotation.id, documentId: record.id });
      assert.deepEqual(server.documents.store.annotations(record.id).map((a) => a.id), [annotation.id], 'kept with the consult');

      // Removing the document ends its presentation for everyone.
      const ended: Promise<unknown>[] = [doctorSocket, patient.socket, interpreter.socket].map((socket: TestSocket) =>
        nextEvent(socket, 'presentationChanged').then((event) => event.presentation),
      );
      assert.equal((await documents.remove(consultId, record.id, asDoctor())).status, 204);
      assert.deepEqual(await Promise.all(ended), [null, null, null]);
      assert.deepEqual(server.documents.store.annotations(record.id), []);
    });
  });
});
