// Every screen, checked by axe-core in Chromium (no serious or critical
// violations), and a whole consult done with the keyboard alone, with the
// focus visible at every step.
import assert from 'node:assert/strict';
import type { ElementHandle, Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { seriousAccessibilityProblems } from '../helpers/axe';
import { createConsult, createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton } from '../helpers/pageActions';
import { numberedPdf } from '../helpers/pdfFiles';
import { scratchFile } from '../helpers/scratchFiles';

async function assertAccessible(page: Page, screen: string): Promise<void> {
  const problems = await seriousAccessibilityProblems(page);
  assert.deepEqual(problems, [], `${screen}: ${JSON.stringify(problems, null, 2)}`);
}

/** What has the keyboard focus now, and whether it shows (an outline a sighted keyboard user can see). */
function focused(page: Page): Promise<{ name: string; tag: string; visible: boolean }> {
  return page.evaluate(`
    (() => {
      const element = document.activeElement;
      if (!element || element === document.body) return { name: '', tag: 'body', visible: false };
      const style = getComputedStyle(element);
      const visible = element.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const label = element.labels && element.labels[0] ? element.labels[0].innerText : '';
      return { name: (element.getAttribute('aria-label') || label || element.innerText || element.value || '').trim(), tag: element.tagName.toLowerCase(), visible };
    })()
  `) as Promise<{ name: string; tag: string; visible: boolean }>;
}

/** Presses Tab until the focus is on something named `name` (at most `limit` presses), checking the focus shows each time. */
async function tabTo(page: Page, name: string | RegExp, limit = 60): Promise<void> {
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.tag !== 'body') assert.ok(now.visible, `the focus on "${now.name}" (${now.tag}) is not visible`);
    if (typeof name === 'string' ? now.name === name : name.test(now.name)) return;
  }
  assert.fail(`Tab never reached "${String(name)}"`);
}

describe('accessibility in Chromium', function () {
  this.timeout(180_000);
  const e2e = E2eSession.inSuite();

  it('has no serious or critical axe violations on any screen', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor);

    const login = await e2e.newPage('login');
    await login.goto(e2e.url('/login'));
    await login.waitForSelector('form');
    await assertAccessible(login, 'sign-in');
    // The check itself can fail: an image without a text alternative is caught.
    await login.evaluate(`document.body.append(Object.assign(document.createElement('img'), { src: 'data:,' }))`);
    assert.deepEqual((await seriousAccessibilityProblems(login)).map((problem) => problem.id), ['image-alt']);

    const dashboard = await e2e.newPage('dashboard');
    await dashboard.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: '127.0.0.1', path: '/' });
    await dashboard.goto(e2e.url('/dashboard'));
    await dashboard.waitForSelector('.consult-item');
    await clickButton(dashboard, 'Invite links');
    await clickButton(dashboard, 'Documents');
    await dashboard.waitForSelector('.documents');
    await assertAccessible(dashboard, 'dashboard');
    await clickButton(dashboard, 'Create a link for the patient');
    await dashboard.waitForSelector('.invite-link');
    await clickButton(dashboard, 'Text for SMS or a messenger');
    await clickButton(dashboard, 'Withdraw this link for the patient');
    await dashboard.waitForSelector('[role="alertdialog"]');
    await assertAccessible(dashboard, 'dashboard, a link with its message and the question before withdrawing it');

    const prejoin = await e2e.guestOpensLink(consultId, 'patient');
    await prejoin.waitForSelector('.prejoin video');
    await prejoin.waitForSelector('.consult-summary');
    await assertAccessible(prejoin, 'pre-join check');

    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const patient = await e2e.guestJoinsFrom(prejoin, 'Amira Haddad');
    await patient.waitForSelector('.waiting .documents');
    await assertAccessible(patient, 'waiting room');
    await doctorPage.waitForSelector('.waiting-list li');
    await assertAccessible(doctorPage, 'call, with someone waiting');

    await clickButton(doctorPage, 'Admit Amira Haddad');
    await patient.waitForSelector('main[data-phase="in-call"]');
    await doctorPage.waitForSelector('.tiles .tile');
    await assertAccessible(doctorPage, 'call');

    await clickButton(doctorPage, 'Documents');
    await assertAccessible(doctorPage, 'call, documents open');
    const pdf = scratchFile('Report.pdf', await numberedPdf(3));
    const input = (await doctorPage.waitForSelector('.upload input[type="file"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(pdf);
    await clickButton(doctorPage, 'Show Report.pdf to everyone');
    for (const page of [doctorPage, patient]) {
      await page.waitForSelector('.document-canvas[data-rendered-page="1"]');
      await assertAccessible(page, page === doctorPage ? 'document viewer, presenting' : 'document viewer, following');
    }

    await clickButton(doctorPage, 'End consult');
    const endDialog = await doctorPage.waitForSelector('dialog.confirm-dialog[open]');
    await assertAccessible(doctorPage, 'the question before ending the consult');
    await (await endDialog!.waitForSelector('::-p-aria(End consult[role="button"])'))!.click();
    await patient.waitForSelector('.what-next');
    await assertAccessible(patient, 'after the consult: what happens next');
  });

  it('lets a patient join and a doctor admit them and show a document with the keyboard alone', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Lena Vogel');
    const consultId = createConsult(e2e.server, doctor, false);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const { token } = await createInviteToken(e2e.server, consultId, 'patient');
    const patient = await e2e.newPage('patient');
    await patient.goto(e2e.url(`/join#${token}`));
    await patient.waitForSelector('.prejoin video');

    await tabTo(patient, 'Your name as the others will see it');
    await patient.keyboard.type('Amira Haddad');
    await tabTo(patient, 'I have read this and want to join');
    await patient.keyboard.press('Space');
    await tabTo(patient, 'Join');
    await patient.keyboard.press('Enter');
    await patient.waitForSelector('main[data-phase="waiting"]');

    await doctorPage.waitForSelector('.waiting-list li');
    await doctorPage.evaluate('document.activeElement && document.activeElement.blur()');
    await tabTo(doctorPage, 'Admit Amira Haddad');
    await doctorPage.keyboard.press('Enter');
    await patient.waitForSelector('main[data-phase="in-call"]');
    // Being let in is announced to screen readers.
    await patient.waitForFunction(`document.querySelector('[data-testid="announcer"]').innerText.includes('You are in the consult.')`);

    const pdf = scratchFile('Scan report.pdf', await numberedPdf(4));
    const input = (await doctorPage.waitForSelector('.upload input[type="file"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(pdf);
    await doctorPage.waitForSelector('.document-list ::-p-text(Scan report.pdf)');
    // The documents open from the control bar; the focus goes into them, and Escape brings it back.
    await tabTo(doctorPage, 'Documents');
    await doctorPage.keyboard.press('Enter');
    await doctorPage.waitForSelector('.drawer-documents:not([hidden])');
    await doctorPage.keyboard.press('Escape');
    await doctorPage.waitForSelector('.drawer-documents', { hidden: true });
    assert.equal((await focused(doctorPage)).name, 'Documents', 'the focus is back on the button that opened the documents');
    await doctorPage.keyboard.press('Enter');
    await tabTo(doctorPage, 'Show Scan report.pdf to everyone');
    await doctorPage.keyboard.press('Enter');
    await doctorPage.waitForSelector('.document-canvas[data-rendered-page="1"]');
    await tabTo(doctorPage, /^Scan report\.pdf\. Use Page Up and Page Down/);
    await doctorPage.keyboard.press('PageDown');
    await doctorPage.keyboard.press('PageDown');
    await patient.waitForSelector('.document-canvas[data-rendered-page="3"]');
    await patient.waitForFunction(`document.querySelector('[data-testid="announcer"]').innerText.includes('Dr. Lena Vogel is showing a document.')`);
  });
});
