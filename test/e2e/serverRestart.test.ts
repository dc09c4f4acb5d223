// The server itself goes away mid-call: killed outright (SIGKILL, as a crash
// or an out-of-memory kill would), then stopped properly (SIGTERM, as an
// update would). Each time it comes back on the same port and data, and the
// doctor, the patient and the interpreter are back in the call by themselves:
// nobody admitted again, the shown document and the floor as they were, and
// every departure in the audit log.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import { launchChromium } from '../helpers/browser';
import { createConsult, createDoctor, createInviteToken } from '../helpers/consultFixtures';
import { clickButton, fillField, tickCheckbox } from '../helpers/pageActions';
import { recordPeerConnections, sharedView, videoFlows } from '../helpers/pageProbes';
import { numberedPdf } from '../helpers/pdfFiles';
import { freePort, ServerChild, SharedDataDir } from '../helpers/serverChild';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restarting the server mid-call, in Chromium', function () {
  this.timeout(300_000);
  let data: SharedDataDir;
  let browser: Browser;
  let port: number;
  let server: ServerChild | undefined;

  // Logging what each join and resume did, for a failing test to show.
  const startServer = () => ServerChild.start(port, data.path, { LOG_LEVEL: 'info' });

  before(async () => {
    data = new SharedDataDir();
    port = await freePort();
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop('SIGKILL');
    data?.remove();
  });

  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  // What the pages said, printed only when the test fails: which page gave up, and why.
  const pageLog: string[] = [];
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log(pageLog.join('\n'));
    console.log(`the server printed:\n${server?.printed ?? ''}`);
    for (const page of await browser.pages()) {
      const shown = await page.evaluate(`(document.querySelector('main')?.dataset.phase ?? '') + ': ' + document.body.innerText`).catch(String);
      console.log(`${page.url()} shows ${String(shown).replace(/\s*\n\s*/g, ' · ').slice(0, 800)}`);
    }
  });

  async function newPage(): Promise<Page> {
    const page = await (await browser.createBrowserContext()).newPage();
    page.on('console', (message) => {
      if (message.type() === 'warn' || message.type() === 'error') pageLog.push(`${new Date().toISOString()} ${page.url()} ${message.type()}: ${message.text()}`);
    });
    await page.evaluateOnNewDocument(recordPeerConnections);
    return page;
  }

  async function guestJoins(token: string, name: string): Promise<Page> {
    const page = await newPage();
    await page.goto(url(`/join#${token}`));
    await fillField(page, 'Your name as the others will see it', name);
    await tickCheckbox(page, 'I have read this and want to join');
    await clickButton(page, 'Join');
    await page.waitForSelector('main[data-phase="waiting"]');
    return page;
  }

  it('brings everyone back into the call by themselves after a crash and after a proper restart, with what was shown and the floor', async () => {
    const stores = data.stores();
    const doctor = await createDoctor(stores);
    const consultId = createConsult(stores, doctor, true);
    const doctorPage = await newPage();
    await doctorPage.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: '127.0.0.1', path: '/' });
    await doctorPage.goto(url(`/c/${consultId}`));
    await tickCheckbox(doctorPage, 'I have read this and want to join');
    await clickButton(doctorPage, 'Join');
    await doctorPage.waitForSelector('main[data-phase="in-call"]');
    const patientPage = await guestJoins((await createInviteToken(stores, consultId, 'patient')).token, 'Amira Haddad');
    const interpreterPage = await guestJoins((await createInviteToken(stores, consultId, 'interpreter')).token, 'Elena Petrova');
    await clickButton(doctorPage, 'Admit Amira Haddad');
    await clickButton(doctorPage, 'Admit Elena Petrova');
    const pages = { doctor: doctorPage, patient: patientPage, interpreter: interpreterPage };
    for (const page of Object.values(pages)) await page.waitForSelector('main[data-phase="in-call"]');

    // A document shown to everyone, and the floor with the interpreter.
    const uploaded = await fetch(url(`/api/consults/${consultId}/documents?name=${encodeURIComponent('Lab results.pdf')}`), {
      method: 'POST',
      headers: { cookie: doctor.cookie, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(await numberedPdf(2)),
    });
    assert.equal(uploaded.status, 201);
    const documentId = ((await uploaded.json()) as { document: { id: string } }).document.id;
    await clickButton(doctorPage, 'Documents');
    await clickButton(doctorPage, 'Show Lab results.pdf to everyone');
    await patientPage.waitForFunction(`document.querySelector('.viewer-viewport')?.dataset.documentId === '${documentId}'`);
    await clickButton(doctorPage, 'Please interpret');
    await patientPage.waitForFunction(`document.body.innerText.includes('Elena Petrova is interpreting.')`);

    const allBack = async (what: string) => {
      for (const page of Object.values(pages)) {
        await page.waitForFunction(`document.querySelector('main')?.dataset.phase === 'in-call' && !document.querySelector('[data-testid="reconnecting"]')`, {
          timeout: 60_000,
        });
      }
      await videoFlows(patientPage, 'doctor', `${what}, the patient`, 60_000);
      await videoFlows(doctorPage, 'patient', `${what}, the doctor`, 60_000);
      await videoFlows(interpreterPage, 'doctor', `${what}, the interpreter`, 60_000);
      assert.equal((await sharedView(patientPage))?.documentId, documentId, `${what}: the document is shown again`);
      await patientPage.waitForFunction(`document.body.innerText.includes('Elena Petrova is interpreting.')`, { timeout: 10_000 });
    };

    // A crash: no goodbye to anyone.
    await server?.stop('SIGKILL');
    await sleep(2000);
    server = await startServer();
    await allBack('after a crash');
    let events = stores.audit.list(consultId);
    assert.equal(events.filter((event) => event.action === 'left' && event.subject === 'the server stopped').length, 3, 'departures a crash cut short are audited');
    assert.equal(events.filter((event) => event.action === 'admitted').length, 2, 'nobody admitted again');

    // A proper restart: everyone is told, and comes back when it is up.
    const stopping = server.stop('SIGTERM');
    await patientPage.waitForFunction(`document.querySelector('[data-testid="reconnecting"]')?.textContent.includes('restarting')`, { timeout: 10_000 });
    await stopping;
    server = await startServer();
    await allBack('after a restart');
    events = stores.audit.list(consultId);
    assert.equal(events.filter((event) => event.action === 'admitted').length, 2, 'still nobody admitted again');
    assert.equal(events.filter((event) => event.action === 'rejoined').length, 4, 'each guest came back on their own, twice');
  });
});
