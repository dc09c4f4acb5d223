// The patient's link page as she meets it on a phone (390×844, touch, a
// mobile browser) and on a laptop (1366×768): in the language her doctor
// recorded (Arabic, right to left) though her browser says English, her name
// already there, the description the doctor wrote for her and never his own
// title, a large consent control, and Join in the first screen, saying what
// is missing while it cannot be pressed. A reload keeps what she did; her
// own choice of language wins over the recorded one.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import type { ConsultKind } from '../../shared/api';
import { createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { screenshotPath } from '../helpers/scratchFiles';

const phone = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const laptop = { width: 1366, height: 768 };
const mobileAgent = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const title = 'Second opinion: breast cancer treatment plan';
const description = 'مراجعة خطة علاجك مع الدكتور فيبر، مع مترجمة طبية.';

interface Box {
  top: number;
  bottom: number;
  height: number;
  width: number;
}

/** Where an element sits in the viewport, and how big it is. */
function boxOf(page: Page, selector: string): Promise<Box> {
  return page.$eval(selector, (element) => {
    const rect = element.getBoundingClientRect();
    return { top: rect.top, bottom: rect.bottom, height: rect.height, width: rect.width };
  });
}

describe('the patient’s link page on a phone and a laptop, in Chromium', function () {
  this.timeout(90_000);
  const e2e = E2eSession.inSuite();

  /** Her link to a call in an hour, or (`records`) to a review of her records, which has no call. */
  async function patientLink(kind: ConsultKind = 'call'): Promise<string> {
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    const consult = e2e.server.consults.create(doctor.id, {
      kind,
      title,
      patientDescription: description,
      scheduledAt: new Date(Date.now() + 60 * 60 * 1000).toISOString(),
      patientName: 'Amira Haddad',
      patientLanguage: 'ar',
      interpretation: { from: 'ar', to: 'de' },
      doctorTimeZone: 'Europe/Berlin',
      patientTimeZone: 'Asia/Amman',
    });
    const { token } = await createInviteToken(e2e.server, consult.id, 'patient');
    return e2e.url(`/join#${token}`);
  }

  async function opens(url: string, viewport: typeof phone | typeof laptop): Promise<Page> {
    const page = await e2e.newPage('patient');
    await page.evaluateOnNewDocument(`Object.defineProperty(navigator, 'languages', { get: () => ['en-GB', 'en'] });`);
    if ('isMobile' in viewport) await page.setUserAgent(mobileAgent);
    await page.setViewport(viewport);
    await page.goto(url);
    return page;
  }

  it('fits a phone: Arabic as recorded, her name, the doctor’s words for her, consent and Join in the first screen', async () => {
    const page = await opens(await patientLink(), phone);
    await page.waitForFunction(`document.documentElement.dir === 'rtl' && document.body.innerText.includes(${JSON.stringify(description)})`);
    await page.waitForFunction(`document.querySelector('.network-check')?.dataset.verdict !== 'checking'`, { timeout: 30_000 });
    assert.equal(await page.evaluate('document.documentElement.lang'), 'ar');
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(!text.includes(title), 'the doctor’s own title is not shown to the patient');
    const name = await page.waitForSelector('::-p-aria(اسمك كما سيظهر للآخرين[role="textbox"])');
    assert.equal(await name?.evaluate((input) => (input as HTMLInputElement).value), 'Amira Haddad', 'the name the doctor entered, ready to correct');

    const join = await boxOf(page, '.join-button');
    const viewportHeight = await page.evaluate(() => window.innerHeight);
    assert.ok(join.bottom <= viewportHeight, `Join ends at ${join.bottom} px, inside the first screen (${viewportHeight} px)`);
    assert.ok(join.height >= 44, `Join is ${join.height} px tall`);
    const consent = await boxOf(page, '.privacy-notice .checkbox');
    assert.ok(consent.height >= 44 && consent.bottom <= viewportHeight, `the consent control: ${JSON.stringify(consent)}`);
    assert.equal(await page.$eval('.join-button', (button) => (button as HTMLButtonElement).disabled), true);
    const hintOf = (button: Element) => document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent ?? '';
    // On a slow machine the camera may still be starting: that is said first, and is not what this checks.
    await page.waitForFunction(
      (waiting: string) => {
        const button = document.querySelector('.join-button');
        return !(document.getElementById(button?.getAttribute('aria-describedby') ?? '')?.textContent ?? '').startsWith(waiting);
      },
      { timeout: 20_000 },
      'بانتظار',
    );
    const hint = await page.$eval('.join-button', hintOf);
    assert.equal(hint, 'للانضمام، ضع علامة في المربع للموافقة على إشعار الخصوصية.', 'a disabled Join says what is missing');
    await page.screenshot({ path: screenshotPath('join-phone-ar.png') });

    await page.tap('.privacy-notice .checkbox');
    await page.waitForFunction(`!document.querySelector('.join-button').disabled`);
    await name!.click({ count: 3 });
    await name!.type('أميرة حداد');
    await page.reload();
    await page.waitForFunction(`document.documentElement.dir === 'rtl'`);
    const again = await page.waitForSelector('::-p-aria(اسمك كما سيظهر للآخرين[role="textbox"])');
    await page.waitForFunction((input) => (input as HTMLInputElement).value === 'أميرة حداد', {}, again);
    assert.equal(await page.$eval('.privacy-notice input', (box) => box.checked), true, 'a reload keeps the consent');

    // Her own choice wins over the recorded language, and is remembered.
    const language = await page.waitForSelector('select');
    await language!.select('en');
    await page.waitForFunction(`document.documentElement.dir === 'ltr'`);
    await page.reload();
    await page.waitForSelector('::-p-aria(Your name as the others will see it[role="textbox"])');
    assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
    await page.screenshot({ path: screenshotPath('join-phone-en.png') });
  });

  /** Holds back what the link is for, as a slow mobile link does, until the returned function is called. */
  async function holdInviteDetails(page: Page): Promise<() => void> {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/invite') void held.then(() => request.continue());
      else void request.continue();
    });
    return release;
  }

  it('shows only that it is loading until it knows what the link is for: no join page first, no field, no camera', async () => {
    const link = await patientLink('records');
    const page = await e2e.newPage('patient');
    await page.evaluateOnNewDocument(`{
      window.cameraAsked = 0;
      const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) => { window.cameraAsked += 1; return ask(constraints); };
    }`);
    const release = await holdInviteDetails(page);
    await page.goto(link);
    await page.waitForSelector('main[aria-busy="true"] [role="status"]');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await page.$('input, textarea, .join-button'), null, 'nothing to type into or press yet');
    await page.screenshot({ path: screenshotPath('join-loading.png') });
    release();
    await page.waitForSelector('main.link-records');
    await page.waitForFunction(`document.documentElement.dir === 'rtl'`);
    assert.equal(await page.evaluate('window.cameraAsked'), 0, 'a records review never asks for the camera');
  });

  it('shows the join page without the link’s details when they do not come', async () => {
    const page = await e2e.newPage('patient');
    // Never released: a request lost on a dead mobile link.
    await holdInviteDetails(page);
    await page.goto(await patientLink());
    await page.waitForSelector('main[aria-busy="true"] [role="status"]');
    await page.waitForSelector('::-p-aria(Your name as the others will see it[role="textbox"])', { timeout: 30_000 });
    assert.ok(await page.$('.join-button'), 'she can still join; joining says what is wrong with the link, if anything');
  });

  it('fits a laptop screen too, Join in view without scrolling', async () => {
    const page = await opens(await patientLink(), laptop);
    await page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(description)})`);
    const join = await boxOf(page, '.join-button');
    await page.screenshot({ path: screenshotPath('join-laptop-ar.png') });
    assert.ok(join.bottom <= laptop.height, `Join ends at ${join.bottom} px`);
  });
});
