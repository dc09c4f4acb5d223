// One link is one person, as a patient meets it: a name pasted with an
// invisible text-direction character is caught as it is typed, and the same
// link opened in a second window waits, says why, and goes on by itself
// once the first window closes.
import assert from 'node:assert/strict';
import { createConsult, createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { bodyText, clickButton, fillField, tickCheckbox } from '../helpers/pageActions';
import { screenshotPath } from '../helpers/scratchFiles';

describe('one link, one person, in Chromium', function () {
  this.timeout(90_000);
  const e2e = E2eSession.inSuite();

  it('catches an invisible character in the name, and lets a second window wait behind the first', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const { token } = await createInviteToken(e2e.server, consultId, 'patient');

    const first = await e2e.newPage('patient, first window');
    await first.goto(e2e.url(`/join#${token}`));
    await fillField(first, 'Your name as the others will see it', 'Amira \u202eHaddad');
    await tickCheckbox(first, 'I have read this and want to join');
    await first.waitForSelector('::-p-text(invisible characters)');
    const nameField = await first.waitForSelector('::-p-aria(Your name as the others will see it[role="textbox"])');
    assert.equal(await nameField?.evaluate((input) => input.getAttribute('aria-invalid')), 'true');
    assert.equal(await first.$eval('::-p-aria(Join[role="button"])', (button) => (button as HTMLButtonElement).disabled), true);
    await first.screenshot({ path: screenshotPath('patient-name-invisible-character.png'), fullPage: true });
    await nameField?.click({ count: 3 });
    await nameField?.type('Amira Haddad');
    await clickButton(first, 'Join');
    await first.waitForSelector('main[data-phase="waiting"]');

    const second = await e2e.newPage('patient, second window');
    await second.goto(e2e.url(`/join#${token}`));
    await fillField(second, 'Your name as the others will see it', 'Amira Haddad');
    await tickCheckbox(second, 'I have read this and want to join');
    await clickButton(second, 'Join');
    await second.waitForSelector('[data-testid="link-in-use"]');
    assert.match(await bodyText(second), /already open in another window/);
    await second.screenshot({ path: screenshotPath('patient-link-in-use.png'), fullPage: true });
    const waitingNames = () => doctorPage.$$eval('.waiting-list li', (items) => items.map((item) => item.textContent ?? ''));
    assert.equal((await waitingNames()).length, 1, 'the doctor sees one person waiting');

    await first.close({ runBeforeUnload: true });
    await second.waitForSelector('main[data-phase="waiting"]', { timeout: 15_000 });
    assert.equal(await second.$('[data-testid="link-in-use"]'), null, 'the notice is gone');
    await doctorPage.waitForFunction(() => document.querySelectorAll('.waiting-list li').length === 1);
    assert.equal((await waitingNames()).length, 1);
  });
});
