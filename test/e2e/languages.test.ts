// Each person in their own language, in Chromium: the patient's browser asks
// for Arabic and gets a right-to-left page; the doctor picks German; the
// interpreter reads French. Before the patient is let in, the doctor and the
// interpreter hold a pre-brief: they hear each other, the waiting patient
// receives no sound at all, and what they write stays with them. The consult
// time is shown in both the patient's and the doctor's time zones.
import assert from 'node:assert/strict';
import type { TFunction } from 'i18next';
import type { Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { languageName } from '../../client/consults/languages';
import { createConsult, createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { translator } from '../helpers/devices';
import { E2eSession, type GuestJoinLabels } from '../helpers/e2eSession';
import { bodyText, clickButton, fillField, tickCheckbox } from '../helpers/pageActions';
import { inboundPacketCount, remoteTileMedia } from '../helpers/pageProbes';
import { screenshotPath } from '../helpers/scratchFiles';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes the page's browser prefer `language` (as a person's browser settings would) and live in `timeZone`. */
async function browserSettings(page: Page, language: string, timeZone: string): Promise<void> {
  await page.evaluateOnNewDocument(`
    Object.defineProperty(navigator, 'languages', { get: () => ['${language}'] });
    Object.defineProperty(navigator, 'language', { get: () => '${language}' });
  `);
  await page.emulateTimezone(timeZone);
}

function joinLabels(t: TFunction): GuestJoinLabels {
  return { name: t('prejoin.displayName'), consent: t('prejoin.consent'), join: t('prejoin.join') };
}

async function waitForText(page: Page, text: string): Promise<void> {
  await page.waitForFunction((expected) => document.body.innerText.includes(expected), { timeout: 20_000 }, text);
}

describe('languages, right-to-left and the interpreter in Chromium', function () {
  this.timeout(180_000);
  const e2e = E2eSession.inSuite();

  it('serves each person in their language, keeps the pre-brief from the waiting patient, and shows both time zones', async () => {
    const [arabic, german, french] = await Promise.all([translator('ar'), translator('de'), translator('fr')]);
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    const consultId = createConsult(e2e.server, doctor, true, 'ar'); // doctor in Berlin, patient in Amman, Arabic ↔ German

    // The doctor chooses German on the device check; the choice is remembered.
    const doctorPage = await e2e.newPage('doctor');
    await doctorPage.emulateTimezone('Europe/Berlin');
    await doctorPage.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: '127.0.0.1', path: '/' });
    await doctorPage.goto(e2e.url(`/c/${consultId}`));
    const languageMenu = await doctorPage.waitForSelector('::-p-aria(Language of this page)');
    await languageMenu!.select('de');
    await waitForText(doctorPage, german('prejoin.doctorTitle'));
    assert.equal(await doctorPage.evaluate('document.documentElement.lang'), 'de');
    await tickCheckbox(doctorPage, german('prejoin.consent'));
    await clickButton(doctorPage, german('prejoin.join'));
    await doctorPage.waitForSelector('main[data-phase="in-call"]');

    // The interpreter's browser prefers French.
    const interpreterPage = await e2e.newPage('interpreter');
    await browserSettings(interpreterPage, 'fr-CH', 'Europe/Zurich');
    const interpreterLink = await createInviteToken(e2e.server, consultId, 'interpreter');
    await interpreterPage.goto(e2e.url(`/join#${interpreterLink.token}`));
    await e2e.guestJoinsFrom(interpreterPage, 'Elena Petrova', joinLabels(french));

    // The patient's browser prefers Arabic: the whole page is right-to-left.
    const patientPage = await e2e.newPage('patient');
    await browserSettings(patientPage, 'ar', 'Asia/Amman');
    const patientLink = await createInviteToken(e2e.server, consultId, 'patient');
    await patientPage.goto(e2e.url(`/join#${patientLink.token}`));
    await patientPage.waitForSelector('.consult-summary');
    assert.deepEqual(await patientPage.evaluate('[document.documentElement.lang, document.documentElement.dir]'), ['ar', 'rtl']);
    const when = await patientPage.$eval('.consult-when', (element) => (element as HTMLElement).innerText);
    assert.ok(when.includes('Dr. Jonas Weber'), `the doctor's time is given too, since Berlin and Amman differ: ${when}`);
    await e2e.guestJoinsFrom(patientPage, 'أميرة حداد', joinLabels(arabic));
    await waitForText(patientPage, arabic('waiting.title', { doctor: 'Dr. Jonas Weber' }));
    await patientPage.screenshot({ path: screenshotPath('patient-waiting-ar.png'), fullPage: true });

    // Pre-brief: the doctor lets the interpreter in first.
    await clickButton(doctorPage, german('waitingRoom.admitNamed', { name: 'Elena Petrova' }));
    await interpreterPage.waitForSelector('main[data-phase="in-call"]');
    await waitForText(doctorPage, german('interpretation.preBrief'));
    await clickButton(interpreterPage, french('callScreen.chat'));
    await clickButton(doctorPage, german('callScreen.chat'));
    await fillField(interpreterPage, french('chat.message'), 'Notes for the pre-brief');
    await clickButton(interpreterPage, french('chat.send'));
    await waitForText(doctorPage, 'Notes for the pre-brief');
    // They hear each other…
    const heard = async (page: Page) => (await remoteTileMedia(page)).reduce((sum, tile) => sum + tile.totalSamplesReceived, 0);
    const before = { doctor: await heard(doctorPage), interpreter: await heard(interpreterPage) };
    await sleep(2500);
    assert.ok((await heard(doctorPage)) > before.doctor, 'the doctor hears the interpreter');
    assert.ok((await heard(interpreterPage)) > before.interpreter, 'the interpreter hears the doctor');
    // …and the waiting patient receives nothing at all, and reads nothing of it.
    assert.equal(await inboundPacketCount(patientPage), 0, 'no media reaches the waiting patient');
    assert.ok(!(await bodyText(patientPage)).includes('Notes for the pre-brief'));

    await clickButton(doctorPage, german('waitingRoom.admitNamed', { name: 'أميرة حداد' }));
    await patientPage.waitForSelector('main[data-phase="in-call"]');
    await patientPage.waitForSelector('.tiles .tile[data-role="interpreter"]');
    // The interpreter's tile shows the language pair; the doctor sees who needs interpretation.
    await waitForText(patientPage, arabic('interpretation.pair', { from: languageName('ar', 'ar'), to: languageName('de', 'ar') }));
    await waitForText(doctorPage, german('interpretation.needsInterpretation'));
    assert.ok(!(await bodyText(patientPage)).includes('Notes for the pre-brief'), 'the pre-brief stays with the care team');

    // The floor: the doctor hands it to the interpreter, who hands it back.
    await clickButton(doctorPage, german('interpretation.pleaseInterpret'));
    await waitForText(patientPage, arabic('interpretation.interpreting', { interpreter: 'Elena Petrova' }));
    await clickButton(interpreterPage, french('interpretation.goOn'));
    await waitForText(patientPage, arabic('interpretation.floorWith', { name: 'Dr. Jonas Weber' }));

    await patientPage.screenshot({ path: screenshotPath('patient-call-ar.png'), fullPage: true });
    await doctorPage.screenshot({ path: screenshotPath('doctor-call-de.png'), fullPage: true });
    // The layout is mirrored: a drawer opens on the left of the stage.
    await clickButton(patientPage, arabic('callScreen.chat'));
    const sideIsLeft = await patientPage.evaluate(`
      document.querySelector('.drawer-chat').getBoundingClientRect().left < document.querySelector('.call-stage').getBoundingClientRect().left
    `);
    assert.equal(sideIsLeft, true, 'right-to-left: the side panels are on the left');
  });
});
