// The short link in Chromium, from the doctor's dashboard to the patient's
// phone: the doctor creates it, reads the message in the patient's language
// (Arabic, right to left) ready for SMS, the patient opens /j#<code> and
// lands on her join page (a reload keeps her there), and a withdrawal asks
// first, clears the link from view and closes the door.
import assert from 'node:assert/strict';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { bodyText, clickButton } from '../helpers/pageActions';
import { screenshotPath } from '../helpers/scratchFiles';

describe('short invite links in Chromium', function () {
  this.timeout(90_000);
  const e2e = E2eSession.inSuite();

  it('are created, sent in the patient’s language, opened and withdrawn', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    createConsult(e2e.server, doctor, true, 'ar');
    const dashboard = await e2e.newPage('dashboard');
    await dashboard.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: new URL(e2e.url('')).hostname, path: '/' });
    await dashboard.goto(e2e.url('/dashboard'));
    await dashboard.waitForSelector('.consult-item');
    await clickButton(dashboard, 'Invite links');
    await dashboard.waitForFunction(`document.body.innerText.includes('No link yet')`);
    await clickButton(dashboard, 'Create a link for the patient');

    const field = await dashboard.waitForSelector('.invite-link[data-role="patient"] input');
    assert.ok(field);
    const url = await field.evaluate((input) => input.value);
    assert.match(url, new RegExp(`^${e2e.url('')}/j#[0-9A-HJKMNP-TV-Z]{14}$`));
    assert.ok(url.length <= e2e.url('').length + 18, `short enough for an SMS: ${url}`);
    assert.equal(await field.evaluate((input) => input === document.activeElement), true, 'the new link has the focus, ready to copy');

    await clickButton(dashboard, 'Text for SMS or a messenger');
    const message = await dashboard.waitForSelector('.invite-message textarea');
    const written = await message!.evaluate((area) => ({ text: area.value, lang: area.lang, dir: area.dir }));
    assert.equal(written.lang, 'ar');
    assert.equal(written.dir, 'rtl');
    assert.ok(written.text.includes(url), 'the message carries the link');
    assert.match(written.text, /مرحبًا، هذا رابط استشارتك بالفيديو مع Dr\. Jonas Weber/);
    const mailto = await dashboard.$eval('a[href^="mailto:"]', (anchor) => anchor.getAttribute('href') ?? '');
    const mail = new URLSearchParams(mailto.replace(/^mailto:\?/, ''));
    assert.equal(mail.get('subject'), 'استشارتك بالفيديو مع Dr. Jonas Weber');
    assert.ok(mail.get('body')?.includes(url));
    await dashboard.screenshot({ path: screenshotPath('short-link-dashboard.png'), fullPage: true });

    // Her page opens in Arabic, the language her doctor recorded for her.
    const patient = await e2e.newPage('patient');
    await patient.goto(url);
    await patient.waitForSelector('::-p-aria(اسمك كما سيظهر للآخرين[role="textbox"])');
    assert.match(new URL(patient.url()).hash, /^#[\w-]+\.[\w-]+\.[\w-]+$/, 'the address now holds the signed token');
    assert.equal(new URL(patient.url()).pathname, '/join');
    await patient.reload();
    await patient.waitForSelector('::-p-aria(اسمك كما سيظهر للآخرين[role="textbox"])');

    await clickButton(dashboard, 'Withdraw this link for the patient');
    const confirm = await dashboard.waitForSelector('[role="alertdialog"]');
    assert.match(await confirm!.evaluate((element) => element.textContent ?? ''), /Withdraw this link\?/);
    await clickButton(dashboard, 'Keep it');
    assert.equal(await dashboard.$('[role="alertdialog"]'), null, 'keeping it changes nothing');
    await clickButton(dashboard, 'Withdraw this link for the patient');
    await clickButton(dashboard, 'Withdraw the link');
    await dashboard.waitForFunction(`document.body.innerText.includes('1 withdrawn or expired link is no longer shown.')`);
    assert.equal(await dashboard.$('.invite-link'), null, 'the withdrawn link left the list');

    const late = await e2e.newPage('patient, after the withdrawal');
    await late.goto(url);
    await late.waitForSelector('[role="alert"]');
    assert.match(await bodyText(late), /This invite link has been withdrawn/);
  });
});
