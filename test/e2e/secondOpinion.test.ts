// The written second opinion in Chromium, from start to end, in a records
// review (no call): the patient writes her case in Arabic on her phone and
// sends her records; the interpreter translates her questions; the doctor
// reviews and writes the opinion in English; the interpreter translates it;
// the doctor signs and releases it; the patient reads it in Arabic and
// downloads the PDF, which is rendered to PNG (pdftoppm) and read back
// (pdftotext) in both languages.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ElementHandle, Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { typeAnswer } from '../helpers/caseAnswers';
import { createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { eventually } from '../helpers/eventually';
import { bodyText, clickButton, fillField } from '../helpers/pageActions';
import { numberedPdf } from '../helpers/pdfFiles';
import { scratchFile, screenshotPath } from '../helpers/scratchFiles';

const run = promisify(execFile);
const phone = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const laptop = { width: 1366, height: 900 };

const questions = 'هل التشخيص صحيح؟ هل توجد علاجات أقل تدخلاً من استئصال الثدي؟';
const diagnosis = 'سرطان الثدي، المرحلة الثانية';
const questionsInEnglish = 'Is the diagnosis right? Are there less invasive treatments than a mastectomy?';
const explanation = 'Your diagnosis is right, and we now know it more precisely. You do not need the whole breast removed: a smaller operation followed by radiotherapy is as safe.';
const explanationInArabic = 'تشخيصك صحيح، ونعرفه الآن بدقة أكبر. لا تحتاجين إلى استئصال الثدي كاملاً: عملية أصغر يتبعها علاج إشعاعي آمنة بالقدر نفسه.';
const specialistDiagnosis = 'Invasive ductal carcinoma, stage IIA, hormone receptor positive, HER2 negative.';
const specialistDiagnosisInArabic = 'سرطان الأقنية الغازي، المرحلة IIA، إيجابي لمستقبلات الهرمونات، سلبي لـ HER2.';
const recommendation = 'Breast-conserving surgery with sentinel node biopsy, then radiotherapy and endocrine therapy.';
const recommendationInArabic = 'جراحة محافظة على الثدي مع خزعة العقدة الحارسة، ثم علاج إشعاعي وعلاج هرموني.';
const furtherTests = 'Oncotype DX recurrence score; genetic counselling.';
const furtherTestsInArabic = 'اختبار Oncotype DX؛ استشارة وراثية.';

async function waitForSaved(page: Page, within = 'details.intake'): Promise<void> {
  await page.waitForFunction((selector: string) => document.querySelector(`${selector} .save-status`)?.classList.contains('save-saved'), {}, within);
}

/** The words of `text`, without the bidi isolates and marks the page and the PDF put around values. */
function words(text: string): Set<string> {
  return new Set(text.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').split(/[\s.,;:!?()«»،؛؟]+/u).filter((word) => word.length > 0));
}

describe('a written second opinion, from the patient’s case to the PDF, in Chromium', function () {
  this.timeout(240_000);
  const e2e = E2eSession.inSuite();
  let downloads: string;

  before(() => {
    downloads = mkdtempSync(join(tmpdir(), 'consilium-opinion-'));
  });
  after(() => rmSync(downloads, { recursive: true, force: true }));

  async function doctorDashboard(doctor: DoctorFixture): Promise<Page> {
    const page = await e2e.newPage('doctor');
    await page.setViewport(laptop);
    await page.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: new URL(e2e.url('/')).hostname, path: '/' });
    await page.goto(e2e.url('/dashboard'));
    await clickButton(page, 'Written opinion');
    await page.waitForSelector('.opinion-editor');
    return page;
  }

  it('goes from an Arabic case to a released opinion the patient reads in Arabic and downloads as a PDF', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Anna Berger');
    const consult = e2e.server.consults.create(doctor.id, {
      kind: 'records',
      title: 'Records review: breast cancer treatment plan',
      patientDescription: null,
      scheduledAt: new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString(),
      patientName: 'Amira Haddad',
      patientLanguage: 'ar',
      interpretation: { from: 'ar', to: 'en' },
      doctorTimeZone: 'Europe/Berlin',
      patientTimeZone: 'Asia/Amman',
    });
    const patientLink = e2e.url(`/join#${(await createInviteToken(e2e.server, consult.id, 'patient')).token}`);
    const interpreterLink = e2e.url(`/join#${(await createInviteToken(e2e.server, consult.id, 'interpreter')).token}`);

    // The patient, on her phone, in Arabic: her case and her records; no call to join.
    const patient = await e2e.newPage('patient');
    await patient.setViewport(phone);
    await patient.goto(patientLink);
    await patient.waitForSelector('main.link-records');
    await patient.waitForFunction(`document.documentElement.dir === 'rtl'`);
    assert.equal(await patient.$('.join-button'), null, 'a records review has no call');
    await patient.click('details.intake summary');
    await typeAnswer(patient, 'questions', questions);
    await typeAnswer(patient, 'diagnosis', diagnosis);
    await waitForSaved(patient);
    const input = (await patient.waitForSelector('.upload input[type="file"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(scratchFile('تقرير الأشعة.pdf', await numberedPdf(2)));
    await eventually(() => e2e.server.documents.store.listForConsult(consult.id).length === 1, 'her record uploaded', 20_000);
    await patient.screenshot({ path: screenshotPath('opinion-1-patient-case-phone-ar.png'), fullPage: true });

    // The interpreter translates her questions for the doctor.
    const interpreter = await e2e.newPage('interpreter');
    await interpreter.setViewport(laptop);
    await interpreter.goto(interpreterLink);
    await fillField(interpreter, 'Your name as the others will see it', 'Karim Nasser');
    await interpreter.click('details.intake:not(.opinion-translator) summary');
    await fillField(interpreter, 'Translation: Questions for the specialist', questionsInEnglish);
    await waitForSaved(interpreter);

    // The doctor reviews: the case with its translation, the records; then writes the opinion in English.
    const doctorPage = await doctorDashboard(doctor);
    await clickButton(doctorPage, 'Patient\'s case');
    await doctorPage.waitForFunction(`document.body.innerText.includes(${JSON.stringify(questionsInEnglish)})`);
    // Her records, looked at alone in the viewer: no call needed.
    await clickButton(doctorPage, 'Documents');
    await clickButton(doctorPage, 'View تقرير الأشعة.pdf');
    await doctorPage.waitForSelector('.private-viewer .document-canvas[data-rendered-page="1"]', { timeout: 30_000 });
    await doctorPage.focus('.private-viewer .viewer-viewport');
    await doctorPage.keyboard.press('PageDown');
    await doctorPage.waitForSelector('.private-viewer .document-canvas[data-rendered-page="2"]');
    await doctorPage.screenshot({ path: screenshotPath('opinion-2a-doctor-views-record-en.png'), fullPage: true });
    await clickButton(doctorPage, 'Close');
    await fillField(doctorPage, 'Case summary', '52-year-old woman, invasive ductal carcinoma of the left breast, 2.1 cm, node negative.');
    await doctorPage.click('::-p-aria(Refined[role="radio"])');
    await fillField(doctorPage, 'The specialist\'s diagnosis', specialistDiagnosis);
    await doctorPage.click('::-p-aria(An alternative is advised[role="radio"])');
    await fillField(doctorPage, 'Recommended treatment', recommendation);
    await fillField(doctorPage, 'Further tests or referrals', furtherTests);
    await doctorPage.click('::-p-aria(Soon: within the next days[role="radio"])');
    await fillField(doctorPage, 'In plain words', explanation);
    await doctorPage.click('.opinion-documents input[type="checkbox"]');
    await waitForSaved(doctorPage, '.opinion-editor');
    await doctorPage.waitForFunction(`document.body.innerText.includes('Waiting for the interpreter')`);
    await doctorPage.screenshot({ path: screenshotPath('opinion-2-doctor-draft-en.png'), fullPage: true });

    // The interpreter translates the parts the patient reads.
    await interpreter.reload();
    await fillField(interpreter, 'Your name as the others will see it', 'Karim Nasser');
    await interpreter.waitForSelector('.opinion-translator');
    for (const [part, text] of [
      ['In plain words', explanationInArabic],
      ['The specialist\'s diagnosis', specialistDiagnosisInArabic],
      ['Recommended treatment', recommendationInArabic],
      ['Further tests or referrals', furtherTestsInArabic],
    ] as const) {
      await fillField(interpreter, `Translation: ${part}`, text);
    }
    await waitForSaved(interpreter, '.opinion-translator');
    assert.ok(!(await bodyText(interpreter)).includes('52-year-old'), 'the interpreter sees only what they translate');
    await interpreter.screenshot({ path: screenshotPath('opinion-3-interpreter-en.png'), fullPage: true });

    // The doctor signs and releases it.
    await doctorPage.reload();
    await clickButton(doctorPage, 'Written opinion');
    await doctorPage.waitForFunction(`document.body.innerText.includes('Translated into Arabic by Karim Nasser')`);
    await clickButton(doctorPage, 'Sign and release');
    await doctorPage.waitForSelector('dialog[open]');
    await doctorPage.click('dialog[open] button.danger');
    await eventually(() => e2e.server.opinions.versions(consult.id).length === 1, 'version 1 released', 20_000);
    // What she will read, as released: told apart here from what her page then shows.
    assert.deepEqual(e2e.server.opinions.versions(consult.id)[0]?.opinion.translation?.parts, {
      patientExplanation: explanationInArabic,
      specialistDiagnosis: specialistDiagnosisInArabic,
      treatmentRecommendation: recommendationInArabic,
      furtherTests: furtherTestsInArabic,
    });
    // Where the consult stands follows on the dashboard, no reload needed.
    await doctorPage.waitForFunction(`document.querySelector('[data-consult-id="${consult.id}"] .consult-stage')?.textContent === 'Opinion released'`, { timeout: 10_000 });
    await doctorPage.waitForSelector('.opinion-versions');
    await doctorPage.screenshot({ path: screenshotPath('opinion-2b-doctor-released-en.png'), fullPage: true });

    // The patient reads it in Arabic, with the specialist's original beside it, and downloads the PDF.
    await patient.reload();
    await patient.waitForSelector('.opinion-reader');
    const reading = await bodyText(patient);
    for (const text of [explanationInArabic, specialistDiagnosisInArabic, recommendationInArabic]) assert.ok(reading.includes(text), `she reads: ${text}\nwhere her page says:\n${reading}`);
    await patient.screenshot({ path: screenshotPath('opinion-4-patient-reads-phone-ar.png'), fullPage: true });
    const session = await patient.createCDPSession();
    await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, browserContextId: patient.browserContext().id, eventsEnabled: true });
    await patient.click('.opinion-reader button.primary');
    const pdfPath = join(downloads, 'second-opinion-v1.pdf');
    await eventually(() => readdirSync(downloads).includes('second-opinion-v1.pdf'), 'the PDF downloaded', 20_000);

    // The PDF, read back: Arabic and English, the fingerprint; and drawn, to look at.
    const { stdout: text } = await run('pdftotext', ['-layout', pdfPath, '-']);
    const found = words(text);
    for (const word of ['تشخيصك', 'صحيح', 'الثدي', 'إشعاعي', 'Oncotype', 'radiotherapy', 'Berger', 'Amira', 'Haddad']) {
      assert.ok(found.has(word), `the PDF says “${word}”:\n${text}`);
    }
    const hash = e2e.server.opinions.versions(consult.id)[0]?.contentHash ?? '';
    assert.ok(text.replace(/\s/g, '').includes(hash), 'the full fingerprint is on it');
    await run('pdftoppm', ['-png', '-r', '60', pdfPath, screenshotPath('opinion-5-pdf')]);
    assert.ok(readdirSync(join(screenshotPath('x'), '..')).some((name) => name.startsWith('opinion-5-pdf')), 'the PDF renders to pictures');
  });
});
