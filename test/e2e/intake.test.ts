// The patient's case in Chromium, as the three people meet it: the patient
// writes it in Arabic on her phone from her link, saved as she types, and
// what she writes offline survives a closed tab; the interpreter translates it
// on his link page; the doctor reads both on the dashboard and starts the
// review, after which the patient's form is kept as it is.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { intakeFields } from '../../shared/intake';
import { typeAnswer } from '../helpers/caseAnswers';
import { createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { bodyText, clickButton, fillField, typeInto } from '../helpers/pageActions';
import { screenshotPath } from '../helpers/scratchFiles';

const phone = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const laptop = { width: 1366, height: 768 };
const questions = 'هل التشخيص صحيح؟ هل توجد علاجات أقل تدخلاً من استئصال الثدي؟';
const diagnosis = 'سرطان الثدي، المرحلة الثانية';
const allergies = 'البنسلين';
const translatedQuestions = 'Ist die Diagnose richtig? Gibt es weniger eingreifende Behandlungen als die Mastektomie?';

function saveStatus(page: Page): Promise<string> {
  return page.$eval('details.intake .save-status', (element) => element.className);
}

describe('the patient’s case, written, translated and read, in Chromium', function () {
  this.timeout(120_000);
  const e2e = E2eSession.inSuite();

  it('is written in Arabic on a phone, survives a closed tab offline, is translated, read by the doctor and locked by the review', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    const consult = e2e.server.consults.create(doctor.id, {
      title: 'Second opinion: breast cancer treatment plan',
      patientDescription: null,
      scheduledAt: new Date(Date.now() + 60 * 60 * 1000).toISOString(),
      patientName: 'Amira Haddad',
      patientLanguage: 'ar',
      interpretation: { from: 'ar', to: 'de' },
      doctorTimeZone: 'Europe/Berlin',
      patientTimeZone: 'Asia/Amman',
    });
    const patientLink = e2e.url(`/join#${(await createInviteToken(e2e.server, consult.id, 'patient')).token}`);

    // The patient, on her phone: the case is on her link page, closed until she opens it.
    const patient = await e2e.newPage('patient');
    await patient.setViewport(phone);
    await patient.goto(patientLink);
    await patient.waitForFunction(`document.documentElement.dir === 'rtl'`);
    await patient.click('details.intake summary');
    await typeAnswer(patient, 'questions', questions);
    await typeAnswer(patient, 'diagnosis', diagnosis);
    await patient.waitForFunction(`document.querySelector('details.intake .save-status')?.classList.contains('save-saved')`);
    await patient.screenshot({ path: screenshotPath('intake-patient-phone-ar.png'), fullPage: true });
    await (await patient.$('details.intake'))?.screenshot({ path: screenshotPath('intake-patient-phone-ar-case.png') });
    const progress = await patient.$eval('.intake-progress', (element) => element.textContent?.replace(/[\u2068\u2069]/g, ''));
    assert.equal(progress, 'تمت الإجابة عن 2 من 7', 'her progress, in Arabic');

    // Offline, she adds her allergy and closes the tab before it could be sent.
    await patient.setOfflineMode(true);
    await typeAnswer(patient, 'allergies', allergies);
    await patient.waitForFunction(`document.querySelector('details.intake .save-status')?.classList.contains('save-retrying')`, { timeout: 20_000 });
    assert.match(await saveStatus(patient), /save-retrying/);
    assert.equal(e2e.server.intakes.get(consult.id)?.answers.allergies, '', 'the server has not had it');
    const device = patient.browserContext();
    await patient.close();

    // Back online, the same phone opens her link again: what she wrote is there and sent.
    const again = await device.newPage();
    await again.setViewport(phone);
    await again.goto(patientLink);
    await again.click('details.intake summary');
    await again.waitForFunction(`document.querySelector('details.intake .save-status')?.classList.contains('save-saved')`);
    const kept = await again.$$eval('details.intake textarea', (areas) => areas.map((area) => (area).value));
    assert.equal(kept[intakeFields.indexOf('allergies')], allergies);
    assert.equal(kept[intakeFields.indexOf('questions')], questions);
    assert.deepEqual(
      { questions: e2e.server.intakes.get(consult.id)?.answers.questions, allergies: e2e.server.intakes.get(consult.id)?.answers.allergies },
      { questions, allergies },
    );

    // The interpreter, on his link page: types his name, then translates beside the original.
    const interpreter = await e2e.guestOpensLink(consult.id, 'interpreter');
    await interpreter.setViewport(laptop);
    await fillField(interpreter, 'Your name as the others will see it', 'Karim Nasser');
    await interpreter.click('details.intake summary');
    const translation = await interpreter.waitForSelector('::-p-aria(Translation: Questions for the specialist[role="textbox"])');
    assert.ok(translation);
    await typeInto(translation, translatedQuestions);
    await interpreter.waitForFunction(`document.querySelector('details.intake .save-status')?.classList.contains('save-saved')`);
    await interpreter.screenshot({ path: screenshotPath('intake-interpreter-laptop-en.png'), fullPage: true });
    assert.equal(e2e.server.intakes.translation(consult.id)?.translatorName, 'Karim Nasser');

    // The doctor, on his dashboard: the original and the translation, marked as the interpreter's.
    const doctorPage = await e2e.newPage('doctor');
    await doctorPage.setViewport(laptop);
    await doctorPage.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: new URL(e2e.url('/')).hostname, path: '/' });
    await doctorPage.goto(e2e.url('/dashboard'));
    await clickButton(doctorPage, 'Patient\'s case');
    await doctorPage.waitForFunction(`document.body.innerText.includes(${JSON.stringify(translatedQuestions)})`);
    const read = await bodyText(doctorPage);
    assert.ok(read.includes(questions) && read.includes(diagnosis) && read.includes(allergies), 'her words as she wrote them');
    assert.ok(read.includes('Translated into German by Karim Nasser (interpreter).'), read);
    await doctorPage.screenshot({ path: screenshotPath('intake-doctor-dashboard-en.png'), fullPage: true });
    await clickButton(doctorPage, 'Start the review');
    await doctorPage.waitForFunction(`document.body.innerText.includes('Review started')`);

    // The patient's form is now kept as it is, and says so.
    await again.reload();
    await again.click('details.intake summary');
    await again.waitForFunction(`document.querySelector('details.intake .save-status')?.classList.contains('save-locked')`);
    assert.equal(await again.$eval('details.intake textarea', (area) => (area).readOnly), true);
  });
});
