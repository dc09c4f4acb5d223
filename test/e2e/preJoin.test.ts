// The check before joining, in Chromium with fake devices: the camera preview
// plays, cameras and microphones can be chosen, the microphone meter moves,
// and joining is possible only with a name and consent.
import assert from 'node:assert/strict';
import { createConsult, createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { fillField, tickCheckbox } from '../helpers/pageActions';

describe('pre-join check in Chromium', function () {
  this.timeout(60_000);
  const e2e = E2eSession.inSuite();

  it('previews the camera, offers the devices, shows the microphone level, and gates joining', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor);
    const { token } = await createInviteToken(e2e.server, consultId, 'patient');
    const page = await e2e.newPage('patient');
    await page.goto(e2e.url(`/join#${token}`));

    await page.waitForFunction(`(document.querySelector('video[aria-label="Your camera preview"]')?.videoWidth ?? 0) > 0`);
    const cameraOptions = await page.$$eval('::-p-aria(Camera[role="combobox"]) option', (options) => options.length);
    const microphoneOptions = await page.$$eval('::-p-aria(Microphone[role="combobox"]) option', (options) => options.length);
    assert.ok(cameraOptions >= 1 && microphoneOptions >= 1, `devices offered: ${cameraOptions} cameras, ${microphoneOptions} microphones`);
    // Chromium's fake microphone plays a beep: the meter must move.
    await page.waitForFunction(`Number(document.querySelector('[role="meter"]')?.getAttribute('aria-valuenow')) > 0`);
    assert.ok(await page.$('::-p-aria(Play a test sound[role="button"])'));
    assert.ok(await page.$('::-p-aria(Language of this page[role="combobox"])'));

    const joinDisabled = () => page.$eval('::-p-aria(Join[role="button"])', (button) => (button as HTMLButtonElement).disabled);
    assert.equal(await joinDisabled(), true, 'no name, no consent');
    await fillField(page, 'Your name as the others will see it', 'Amira Haddad');
    assert.equal(await joinDisabled(), true, 'no consent yet');
    await tickCheckbox(page, 'I have read this and want to join');
    assert.equal(await joinDisabled(), false);
  });

  it('offers a way out, not a blank page, when the page cannot be drawn', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor);
    const { token } = await createInviteToken(e2e.server, consultId, 'patient');
    const page = await e2e.newPage('patient');
    // A formatter that throws stands in for any failure while rendering (once, a real Intl refusal).
    await page.evaluateOnNewDocument(() => {
      Date.prototype.toLocaleString = () => {
        throw new TypeError('simulated rendering failure');
      };
    });
    await page.goto(e2e.url(`/join#${token}`));

    const alert = await page.waitForSelector('::-p-aria([role="alert"])');
    assert.match((await alert?.evaluate((element) => element.textContent)) ?? '', /This page could not be shown\. Please reload it/);
    assert.ok(await page.$('::-p-aria(Reload the page[role="button"])'));
  });
});
