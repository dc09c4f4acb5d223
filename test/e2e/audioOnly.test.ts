// Audio only (issue 14): a patient on mobile data or an old phone turns it on
// in the call's settings. She then sends and receives no video, the doctor
// sees on her tile that she chose it (not a frozen picture, not "camera
// off"), and both still hear each other; turning it off brings the video
// back both ways.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton } from '../helpers/pageActions';
import { audioFlows, decodedVideoFrames, videoFlows } from '../helpers/pageProbes';

/** Long enough for a few frames at the lowest layer's rate, had any video still been flowing. */
const quietMs = 2000;

async function receivesNoVideo(page: Page, what: string): Promise<void> {
  const before = await decodedVideoFrames(page);
  await new Promise((resolve) => setTimeout(resolve, quietMs));
  const after = await decodedVideoFrames(page);
  assert.ok(after <= before, `${what} still receives video: ${after - before} frames in ${quietMs} ms`);
}

function noticeOn(page: Page, role: string): Promise<string | null> {
  return page.$eval(`.tiles .tile[data-role="${role}"]`, (tile) => tile.querySelector('.tile-notice')?.textContent ?? null);
}

/** The patient's switch, in the settings drawer (opened from the control bar if it is closed). */
async function flipAudioOnly(page: Page): Promise<void> {
  if (!(await page.$('.drawer-settings:not([hidden])'))) await clickButton(page, 'Settings');
  const toggle = await page.waitForSelector('::-p-aria(Audio only[role="switch"])');
  assert.ok(toggle, 'a switch named Audio only');
  await toggle.click();
}

describe('audio only, in Chromium', function () {
  this.timeout(120_000);
  const e2e = E2eSession.inSuite();
  afterEach(() => e2e.closePages());

  it('the patient turns it on: no video either way, the doctor sees why, the voices go on; off again, the video is back', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor, false);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const patientPage = await e2e.guestArrives(consultId, 'patient', 'Amira Haddad');
    await clickButton(doctorPage, 'Admit Amira Haddad');
    await patientPage.waitForSelector('main[data-phase="in-call"]');
    await videoFlows(doctorPage, 'patient', 'before audio only, the doctor');
    await videoFlows(patientPage, 'doctor', 'before audio only, the patient');

    await flipAudioOnly(patientPage);
    await doctorPage.waitForFunction(`document.querySelector('.tiles .tile[data-role="patient"] .tile-notice')?.textContent === 'Audio only'`, { timeout: 10_000 });
    assert.equal(await doctorPage.$('.tiles .tile[data-role="patient"] video'), null, 'no picture of her on the doctor’s page');
    const doctorCaption = await doctorPage.$eval('.tiles .tile[data-role="patient"] .tile-caption', (caption) => caption.textContent ?? '');
    assert.ok(!doctorCaption.includes('Camera off'), `her choice, not "camera off": ${doctorCaption}`);
    await patientPage.waitForFunction(`document.querySelector('.tile-self .tile-notice')?.textContent === 'Audio only'`, { timeout: 10_000 });
    assert.equal(await noticeOn(patientPage, 'doctor'), 'You chose audio only');
    const camera = await patientPage.$('nav.controls button[aria-label="Start video (audio only is on)"]');
    assert.ok(await camera?.evaluate((button) => button.disabled), 'her camera button waits for audio only to be turned off');

    await receivesNoVideo(doctorPage, 'with the patient on audio only, the doctor');
    await receivesNoVideo(patientPage, 'on audio only, the patient');
    await audioFlows(doctorPage, 'patient', 'with the patient on audio only, the doctor');
    await audioFlows(patientPage, 'doctor', 'on audio only, the patient');

    await flipAudioOnly(patientPage);
    await doctorPage.waitForFunction(`!document.querySelector('.tiles .tile[data-role="patient"] .tile-notice')`, { timeout: 10_000 });
    await videoFlows(doctorPage, 'patient', 'after audio only, the doctor', 15_000);
    await videoFlows(patientPage, 'doctor', 'after audio only, the patient', 15_000);
    assert.equal(await patientPage.$('.tile-self .tile-notice'), null, 'her own tile no longer says audio only');
  });
});
