// The patient's case (intake) over real HTTP: the patient writes it from their
// link and it is saved as they type, without overwriting anyone; the doctor
// and the interpreter read it; the interpreter adds a translation signed with
// their name; the doctor's review locks it; bad input and strangers are
// refused with clear codes and change nothing; all of it audited.
import assert from 'node:assert/strict';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { AuditEventInfo, ConsultDetails } from '../../shared/api';
import { emptyIntakeAnswers, type IntakeAnswers, type IntakeView } from '../../shared/intake';
import { apiRequest } from '../helpers/apiRequests';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import type { Credentials } from '../helpers/documentRequests';
import { startTestServer } from '../helpers/testServer';

const amirasCase: IntakeAnswers = {
  ...emptyIntakeAnswers,
  questions: 'هل التشخيص صحيح؟ هل توجد علاجات أقل تدخلاً؟',
  diagnosis: 'سرطان الثدي، المرحلة الثانية',
  diagnosedBy: 'د. سمير، مستشفى عمّان',
  medication: 'Tamoxifen 20 mg\nParacetamol',
};

describe('the patient’s case (intake)', function () {
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

  const api = <T = IntakeView>(credentials: Credentials, method: string, path: string, body?: unknown) => apiRequest<T>(server.port, credentials, method, path, body);

  async function consultWithLinks() {
    const consultId = createConsult(server, doctor, true, 'ar');
    const patient = { token: (await createInviteToken(server, consultId, 'patient')).token };
    const interpreter = { token: (await createInviteToken(server, consultId, 'interpreter')).token };
    return { consultId, patient, interpreter, asDoctor: { cookie: doctor.cookie } };
  }

  const auditOf = async (consultId: string) => (await api<AuditEventInfo[]>({ cookie: doctor.cookie }, 'GET', `/consults/${consultId}/audit`)).body;

  it('is saved as the patient types, shown to the doctor and the interpreter, and audited without flooding the log', async () => {
    const { consultId, patient, interpreter, asDoctor } = await consultWithLinks();
    const blank = await api(patient, 'GET', `/consults/${consultId}/intake`);
    assert.equal(blank.status, 200);
    assert.deepEqual(blank.body.answers, emptyIntakeAnswers);
    assert.equal(blank.body.revision, 0);
    assert.equal(blank.body.language, 'ar', 'the patient’s language until they write');
    assert.equal(blank.body.mayEdit, true);

    // Three saves as she types, each on the last one.
    let revision = 0;
    for (const questions of ['هل', 'هل التشخيص', amirasCase.questions]) {
      const saved = await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: { ...amirasCase, questions }, language: 'ar', baseRevision: revision });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.revision, revision + 1);
      revision = saved.body.revision;
    }

    const seenByDoctor = await api(asDoctor, 'GET', `/consults/${consultId}/intake`);
    assert.equal(seenByDoctor.status, 200);
    assert.deepEqual(seenByDoctor.body.answers, amirasCase, 'the doctor reads exactly what she wrote, line breaks included');
    assert.equal(seenByDoctor.body.mayEdit, false);
    assert.equal(seenByDoctor.body.mayTranslate, false);
    const seenByInterpreter = await api(interpreter, 'GET', `/consults/${consultId}/intake`);
    assert.deepEqual(seenByInterpreter.body.answers, amirasCase);
    assert.equal(seenByInterpreter.body.mayTranslate, true);
    assert.equal(seenByInterpreter.body.doctorLanguage, 'de', 'the interpreter translates into the doctor’s side of the pair');

    const actions = (await auditOf(consultId)).map((event) => `${event.action} ${event.actor}`);
    assert.equal(actions.filter((action) => action === 'intake-updated patient Amira Haddad').length, 1, `typing is one entry: ${actions.join('; ')}`);
    assert.ok(actions.includes('intake-viewed doctor Dr. Jonas Weber'), actions.join('; '));
    assert.ok(actions.includes('intake-viewed interpreter'), actions.join('; '));
  });

  it('refuses a save made on an older revision (another tab, a relative’s phone), changing nothing', async () => {
    const { consultId, patient } = await consultWithLinks();
    const first = await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: amirasCase, language: 'ar', baseRevision: 0 });
    assert.equal(first.status, 200);
    const stale = await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: { ...amirasCase, allergies: 'penicillin' }, language: 'ar', baseRevision: 0 });
    assert.equal(stale.status, 409);
    assert.equal(stale.code, 'edit-conflict');
    const after = await api(patient, 'GET', `/consults/${consultId}/intake`);
    assert.equal(after.body.revision, 1);
    assert.equal(after.body.answers.allergies, '');
  });

  it('refuses bad input with a clear error and keeps what was saved', async () => {
    const { consultId, patient } = await consultWithLinks();
    await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: amirasCase, language: 'ar', baseRevision: 0 });
    const bad: unknown[] = [
      { answers: { ...amirasCase, history: 'x'.repeat(5001) }, language: 'ar', baseRevision: 1 },
      { answers: { ...amirasCase, history: 'evil \u202e fdp.exe' }, language: 'ar', baseRevision: 1 },
      { answers: { ...amirasCase, extra: 'field' }, language: 'ar', baseRevision: 1 },
      { answers: { questions: 'only one field' }, language: 'ar', baseRevision: 1 },
      { answers: amirasCase, language: 'not a language', baseRevision: 1 },
      { answers: amirasCase, language: 'ar', baseRevision: -1 },
      { answers: amirasCase, language: 'ar' },
      'just a string',
    ];
    for (const body of bad) {
      const refused = await api(patient, 'PUT', `/consults/${consultId}/intake`, body);
      assert.equal(refused.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(refused.code, 'invalid-payload');
    }
    const kept = await api(patient, 'GET', `/consults/${consultId}/intake`);
    assert.deepEqual(kept.body.answers, amirasCase);
    assert.equal(kept.body.revision, 1);
  });

  it('lets only the patient write the case and only the interpreter translate it; strangers learn nothing', async () => {
    const { consultId, patient, interpreter, asDoctor } = await consultWithLinks();
    const other = await consultWithLinks();
    const save = { answers: amirasCase, language: 'ar', baseRevision: 0 };
    assert.equal((await api(interpreter, 'PUT', `/consults/${consultId}/intake`, save)).code, 'forbidden');
    assert.equal((await api(asDoctor, 'PUT', `/consults/${consultId}/intake`, save)).code, 'forbidden');
    assert.equal((await api(other.patient, 'PUT', `/consults/${consultId}/intake`, save)).code, 'not-found', 'another consult’s link');
    assert.equal((await api(other.patient, 'GET', `/consults/${consultId}/intake`)).code, 'not-found');
    assert.equal((await api({ cookie: colleague.cookie }, 'GET', `/consults/${consultId}/intake`)).code, 'not-found', 'another doctor');
    assert.equal((await api({}, 'GET', `/consults/${consultId}/intake`)).code, 'unauthenticated');
    assert.equal((await api({ token: 'forged.token.value' }, 'GET', `/consults/${consultId}/intake`)).code, 'unauthenticated');
    const translation = { answers: amirasCase, language: 'de', ofRevision: 1, baseRevision: 0, translatorName: 'Lena Hoffmann' };
    assert.equal((await api(patient, 'PUT', `/consults/${consultId}/intake/translation`, translation)).code, 'forbidden');
    assert.equal((await api(asDoctor, 'PUT', `/consults/${consultId}/intake/translation`, translation)).code, 'forbidden');
    assert.equal((await api(patient, 'GET', `/consults/${consultId}/intake`)).body.revision, 0, 'nothing was written');
  });

  it('keeps the interpreter’s translation beside the original, signed, and says when the original changed since', async () => {
    const { consultId, patient, interpreter, asDoctor } = await consultWithLinks();
    const nothingYet = await api(interpreter, 'PUT', `/consults/${consultId}/intake/translation`, {
      answers: emptyIntakeAnswers, language: 'de', ofRevision: 1, baseRevision: 0, translatorName: 'Lena Hoffmann',
    });
    assert.equal(nothingYet.code, 'invalid-payload', 'no revision 1 to translate yet');
    await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: amirasCase, language: 'ar', baseRevision: 0 });
    const german = { ...emptyIntakeAnswers, questions: 'Ist die Diagnose richtig? Gibt es weniger eingreifende Behandlungen?', diagnosis: 'Brustkrebs, Stadium II' };
    const translated = await api(interpreter, 'PUT', `/consults/${consultId}/intake/translation`, {
      answers: german, language: 'de', ofRevision: 1, baseRevision: 0, translatorName: 'Lena Hoffmann',
    });
    assert.equal(translated.status, 200, JSON.stringify(translated.body));
    const seen = (await api(asDoctor, 'GET', `/consults/${consultId}/intake`)).body;
    assert.deepEqual(seen.answers, amirasCase, 'the original stays');
    assert.deepEqual(seen.translation?.answers, german);
    assert.equal(seen.translation?.translatorName, 'Lena Hoffmann');
    assert.equal(seen.translation?.ofRevision, seen.revision);
    await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: { ...amirasCase, allergies: 'Penicillin' }, language: 'ar', baseRevision: 1 });
    const changed = (await api(asDoctor, 'GET', `/consults/${consultId}/intake`)).body;
    assert.ok(changed.translation && changed.translation.ofRevision < changed.revision, 'the translation is of an earlier version');
    const stale = await api(interpreter, 'PUT', `/consults/${consultId}/intake/translation`, {
      answers: german, language: 'de', ofRevision: 2, baseRevision: 0, translatorName: 'Lena Hoffmann',
    });
    assert.equal(stale.code, 'edit-conflict');
    const actions = (await auditOf(consultId)).map((event) => `${event.action} ${event.actor}`);
    assert.ok(actions.includes('intake-translated interpreter Lena Hoffmann'), actions.join('; '));
  });

  it('is kept as it is once the doctor starts the review, while the translation can still be finished', async () => {
    const { consultId, patient, interpreter, asDoctor } = await consultWithLinks();
    await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: amirasCase, language: 'ar', baseRevision: 0 });
    assert.equal((await api({ cookie: colleague.cookie }, 'POST', `/consults/${consultId}/review`)).status, 404, 'only their own doctor');
    const started = await api<ConsultDetails>(asDoctor, 'POST', `/consults/${consultId}/review`);
    assert.equal(started.status, 200);
    assert.ok(started.body.reviewStartedAt);
    const again = await api<ConsultDetails>(asDoctor, 'POST', `/consults/${consultId}/review`);
    assert.equal(again.body.reviewStartedAt, started.body.reviewStartedAt, 'the first start is the one kept');

    const view = (await api(patient, 'GET', `/consults/${consultId}/intake`)).body;
    assert.equal(view.mayEdit, false);
    assert.equal(view.lockedAt, started.body.reviewStartedAt);
    const late = await api(patient, 'PUT', `/consults/${consultId}/intake`, { answers: { ...amirasCase, allergies: 'late' }, language: 'ar', baseRevision: 1 });
    assert.equal(late.status, 409);
    assert.equal(late.code, 'locked');
    const translated = await api(interpreter, 'PUT', `/consults/${consultId}/intake/translation`, {
      answers: amirasCase, language: 'de', ofRevision: 1, baseRevision: 0, translatorName: 'Lena Hoffmann',
    });
    assert.equal(translated.status, 200);
    const actions = (await auditOf(consultId)).map((event) => event.action);
    assert.equal(actions.filter((action) => action === 'review-started').length, 1);
  });
});
