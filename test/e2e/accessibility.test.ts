// Every screen, checked by axe-core in Chromium (no serious or critical
// violations): in English on a laptop, and in Arabic (right to left) on a
// phone; and a whole consult done with the keyboard alone, with the focus
// visible at every step. Screenshots of the screens checked go to
// $E2E_SCREENSHOTS, to be looked at.
import assert from 'node:assert/strict';
import type { ElementHandle, HTTPRequest, Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { seriousAccessibilityProblems } from '../helpers/axe';
import { createConsult, createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { phoneIn, translator } from '../helpers/devices';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton, fillField, tickCheckbox } from '../helpers/pageActions';
import { numberedPdf } from '../helpers/pdfFiles';
import { scratchFile, screenshotPath } from '../helpers/scratchFiles';

/** No serious or critical axe finding on `page`; with `shot`, a screenshot of it as checked. */
async function assertAccessible(page: Page, screen: string, shot?: string): Promise<void> {
  if (shot) await page.screenshot({ path: screenshotPath(`a11y-${shot}.png`) });
  const problems = await seriousAccessibilityProblems(page);
  assert.deepEqual(problems, [], `${screen}: ${JSON.stringify(problems, null, 2)}`);
}

/** Opens a call drawer from the control bar, and waits until it shows. */
async function openDrawer(page: Page, button: string, drawer: 'chat' | 'documents' | 'people' | 'settings'): Promise<void> {
  await clickButton(page, button);
  await page.waitForSelector(`.drawer-${drawer}:not([hidden])`);
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
    await clickButton(dashboard, 'Keep it');
    const shortLink = await dashboard.$eval('.invite-link[data-role="patient"] input', (input) => input.value);

    // The patient opens the short link: "opening" while its code is exchanged (held back here to look at it), then the join page.
    const prejoin = await e2e.newPage('patient');
    let releaseResolve: (() => void) | undefined;
    await prejoin.setRequestInterception(true);
    prejoin.on('request', (request: HTTPRequest) => {
      if (!releaseResolve && request.url().endsWith('/invite/resolve')) releaseResolve = () => void request.continue();
      else void request.continue();
    });
    await prejoin.goto(shortLink);
    await prejoin.waitForSelector('main[aria-busy="true"] [role="status"]');
    await assertAccessible(prejoin, 'short link, opening', 'en-short-link-opening');
    releaseResolve!();
    await prejoin.setRequestInterception(false);
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

    // The drawers, each open over or beside the video; a chat message, unread on the other side.
    await openDrawer(doctorPage, 'Chat', 'chat');
    await fillField(doctorPage, 'Message', 'Welcome, Ms Haddad.');
    await clickButton(doctorPage, 'Send');
    await doctorPage.waitForFunction(`document.querySelector('.drawer-chat').innerText.includes('Welcome, Ms Haddad.')`);
    await assertAccessible(doctorPage, 'call, chat open with a message', 'en-doctor-chat');
    await patient.waitForSelector('nav.controls .control-badge');
    await assertAccessible(patient, 'call, the patient, an unread message', 'en-patient-call-unread');
    await openDrawer(doctorPage, 'People', 'people');
    await doctorPage.waitForSelector('.drawer-people .roster li');
    await assertAccessible(doctorPage, 'call, people open', 'en-doctor-people');
    await openDrawer(doctorPage, 'Settings', 'settings');
    await doctorPage.waitForSelector('.drawer-settings select');
    await assertAccessible(doctorPage, 'call, settings open', 'en-doctor-settings');
    await doctorPage.keyboard.press('Escape');
    await doctorPage.waitForSelector('.drawer-settings', { hidden: true });
    await clickButton(patient, 'Leave');
    const leaveDialog = await patient.waitForSelector('dialog.confirm-dialog[open]');
    await assertAccessible(patient, 'the question before leaving the consult', 'en-patient-leave-dialog');
    await (await leaveDialog!.waitForSelector('::-p-aria(Stay[role="button"])'))!.click();
    await patient.waitForSelector('dialog.confirm-dialog', { hidden: true });

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

    // Their links, opened after the call: the written side only (the case, the opinion, the records).
    const records = await e2e.guestOpensLink(consultId, 'patient');
    await records.waitForSelector('main.link-records .documents');
    await (await records.waitForSelector('.link-records .intake summary'))!.click();
    await assertAccessible(records, 'after the call, the patient’s link: her case and records', 'en-patient-records-page');
    const translating = await e2e.guestOpensLink(consultId, 'interpreter');
    await translating.waitForSelector('main.link-records .intake');
    await assertAccessible(translating, 'after the call, the interpreter’s link', 'en-interpreter-records-page');

    // A short link that is not (or no longer) one.
    const wrongLink = await e2e.newPage('patient, a mistyped link');
    await wrongLink.goto(e2e.url('/j#0000000000000Z'));
    await wrongLink.waitForSelector('main.notice [role="alert"]');
    await assertAccessible(wrongLink, 'short link, not valid', 'en-short-link-invalid');
  });

  it('has none on a phone in Arabic either: the join page, the waiting room, the call and its drawers', async () => {
    const t = await translator('ar');
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    const consultId = createConsult(e2e.server, doctor, true, 'ar');
    const name = 'أميرة حداد';

    // The doctor on a phone, who switches the page to Arabic in the call's settings.
    const doctorPage = await e2e.newPage('doctor');
    await phoneIn(doctorPage, 'en');
    await doctorPage.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: '127.0.0.1', path: '/' });
    await doctorPage.goto(e2e.url(`/c/${consultId}`));
    await tickCheckbox(doctorPage, 'I have read this and want to join');
    await clickButton(doctorPage, 'Join');
    await doctorPage.waitForSelector('main[data-phase="in-call"]');
    await openDrawer(doctorPage, 'Settings', 'settings');
    await (await doctorPage.waitForSelector('::-p-aria(Language of this page)'))!.select('ar');
    await doctorPage.waitForFunction(`document.documentElement.dir === 'rtl'`);
    await assertAccessible(doctorPage, 'Arabic phone, the doctor’s settings', 'ar-phone-doctor-settings');
    await doctorPage.keyboard.press('Escape');

    const { token } = await createInviteToken(e2e.server, consultId, 'patient');
    const patient = await e2e.newPage('patient');
    await phoneIn(patient, 'ar');
    await patient.goto(e2e.url(`/join#${token}`));
    await patient.waitForSelector('.prejoin video');
    await patient.waitForSelector('.consult-summary');
    assert.equal(await patient.evaluate('document.documentElement.dir'), 'rtl');
    await assertAccessible(patient, 'Arabic phone, the join page', 'ar-phone-patient-join');
    await e2e.guestJoinsFrom(patient, name, { name: t('prejoin.displayName'), consent: t('prejoin.consent'), join: t('prejoin.join') });
    await patient.waitForSelector('.waiting .documents');
    await assertAccessible(patient, 'Arabic phone, the waiting room', 'ar-phone-patient-waiting');

    await doctorPage.waitForSelector('.arrival-notice li');
    await openDrawer(doctorPage, t('callScreen.people'), 'people');
    await doctorPage.waitForSelector('.drawer-people .waiting-list li');
    await assertAccessible(doctorPage, 'Arabic phone, the doctor’s people, someone waiting', 'ar-phone-doctor-people-waiting');
    await clickButton(doctorPage, t('waitingRoom.admitNamed', { name }));
    await patient.waitForSelector('main[data-phase="in-call"]');
    await doctorPage.waitForSelector('.drawer-people .roster li');
    await assertAccessible(doctorPage, 'Arabic phone, the doctor’s people, in the call', 'ar-phone-doctor-people');

    await patient.waitForSelector('.tiles .tile');
    await assertAccessible(patient, 'Arabic phone, the call', 'ar-phone-patient-call');
    await openDrawer(patient, t('callScreen.chat'), 'chat');
    await fillField(patient, t('chat.message'), 'شكرًا، أسمعك جيدًا.');
    await clickButton(patient, t('chat.send'));
    await patient.waitForFunction(`document.querySelector('.drawer-chat').innerText.includes('شكرًا')`);
    await assertAccessible(patient, 'Arabic phone, the call with the chat open', 'ar-phone-patient-chat');
    await openDrawer(patient, t('callScreen.documents'), 'documents');
    await assertAccessible(patient, 'Arabic phone, the call with the documents open', 'ar-phone-patient-documents');
    await openDrawer(patient, t('callScreen.settings'), 'settings');
    await assertAccessible(patient, 'Arabic phone, the call with the settings open', 'ar-phone-patient-settings');
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
