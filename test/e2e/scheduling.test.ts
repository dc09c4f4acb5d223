// Scheduling a consult from the dashboard, in Chromium: the doctor's own
// title and the words the patient will read, the patient's time zone found by
// typing a city, the interpretation pair following the patient's language;
// after saving, the form is empty again and says what was scheduled.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { createDoctor } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton, fillField, tickCheckbox } from '../helpers/pageActions';

/** Types into the time zone field (a combobox: the list filters as one types), replacing what is there. */
async function typeZone(page: Page, zone: string): Promise<void> {
  const field = await page.waitForSelector('::-p-aria(Patient\'s time zone[role="combobox"])');
  await field!.click({ count: 3 });
  await field!.type(zone);
}

/** The value of the field labelled `label`. */
function valueOf(page: Page, label: string): Promise<string> {
  return page.$eval(`::-p-aria(${label})`, (field) => (field as HTMLInputElement | HTMLSelectElement).value);
}

describe('scheduling a consult in Chromium', function () {
  this.timeout(60_000);
  const e2e = E2eSession.inSuite();

  it('schedules with a description for the patient, a searched time zone and a pair from her language, then starts afresh', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    const page = await e2e.newPage('dashboard');
    await page.emulateTimezone('Europe/Berlin');
    await page.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: new URL(e2e.url('')).hostname, path: '/' });
    await page.goto(e2e.url('/dashboard'));

    await fillField(page, 'Title', 'Breast cancer: second opinion on the treatment plan');
    await fillField(page, 'What the patient reads about this consult (optional)', 'مراجعة خطة علاجك');
    // datetime-local takes its value as a person's picker would leave it.
    await page.$eval('::-p-aria(Date and time)', (input) => {
      // React listens to the value as a picker sets it: through the prototype's setter, then an input event.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the setter is called on the input itself
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      setValue?.call(input, '2030-03-04T10:30');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await fillField(page, 'Patient\'s name', 'Amira Haddad');
    await (await page.waitForSelector('::-p-aria(Patient\'s language)'))!.select('ar');

    await typeZone(page, 'Nowhere/Land');
    await page.waitForSelector('::-p-text(Choose a time zone from the list)');
    assert.equal(await page.$eval('::-p-aria(Patient\'s time zone)', (input) => input.getAttribute('aria-invalid')), 'true');
    await typeZone(page, 'Asia/Amman');
    assert.equal(await page.$('::-p-text(Choose a time zone from the list)'), null, 'a zone from the list is accepted');
    const offered = await page.$$eval('datalist option', (options) => options.map((option) => option.value));
    assert.equal(new Set(offered).size, offered.length, 'each zone is offered once');

    await tickCheckbox(page, 'An interpreter is needed');
    assert.equal(await valueOf(page, 'Interpret from'), 'ar', 'the pair starts from the patient’s language');
    assert.equal(await valueOf(page, 'Interpret into'), 'en', '…into the doctor’s');
    await (await page.waitForSelector('::-p-aria(Patient\'s language)'))!.select('fr');
    assert.equal(await valueOf(page, 'Interpret from'), 'fr', 'and follows it until the doctor sets the pair');
    await (await page.waitForSelector('::-p-aria(Patient\'s language)'))!.select('ar');

    await clickButton(page, 'Schedule consult');
    const status = await page.waitForSelector('::-p-text(Scheduled: Breast cancer)');
    assert.match(await status!.evaluate((element) => element.textContent ?? ''), /Scheduled: Breast cancer: second opinion on the treatment plan, .*2030.*, with Amira Haddad\./);
    assert.equal(await valueOf(page, 'Title'), '', 'the form is empty again');
    assert.equal(await valueOf(page, 'Patient\'s name'), '');

    const [consult] = e2e.server.consults.listForDoctor(doctor.id);
    assert.ok(consult);
    assert.equal(consult.patientDescription, 'مراجعة خطة علاجك');
    assert.equal(consult.patientTimeZone, 'Asia/Amman');
    assert.deepEqual(consult.interpretation, { from: 'ar', to: 'en' });
    assert.equal(new Date(consult.scheduledAt).toISOString(), '2030-03-04T09:30:00.000Z', '10:30 in Berlin');
  });
});
