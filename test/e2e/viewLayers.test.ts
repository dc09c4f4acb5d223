// Each person receives the picture their tiles need (issue 14): the media
// server forwards the simulcast layer as tall as a tile is drawn, and no
// video at all to a page that is hidden (a phone's screen off, another app in
// front), while the sound goes on; the picture is back when the page is.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton } from '../helpers/pageActions';
import { audioFlows, remoteTileMedia, videoFlows } from '../helpers/pageProbes';

async function receivedHeight(page: Page, role: string): Promise<number> {
  return (await remoteTileMedia(page)).find((tile) => tile.role === role)?.frameHeight ?? 0;
}

async function framesFrom(page: Page, role: string): Promise<number> {
  return (await remoteTileMedia(page)).find((tile) => tile.role === role)?.framesDecoded ?? 0;
}

/** Waits until `page` receives `role`'s video at most (or, with `atLeast`, at least) `height` lines. */
async function receivesHeight(page: Page, role: string, height: number, atLeast: boolean): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const received = await receivedHeight(page, role);
    if (received > 0 && (atLeast ? received >= height : received <= height)) return received;
    if (Date.now() > deadline) assert.fail(`receives the ${role}'s video at ${received} lines, expected ${atLeast ? 'at least' : 'at most'} ${height}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** As when a phone's screen goes off or another app comes to the front. */
function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { value: value ? 'hidden' : 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

describe('the picture each person receives, in Chromium', function () {
  this.timeout(180_000);
  const e2e = E2eSession.inSuite();

  it('is as tall as their tiles are drawn, and stops while their page is hidden', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor, false);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    await doctorPage.setViewport({ width: 1366, height: 768 });
    const patientPage = await e2e.guestArrives(consultId, 'patient', 'Amira Haddad');
    // The patient's phone: one large tile for the doctor fills most of it.
    await patientPage.setViewport({ width: 360, height: 640 });
    await clickButton(doctorPage, 'Admit Amira Haddad');
    await patientPage.waitForSelector('main[data-phase="in-call"]');

    // On the laptop the patient's tile is over 500 px tall: the full 720 lines.
    const large = await receivesHeight(doctorPage, 'patient', 720, true);
    // On the phone the doctor's tile is drawn about 300 px tall: the 360-line layer is enough.
    const drawn = await patientPage.$eval('.tiles .tile[data-role="doctor"]', (tile) => tile.getBoundingClientRect().height);
    const small = await receivesHeight(patientPage, 'doctor', 360, false);
    console.log(`      the doctor receives 720-line video at ${large} lines; the patient, drawing it ${Math.round(drawn)} px tall, at ${small}`);

    await setPageHidden(patientPage, true);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = await framesFrom(patientPage, 'doctor');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(await framesFrom(patientPage, 'doctor'), before, 'no video reaches a hidden page');
    await audioFlows(patientPage, 'doctor', 'with her page hidden, the patient');
    assert.equal(await patientPage.$('.tile[data-role="doctor"] .tile-reconnecting'), null, 'and it is not taken for a lost connection');

    await setPageHidden(patientPage, false);
    await videoFlows(patientPage, 'doctor', 'back on the page, the patient');
  });
});
