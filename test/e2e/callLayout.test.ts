// The call as people see it, on a phone (390×844, touch, a phone's browser)
// and on a laptop (1366×768), in English and in Arabic (right to left): a
// three-way call that is a call screen on every one of them. Measured from
// each page's own geometry: the page does not scroll, the others' video and
// every control are on screen, the controls are a finger's size, and the
// faces stay in view while a document is shown. Screenshots of every screen
// go to $E2E_SCREENSHOTS, to be looked at.
import assert from 'node:assert/strict';
import type { TFunction } from 'i18next';
import type { ElementHandle, Page, Viewport } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { phone, phoneUserAgent, translator } from '../helpers/devices';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton, fillField, tickCheckbox } from '../helpers/pageActions';
import { remoteTileMedia } from '../helpers/pageProbes';
import { numberedPdf } from '../helpers/pdfFiles';
import { scratchFile, screenshotPath } from '../helpers/scratchFiles';

type Size = 'phone' | 'laptop';

const viewports: Record<Size, Viewport> = {
  phone,
  laptop: { width: 1366, height: 768, deviceScaleFactor: 1 },
};
/** The same phone turned on its side. */
const phoneLandscape: Viewport = { width: 844, height: 390, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
/** The smallest phones in use, and a large desktop screen. */
const smallPhone: Viewport = { width: 360, height: 640, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const desktop: Viewport = { width: 1920, height: 1080, deviceScaleFactor: 1 };

/** WCAG 2.5.5 (target size) and the platforms' own guidelines: 44 CSS pixels each way. */
const minimumTarget = 44;

/**
 * The smallest a face may be while a document is shown: 120×90 CSS pixels.
 * In a head-and-shoulders picture the face is about half its height, so it
 * is then at least 45 CSS pixels tall (135 device pixels on this phone):
 * enough to see a smile, a frown or a wince. It is also the smallest common
 * thumbnail of video-call filmstrips. (Before this layout, the faces were
 * 224×126 but below the fold: never seen.)
 */
const minimumFace = { width: 120, height: 90 };

/** Without a document, the others' video fills the call: at least this share of the screen. */
const minimumVideoShare = 0.35;

interface Box {
  name: string;
  left: number;
  top: number;
  width: number;
  height: number;
  inside: boolean;
  /** Nothing covers its middle (no drawer, no self-view, no notice). */
  uncovered: boolean;
}

interface Geometry {
  innerWidth: number;
  innerHeight: number;
  scrollWidth: number;
  scrollHeight: number;
  tiles: Box[];
  controls: Box[];
  viewer: Box | null;
  admit: Box[];
}

/** The page's own measurements (source text: see pageProbes.ts). */
const measure = `
  (() => {
    const inside = (r) => r.left >= -0.5 && r.top >= -0.5 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
    const box = (element, name) => {
      const r = element.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { name, left: r.left, top: r.top, width: r.width, height: r.height, inside: inside(r), uncovered: !!hit && element.contains(hit) };
    };
    const nameOf = (element) => (element.getAttribute('aria-label') || element.innerText || '').trim().replace(/\\s+/g, ' ');
    const viewer = document.querySelector('.viewer-viewport');
    return {
      innerWidth, innerHeight,
      scrollWidth: document.scrollingElement.scrollWidth,
      scrollHeight: document.scrollingElement.scrollHeight,
      tiles: [...document.querySelectorAll('.tiles .tile')].map((tile) => box(tile, tile.dataset.role)),
      controls: [...document.querySelectorAll('nav.controls button')].map((button) => box(button, nameOf(button))),
      viewer: viewer ? box(viewer, 'viewer') : null,
      admit: [...document.querySelectorAll('.arrival-notice button.primary')].map((button) => box(button, nameOf(button))),
    };
  })()
`;

async function geometryOf(page: Page): Promise<Geometry> {
  return (await page.evaluate(measure)) as Geometry;
}

/** What must hold on every call screen, whatever is shown. */
function assertCallScreen(geometry: Geometry, what: string, remoteTiles: number): void {
  assert.ok(geometry.scrollHeight <= geometry.innerHeight, `${what}: the page scrolls (${geometry.scrollHeight} > ${geometry.innerHeight})`);
  assert.ok(geometry.scrollWidth <= geometry.innerWidth, `${what}: the page scrolls sideways (${geometry.scrollWidth} > ${geometry.innerWidth})`);
  assert.equal(geometry.tiles.length, remoteTiles, `${what}: ${remoteTiles} remote tiles`);
  for (const tile of geometry.tiles) {
    assert.ok(tile.inside, `${what}: the ${tile.name}'s tile is off screen: ${JSON.stringify(tile)}`);
    assert.ok(tile.uncovered, `${what}: something covers the ${tile.name}'s tile`);
  }
  assert.ok(geometry.controls.length >= 3, `${what}: the controls are there`);
  for (const control of geometry.controls) {
    assert.ok(control.inside, `${what}: "${control.name}" is off screen: ${JSON.stringify(control)}`);
    assert.ok(control.uncovered, `${what}: something covers "${control.name}"`);
    assert.ok(control.width >= minimumTarget && control.height >= minimumTarget, `${what}: "${control.name}" is ${control.width}×${control.height}`);
  }
}

function assertVideoFills(geometry: Geometry, what: string): void {
  const covered = geometry.tiles.reduce((sum, tile) => sum + tile.width * tile.height, 0);
  const share = covered / (geometry.innerWidth * geometry.innerHeight);
  assert.ok(share >= minimumVideoShare, `${what}: the others' video covers only ${Math.round(share * 100)} % of the screen`);
}

function assertFacesBesideDocument(geometry: Geometry, what: string): void {
  assert.ok(geometry.viewer?.inside, `${what}: the document is not on screen: ${JSON.stringify(geometry.viewer)}`);
  for (const tile of geometry.tiles) {
    assert.ok(tile.width >= minimumFace.width && tile.height >= minimumFace.height, `${what}: the ${tile.name}'s face is ${tile.width}×${tile.height}`);
  }
}

describe('the call screen on a phone and a laptop, in English and Arabic, in Chromium', function () {
  this.timeout(240_000);
  const e2e = E2eSession.inSuite();
  afterEach(() => e2e.closePages());

  /** A page for someone on `size`, its browser asking for `language`. */
  async function personOn(label: string, size: Size, language: string): Promise<Page> {
    const page = await e2e.newPage(label);
    if (size === 'phone') await page.setUserAgent(phoneUserAgent);
    await page.setViewport(viewports[size]);
    await page.evaluateOnNewDocument(`
      Object.defineProperty(navigator, 'languages', { get: () => ['${language}'] });
      Object.defineProperty(navigator, 'language', { get: () => '${language}' });
    `);
    return page;
  }

  async function doctorJoins(page: Page, doctor: DoctorFixture, consultId: string, t: TFunction): Promise<void> {
    await page.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: '127.0.0.1', path: '/' });
    await page.goto(e2e.url(`/c/${consultId}`));
    await tickCheckbox(page, t('prejoin.consent'));
    await clickButton(page, t('prejoin.join'));
    await page.waitForSelector('main[data-phase="in-call"]');
  }

  async function guestWaits(page: Page, consultId: string, role: 'patient' | 'interpreter', name: string, t: TFunction): Promise<void> {
    const { token } = await createInviteToken(e2e.server, consultId, role);
    await page.goto(e2e.url(`/join#${token}`));
    await fillField(page, t('prejoin.displayName'), name);
    await tickCheckbox(page, t('prejoin.consent'));
    await clickButton(page, t('prejoin.join'));
    await page.waitForSelector('main[data-phase="waiting"]');
  }

  /** Until every remote tile shows decoded video (the layout is then as people see it). */
  async function videoShows(page: Page, tiles: number): Promise<void> {
    await page.waitForFunction(`document.querySelectorAll('.tiles .tile').length === ${tiles}`, { timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    while (!(await remoteTileMedia(page)).every((tile) => tile.framesDecoded > 0)) {
      assert.ok(Date.now() < deadline, 'the video never started');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: screenshotPath(`call-layout-${name}.png`) });
  }

  for (const { language, doctorSize, patientSize } of [
    { language: 'en', doctorSize: 'laptop', patientSize: 'phone' },
    { language: 'ar', doctorSize: 'phone', patientSize: 'laptop' },
  ] as const) {
    it(`${language}: doctor on a ${doctorSize}, patient on a ${patientSize}, interpreter on a ${doctorSize}`, async () => {
      const t = await translator(language);
      const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
      const consultId = createConsult(e2e.server, doctor, true, language === 'ar' ? 'ar' : 'en');
      const sizes = { doctor: doctorSize, patient: patientSize, interpreter: doctorSize } as const;

      const doctorPage = await personOn('doctor', doctorSize, language);
      await doctorJoins(doctorPage, doctor, consultId, t);
      assert.equal(await doctorPage.evaluate('document.documentElement.dir'), language === 'ar' ? 'rtl' : 'ltr');
      const patientPage = await personOn('patient', patientSize, language);
      await guestWaits(patientPage, consultId, 'patient', language === 'ar' ? 'أميرة حداد' : 'Amira Haddad', t);
      const interpreterPage = await personOn('interpreter', doctorSize, language);
      await guestWaits(interpreterPage, consultId, 'interpreter', 'Elena Petrova', t);
      const pages = { doctor: doctorPage, patient: patientPage, interpreter: interpreterPage };

      // The doctor sees both arrivals, Admit on screen, without scrolling or opening anything.
      await doctorPage.waitForFunction(`document.querySelectorAll('.arrival-notice li').length === 2`);
      const arrival = await geometryOf(doctorPage);
      assert.equal(arrival.admit.length, 2);
      for (const admit of arrival.admit) {
        assert.ok(admit.inside && admit.uncovered, `the doctor's "${admit.name}" is not on screen: ${JSON.stringify(admit)}`);
        assert.ok(admit.width >= minimumTarget && admit.height >= minimumTarget, `"${admit.name}" is ${admit.width}×${admit.height}`);
      }
      assertCallScreen(arrival, 'the doctor, two people waiting', 0);
      await shot(doctorPage, `${language}-doctor-${doctorSize}-arrivals`);

      // Switched to another language, the notice reads in it (it is kept as who waits, not as words).
      if (language === 'en') {
        await clickButton(doctorPage, t('callScreen.settings'));
        const languageMenu = await doctorPage.waitForSelector(`::-p-aria(${t('prejoin.language')})`);
        await languageMenu!.select('de');
        const german = await translator('de');
        await doctorPage.waitForFunction(
          (expected) => document.querySelector('.arrival-notice')?.textContent?.includes(expected) ?? false,
          {},
          german('waitingRoom.arrived', { name: 'Elena Petrova', role: german('role.interpreter') }),
        );
        await languageMenu!.select('en');
        await doctorPage.keyboard.press('Escape');
        await doctorPage.waitForSelector('.drawer-settings', { hidden: true });
      }

      // Let in the interpreter first: her notice goes at once, the patient's stays.
      await clickButton(doctorPage, t('waitingRoom.admitNamed', { name: 'Elena Petrova' }));
      await doctorPage.waitForFunction(`document.querySelectorAll('.arrival-notice li').length === 1`);
      assert.ok(!(await doctorPage.$eval('.call-top', (top) => (top as HTMLElement).innerText)).includes('Elena Petrova'), 'no stale notice');
      await clickButton(doctorPage, t('waitingRoom.admitNamed', { name: language === 'ar' ? 'أميرة حداد' : 'Amira Haddad' }));
      await doctorPage.waitForFunction(`!document.querySelector('.arrival-notice')`);

      for (const page of Object.values(pages)) await videoShows(page, 2);
      for (const [role, page] of Object.entries(pages)) {
        const what = `${role} on a ${sizes[role as keyof typeof sizes]}`;
        const geometry = await geometryOf(page);
        assertCallScreen(geometry, what, 2);
        assertVideoFills(geometry, what);
        await shot(page, `${language}-${role}-${sizes[role as keyof typeof sizes]}-call`);
      }

      // The people and the settings open beside the video (laptop) or over it (phone), never making the page scroll.
      await clickButton(doctorPage, t('callScreen.people'));
      await doctorPage.waitForSelector('.drawer-people .roster li');
      assert.ok((await geometryOf(doctorPage)).scrollHeight <= viewports[doctorSize].height);
      await shot(doctorPage, `${language}-doctor-${doctorSize}-people`);
      await clickButton(doctorPage, t('callScreen.settings'));
      await doctorPage.waitForSelector('.drawer-settings select');
      await shot(doctorPage, `${language}-doctor-${doctorSize}-settings`);
      await doctorPage.keyboard.press('Escape');
      await doctorPage.waitForSelector('.drawer-settings', { hidden: true });

      // The phone turned on its side: still a call screen.
      const phonePage = doctorSize === 'phone' ? doctorPage : patientPage;
      const phoneRole = doctorSize === 'phone' ? 'doctor' : 'patient';
      await phonePage.setViewport(phoneLandscape);
      await phonePage.waitForFunction(`innerWidth === ${phoneLandscape.width}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assertCallScreen(await geometryOf(phonePage), `${phoneRole} on a phone on its side`, 2);
      await shot(phonePage, `${language}-${phoneRole}-phone-landscape-call`);
      // A small phone (360×640) and a large desktop screen (1920×1080): the same.
      await phonePage.setViewport(smallPhone);
      await phonePage.waitForFunction(`innerWidth === ${smallPhone.width}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assertCallScreen(await geometryOf(phonePage), `${phoneRole} on a small phone`, 2);
      await shot(phonePage, `${language}-${phoneRole}-small-phone-call`);
      await phonePage.setViewport(viewports.phone);
      await phonePage.waitForFunction(`innerWidth === ${viewports.phone.width}`);
      const laptopPage = doctorSize === 'laptop' ? doctorPage : patientPage;
      const laptopRole = doctorSize === 'laptop' ? 'doctor' : 'patient';
      await laptopPage.setViewport(desktop);
      await laptopPage.waitForFunction(`innerWidth === ${desktop.width}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const large = await geometryOf(laptopPage);
      assertCallScreen(large, `${laptopRole} on a large screen`, 2);
      assertVideoFills(large, `${laptopRole} on a large screen`);
      await shot(laptopPage, `${language}-${laptopRole}-desktop-call`);
      await laptopPage.setViewport(viewports.laptop);
      await laptopPage.waitForFunction(`innerWidth === ${viewports.laptop.width}`);

      // A chat message: a badge on the patient's Chat button; the chat opens over or beside the video, Escape closes it.
      await clickButton(interpreterPage, t('callScreen.chat'));
      await fillField(interpreterPage, t('chat.message'), 'I am ready to interpret.');
      await clickButton(interpreterPage, t('chat.send'));
      await patientPage.waitForSelector('nav.controls .control-badge');
      await shot(patientPage, `${language}-patient-${patientSize}-unread-chat`);
      await clickButton(patientPage, t('callScreen.chat'));
      await patientPage.waitForFunction(`document.querySelector('.drawer-chat').innerText.includes('I am ready to interpret.')`);
      assert.equal(await patientPage.$('nav.controls .control-badge'), null, 'read: the badge goes');
      const withChat = await geometryOf(patientPage);
      assert.ok(withChat.scrollHeight <= withChat.innerHeight, 'the open chat does not make the page scroll');
      for (const control of withChat.controls) assert.ok(control.inside && control.uncovered, `with the chat open, "${control.name}" is still there`);
      await shot(patientPage, `${language}-patient-${patientSize}-chat-open`);
      await patientPage.keyboard.press('Escape');
      await patientPage.waitForSelector('.drawer-chat', { hidden: true });
      assert.equal(await patientPage.evaluate(`document.activeElement.getAttribute('aria-controls') === document.querySelector('.drawer-chat').id`), true, 'the focus is back on Chat');
      await clickButton(interpreterPage, t('callScreen.chat'));

      // The doctor shows a document: it takes the stage, the faces stay in view beside or above it.
      await clickButton(doctorPage, t('callScreen.documents'));
      const input = (await doctorPage.waitForSelector('.upload input[type="file"]')) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(scratchFile('Echo report.pdf', await numberedPdf(3)));
      await tickCheckbox(doctorPage, t('documents.interpreterMaySeeNamed', { name: 'Echo report.pdf' }));
      await clickButton(doctorPage, t('documents.presentNamed', { name: 'Echo report.pdf' }));
      await doctorPage.keyboard.press('Escape');
      await doctorPage.waitForSelector('.drawer-documents', { hidden: true });
      for (const [role, page] of Object.entries(pages)) {
        const size = sizes[role as keyof typeof sizes];
        await page.waitForSelector('.document-canvas[data-rendered-page="1"]', { timeout: 30_000 });
        const what = `${role} on a ${size}, a document shown`;
        const geometry = await geometryOf(page);
        assertCallScreen(geometry, what, 2);
        assertFacesBesideDocument(geometry, what);
        await shot(page, `${language}-${role}-${size}-document`);
      }
      await phonePage.setViewport(phoneLandscape);
      await phonePage.waitForFunction(`innerWidth === ${phoneLandscape.width}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sideways = await geometryOf(phonePage);
      assertCallScreen(sideways, `${phoneRole} on a phone on its side, a document shown`, 2);
      assertFacesBesideDocument(sideways, `${phoneRole} on a phone on its side, a document shown`);
      await shot(phonePage, `${language}-${phoneRole}-phone-landscape-document`);
      await phonePage.setViewport(viewports.phone);

      // Leaving asks first; "Stay" keeps the call.
      await clickButton(patientPage, t('callScreen.leave'));
      const dialog = await patientPage.waitForSelector('dialog.confirm-dialog[open]');
      await shot(patientPage, `${language}-patient-${patientSize}-leave-dialog`);
      await (await dialog!.waitForSelector(`::-p-aria(${t('callScreen.stay')}[role="button"])`))!.click();
      await patientPage.waitForSelector('dialog.confirm-dialog', { hidden: true });
      assert.equal(await patientPage.$eval('main', (main) => main.getAttribute('data-phase')), 'in-call');

      // The doctor's End consult asks too.
      await clickButton(doctorPage, t('callScreen.end'));
      const endDialog = await doctorPage.waitForSelector('dialog.confirm-dialog[open]');
      await shot(doctorPage, `${language}-doctor-${doctorSize}-end-dialog`);
      await (await endDialog!.waitForSelector(`::-p-aria(${t('callScreen.end')}[role="button"])`))!.click();
      await patientPage.waitForSelector('main[data-phase="ended"]');

      // After the end: the doctor is back among their consults, the patient reads what happens next.
      await doctorPage.waitForFunction(`location.pathname === '/dashboard'`);
      const next = await patientPage.waitForSelector('.what-next');
      assert.match(await next!.evaluate((section) => section.textContent ?? ''), new RegExp(t('afterCall.title')));
      await shot(patientPage, `${language}-patient-${patientSize}-after-the-end`);
    });
  }
});
