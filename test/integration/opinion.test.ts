// The written second opinion over real HTTP: the doctor's draft kept as they
// type (and starting the review), the interpreter translating only the
// plain-language parts, release only when complete and translated (or with a
// reason), numbered versions with a hash that never change, amendments that
// say what changed, the patient seeing only what was released, strangers
// nothing, bad input refused, and all of it in the audit log.
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { opinionHash } from '../../server/review/opinionVersion';
import type { AuditEventInfo, ConsultSummary, InviteDetails } from '../../shared/api';
import type { DocumentInfo } from '../../shared/documents';
import { emptyOpinionContent, translatablePartsOf, type DoctorOpinionView, type InterpreterOpinionView, type OpinionContent, type PatientOpinionView } from '../../shared/opinion';
import type { IntakeView } from '../../shared/intake';
import { apiRequest } from '../helpers/apiRequests';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { DocumentRequests, headersFor, type Credentials } from '../helpers/documentRequests';
import { numberedPdf } from '../helpers/pdfFiles';
import { ask, connect } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

const opinion: OpinionContent = {
  ...emptyOpinionContent,
  caseSummary: '52-year-old woman, invasive ductal carcinoma left breast, 2.1 cm, ER+/PR+/HER2-, cN0.',
  diagnosisAssessment: 'refined',
  specialistDiagnosis: 'Invasive ductal carcinoma, stage IIA (cT2 cN0), hormone receptor positive, HER2 negative.',
  treatmentAssessment: 'alternative',
  treatmentRecommendation: 'Breast-conserving surgery with sentinel node biopsy, then radiotherapy and endocrine therapy.',
  furtherTests: 'Oncotype DX recurrence score; genetic counselling (BRCA1/2).',
  urgency: 'soon',
  patientExplanation: 'Your diagnosis is right, and we know a little more about it now. You do not need the whole breast removed.',
};

const arabic = {
  patientExplanation: 'تشخيصك صحيح، ونعرف الآن عنه أكثر قليلاً. لا تحتاجين إلى استئصال الثدي كاملاً.',
  specialistDiagnosis: 'سرطان الأقنية الغازي، المرحلة IIA، إيجابي لمستقبلات الهرمونات، سلبي لـ HER2.',
  treatmentRecommendation: 'جراحة محافظة على الثدي مع خزعة العقدة الحارسة، ثم علاج إشعاعي وعلاج هرموني.',
  furtherTests: 'اختبار Oncotype DX؛ استشارة وراثية (BRCA1/2).',
};

describe('the written second opinion', function () {
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

  const api = <T>(credentials: Credentials, method: string, path: string, body?: unknown) => apiRequest<T>(server.port, credentials, method, path, body);

  async function consultWithLinks(patientLanguage = 'ar', interpreterNeeded = true) {
    const consultId = createConsult(server, doctor, interpreterNeeded, patientLanguage);
    const patient = { token: (await createInviteToken(server, consultId, 'patient')).token };
    const interpreter = { token: (await createInviteToken(server, consultId, 'interpreter')).token };
    const asDoctor = { cookie: doctor.cookie };
    const report = (await (await new DocumentRequests(() => server.port).upload(consultId, patient, 'Pathology report.pdf', await numberedPdf(1))).json()) as { document: DocumentInfo };
    return { consultId, patient, interpreter, asDoctor, reportId: report.document.id };
  }

  const saveDraft = (consultId: string, content: OpinionContent, baseRevision: number) =>
    api<DoctorOpinionView>({ cookie: doctor.cookie }, 'PUT', `/consults/${consultId}/opinion/draft`, { content, baseRevision });
  const translate = (consultId: string, interpreter: Credentials, source: OpinionContent, baseRevision = 0) =>
    api<InterpreterOpinionView>(interpreter, 'PUT', `/consults/${consultId}/opinion/translation`, {
      parts: arabic,
      source: translatablePartsOf(source),
      language: 'ar',
      baseRevision,
      translatorName: 'Karim Nasser',
    });
  const release = (consultId: string, body: Record<string, unknown>) => api<DoctorOpinionView>({ cookie: doctor.cookie }, 'POST', `/consults/${consultId}/opinion/release`, body);
  const auditOf = async (consultId: string) =>
    (await api<AuditEventInfo[]>({ cookie: doctor.cookie }, 'GET', `/consults/${consultId}/audit`)).body.map((event) => `${event.action} ${event.actor ?? ''} ${event.subject ?? ''}`.trim());

  it('keeps the doctor’s draft as they type, refuses stale and bad saves, and starts the review with the first draft', async () => {
    const { consultId, patient, interpreter, asDoctor, reportId } = await consultWithLinks();
    const saved = await saveDraft(consultId, { ...opinion, reviewedDocumentIds: [reportId] }, 0);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.draft.revision, 1);
    assert.equal((await saveDraft(consultId, opinion, 0)).code, 'edit-conflict', 'a save on an older revision');
    const other = await consultWithLinks();
    const bad: unknown[] = [
      { content: { ...opinion, diagnosisAssessment: 'probably' }, baseRevision: 1 },
      { content: { ...opinion, urgency: 'yesterday' }, baseRevision: 1 },
      { content: { ...opinion, extra: 1 }, baseRevision: 1 },
      { content: { ...opinion, patientExplanation: 'x'.repeat(10_001) }, baseRevision: 1 },
      { content: { ...opinion, caseSummary: 'hidden \u202e text' }, baseRevision: 1 },
      { content: { ...opinion, reviewedDocumentIds: ['not-a-uuid'] }, baseRevision: 1 },
      { content: opinion },
    ];
    for (const body of bad) assert.equal((await api(asDoctor, 'PUT', `/consults/${consultId}/opinion/draft`, body)).code, 'invalid-payload', JSON.stringify(body).slice(0, 90));
    assert.equal((await saveDraft(consultId, { ...opinion, reviewedDocumentIds: [other.reportId] }, 1)).code, 'not-found', 'another consult’s document');
    assert.equal((await api(patient, 'PUT', `/consults/${consultId}/opinion/draft`, { content: opinion, baseRevision: 1 })).code, 'forbidden');
    assert.equal((await api(interpreter, 'PUT', `/consults/${consultId}/opinion/draft`, { content: opinion, baseRevision: 1 })).code, 'forbidden');
    assert.equal((await api({ cookie: colleague.cookie }, 'PUT', `/consults/${consultId}/opinion/draft`, { content: opinion, baseRevision: 1 })).code, 'not-found');

    const reread = (await api<DoctorOpinionView>(asDoctor, 'GET', `/consults/${consultId}/opinion`)).body;
    assert.deepEqual(reread.draft.content, { ...opinion, reviewedDocumentIds: [reportId] }, 'nothing lost, nothing changed by the refused saves');
    assert.equal(reread.draft.revision, 1);
    assert.equal((await api<IntakeView>(patient, 'GET', `/consults/${consultId}/intake`)).body.mayEdit, false, 'the first draft started the review');
    const log = await auditOf(consultId);
    assert.ok(log.includes('review-started doctor Dr. Jonas Weber'), log.join('; '));
    assert.ok(log.includes('opinion-drafted doctor Dr. Jonas Weber'), log.join('; '));
  });

  it('shows the patient nothing before release and the interpreter only what they translate; strangers nothing at all', async () => {
    const { consultId, patient, interpreter } = await consultWithLinks();
    await saveDraft(consultId, opinion, 0);
    const forPatient = await api<PatientOpinionView>(patient, 'GET', `/consults/${consultId}/opinion`);
    assert.equal(forPatient.status, 200);
    assert.deepEqual(forPatient.body.versions, []);
    assert.ok(!JSON.stringify(forPatient.body).includes('breast'), 'no word of the draft');
    const forInterpreter = await api<InterpreterOpinionView>(interpreter, 'GET', `/consults/${consultId}/opinion`);
    assert.deepEqual(forInterpreter.body.source?.parts, translatablePartsOf(opinion));
    assert.ok(!JSON.stringify(forInterpreter.body).includes(opinion.caseSummary), 'the case summary is not theirs to see');
    const other = await consultWithLinks();
    assert.equal((await api(other.patient, 'GET', `/consults/${consultId}/opinion`)).code, 'not-found');
    assert.equal((await api({ cookie: colleague.cookie }, 'GET', `/consults/${consultId}/opinion`)).code, 'not-found');
    assert.equal((await api({}, 'GET', `/consults/${consultId}/opinion`)).code, 'unauthenticated');
    assert.equal((await translate(consultId, patient, opinion)).code, 'forbidden', 'the patient does not translate');
  });

  it('is released only complete and translated (or with a reason), as version 1 with a hash the patient sees', async () => {
    const { consultId, patient, interpreter, reportId } = await consultWithLinks();
    const draft = { ...opinion, reviewedDocumentIds: [reportId] };
    await saveDraft(consultId, { ...draft, urgency: null, patientExplanation: '' }, 0);
    const incomplete = await release(consultId, { draftRevision: 1 });
    assert.equal(incomplete.code, 'not-ready');
    assert.match(JSON.stringify(incomplete.body), /how urgent.*plain words/);
    await saveDraft(consultId, draft, 1);
    assert.equal((await release(consultId, { draftRevision: 1 })).code, 'edit-conflict', 'signing a revision that is not the latest');
    const untranslated = await release(consultId, { draftRevision: 2 });
    assert.equal(untranslated.code, 'not-ready', 'Arabic patient, German doctor: a translation is needed');

    const translated = await translate(consultId, interpreter, draft);
    assert.equal(translated.status, 200, JSON.stringify(translated.body));
    assert.equal(translated.body.translation?.current, true);
    const released = await release(consultId, { draftRevision: 2 });
    assert.equal(released.status, 201, JSON.stringify(released.body));
    const [version] = released.body.versions;
    assert.ok(version);
    assert.equal(version.version, 1);
    assert.equal(version.signedBy, 'Dr. Jonas Weber');
    assert.match(version.contentHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(version.reviewedDocuments, [{ id: reportId, name: 'Pathology report.pdf' }]);
    assert.deepEqual(version.translation, { parts: arabic, language: 'ar', translatorName: 'Karim Nasser' });
    const stored = server.opinions.version(consultId, 1);
    assert.ok(stored);
    assert.equal(opinionHash(stored.opinion), version.contentHash, 'the hash is of what is shown');

    const forPatient = (await api<PatientOpinionView>(patient, 'GET', `/consults/${consultId}/opinion`)).body;
    assert.deepEqual(forPatient.versions, released.body.versions);
    const log = await auditOf(consultId);
    assert.ok(log.includes('opinion-released doctor Dr. Jonas Weber version 1'), log.join('; '));
    assert.ok(log.includes('opinion-translated interpreter Karim Nasser'), log.join('; '));
    assert.ok(log.includes('opinion-viewed patient Amira Haddad version 1'), log.join('; '));
  });

  it('needs no translation when patient and doctor share a language', async () => {
    const { consultId } = await consultWithLinks('en', false);
    await saveDraft(consultId, opinion, 0);
    const released = await release(consultId, { draftRevision: 1 });
    assert.equal(released.status, 201, JSON.stringify(released.body));
    assert.equal(released.body.versions[0]?.translation, null);
    assert.equal(released.body.translationNeeded, false);
  });

  it('amends as a new version that says what changed, keeping every released version as it was', async () => {
    const { consultId, patient, interpreter } = await consultWithLinks();
    await saveDraft(consultId, opinion, 0);
    await translate(consultId, interpreter, opinion);
    await release(consultId, { draftRevision: 1 });
    const first = server.opinions.version(consultId, 1);

    assert.equal((await release(consultId, { draftRevision: 1, changeNote: 'nothing' })).code, 'not-ready', 'nothing changed since version 1');
    const amended = { ...opinion, furtherTests: `${opinion.furtherTests} Bone scan if symptoms appear.` };
    await saveDraft(consultId, amended, 1);
    const stale = await api<DoctorOpinionView>({ cookie: doctor.cookie }, 'GET', `/consults/${consultId}/opinion`);
    assert.equal(stale.body.translation?.current, false, 'the translation is of the earlier wording');
    assert.equal(stale.body.draftChanged, true);
    assert.equal((await release(consultId, { draftRevision: 2, withoutTranslationReason: 'The interpreter is away; the change is a test only.' })).code, 'invalid-payload', 'an amendment says what changed');
    assert.equal((await release(consultId, { draftRevision: 2, changeNote: 'Bone scan added.' })).code, 'not-ready', 'the translation fell behind');
    const second = await release(consultId, {
      draftRevision: 2,
      changeNote: 'Bone scan added to the further tests.',
      withoutTranslationReason: 'The interpreter is away this week; the change is one test, explained by phone.',
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.deepEqual(second.body.versions.map((version) => version.version), [2, 1], 'newest first');
    assert.equal(second.body.versions[0]?.changeNote, 'Bone scan added to the further tests.');
    assert.equal(second.body.versions[0]?.translation, null);
    assert.equal(second.body.versions[0]?.withoutTranslationReason, 'The interpreter is away this week; the change is one test, explained by phone.');
    assert.deepEqual(server.opinions.version(consultId, 1), first, 'version 1 is as it was');
    assert.throws(
      () => server.database.prepare("UPDATE opinion_versions SET body = '{}' WHERE consult_id = ?").run(consultId),
      /never changed/,
      'the database itself refuses to change a released version',
    );
    const forPatient = (await api<PatientOpinionView>(patient, 'GET', `/consults/${consultId}/opinion`)).body;
    assert.deepEqual(forPatient.versions.map((version) => version.version), [2, 1]);
    assert.ok((await auditOf(consultId)).includes('opinion-amended doctor Dr. Jonas Weber version 2'));
  });

  it('gives the patient and the doctor each version as a PDF, audited; not the interpreter, nobody else', async () => {
    const { consultId, patient, interpreter, asDoctor } = await consultWithLinks();
    await saveDraft(consultId, opinion, 0);
    await translate(consultId, interpreter, opinion);
    await release(consultId, { draftRevision: 1 });
    const pdfOf = (credentials: Credentials, version = 1) =>
      fetch(`http://127.0.0.1:${server.port}/api/consults/${consultId}/opinion/versions/${version}/pdf`, { headers: headersFor(credentials) });
    for (const who of [patient, asDoctor]) {
      const response = await pdfOf(who);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/pdf');
      assert.match(response.headers.get('content-disposition') ?? '', /second-opinion-v1\.pdf/);
      assert.equal(Buffer.from(await response.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    }
    assert.equal((await pdfOf(interpreter)).status, 403);
    assert.equal((await pdfOf(patient, 2)).status, 404, 'no version 2');
    assert.equal((await pdfOf((await consultWithLinks()).patient)).status, 404, 'another consult’s link');
    const log = await auditOf(consultId);
    assert.ok(log.includes('opinion-downloaded patient Amira Haddad version 1'), log.join('; '));
    assert.ok(log.includes('opinion-downloaded doctor Dr. Jonas Weber version 1'), log.join('; '));
  });

  it('keeps the patient’s link open for reading after the call, for months after a release, until the doctor withdraws it', async () => {
    const { consultId, patient, asDoctor } = await consultWithLinks('en', false);
    await saveDraft(consultId, opinion, 0);
    server.consults.markEnded(consultId);
    const linkId = server.consults.listLinks(consultId).find((link) => link.role === 'patient')?.id;
    assert.ok(linkId);
    server.database.prepare('UPDATE invite_links SET expires_at = ? WHERE id = ?').run(Date.now() + 60_000, linkId);
    const released = await release(consultId, { draftRevision: 1 });
    assert.equal(released.status, 201);
    const expiresAt = server.consults.getLink(linkId)?.expiresAt ?? 0;
    assert.ok(expiresAt > Date.now() + 89 * 24 * 60 * 60 * 1000, `the release keeps the link open 90 days (until ${new Date(expiresAt).toISOString()})`);
    const afterCall = await api<PatientOpinionView>(patient, 'GET', `/consults/${consultId}/opinion`);
    assert.equal(afterCall.status, 200, 'the call ended, the opinion is still there to read');
    assert.equal(afterCall.body.versions.length, 1);
    assert.equal((await api(patient, 'GET', `/consults/${consultId}/documents`)).status, 200, 'and their documents');

    assert.equal((await api(asDoctor, 'DELETE', `/consults/${consultId}/links/${linkId}`)).status, 204);
    const withdrawn = await api(patient, 'GET', `/consults/${consultId}/opinion`);
    assert.equal(withdrawn.status, 401);
    assert.equal(withdrawn.code, 'unauthenticated');
  });

  it('refuses a link past its reading period', async () => {
    const consultId = createConsult(server, doctor, false, 'en');
    const expired = await createInviteToken(server, consultId, 'patient', Date.now() + 1000);
    server.database.prepare('UPDATE invite_links SET expires_at = ? WHERE id = ?').run(Date.now() - 1000, expired.linkId);
    const refused = await api({ token: expired.token }, 'GET', `/consults/${consultId}/opinion`);
    assert.equal(refused.status, 401);
  });

  it('runs a records review without a call, and shows the doctor where each consult stands', async () => {
    const created = await api<ConsultSummary>({ cookie: doctor.cookie }, 'POST', '/consults', {
      kind: 'records',
      title: 'Records review: mammography',
      scheduledAt: new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString(),
      patientName: 'Amira Haddad',
      patientLanguage: 'ar',
      interpretation: { from: 'ar', to: 'en' },
      doctorTimeZone: 'Europe/Berlin',
      patientTimeZone: 'Asia/Amman',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.kind, 'records');
    const consultId = created.body.id;
    const stage = async () => (await api<ConsultSummary[]>({ cookie: doctor.cookie }, 'GET', '/consults')).body.find((consult) => consult.id === consultId)?.stage;
    assert.equal(await stage(), 'waiting-for-records');

    const patient = { token: (await createInviteToken(server, consultId, 'patient')).token };
    const interpreter = { token: (await createInviteToken(server, consultId, 'interpreter')).token };
    const invite = (await api<InviteDetails>(patient, 'GET', '/invite')).body;
    assert.deepEqual({ kind: invite.consult.kind, callOver: invite.consult.callOver }, { kind: 'records', callOver: true }, 'the link page shows the written side only');
    const socket = await connect(server.port);
    try {
      const joined = await ask(socket, 'join', { as: 'guest', inviteToken: patient.token, displayName: 'Amira Haddad' });
      assert.ok(!joined.ok && joined.error.code === 'consult-ended', 'there is no call to join');
    } finally {
      socket.disconnect();
    }

    const upload = await new DocumentRequests(() => server.port).upload(consultId, patient, 'Mammography report.pdf', await numberedPdf(1));
    assert.equal(upload.status, 201);
    assert.equal(await stage(), 'ready-for-review');
    await saveDraft(consultId, { ...opinion, urgency: null }, 0);
    assert.equal(await stage(), 'opinion-drafted');
    await saveDraft(consultId, opinion, 1);
    assert.equal(await stage(), 'awaiting-translation');
    await translate(consultId, interpreter, opinion);
    assert.equal(await stage(), 'opinion-drafted', 'translated, ready to sign');
    assert.equal((await release(consultId, { draftRevision: 2 })).status, 201);
    assert.equal(await stage(), 'released');
    await saveDraft(consultId, { ...opinion, furtherTests: 'MRI of both breasts.' }, 2);
    assert.equal(await stage(), 'amendment-drafted');
    assert.equal((await api<PatientOpinionView>(patient, 'GET', `/consults/${consultId}/opinion`)).body.versions.length, 1);
  });
});
