// A participant whose network drops for ten seconds comes back by itself:
// no new admission, the others see "reconnecting" meanwhile, and media flows
// again afterwards (socket reconnect, resume, ICE restart).
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { bodyText, clickButton } from '../helpers/pageActions';
import { remoteTileMedia } from '../helpers/pageProbes';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reconnecting after a network cut, in Chromium', function () {
  this.timeout(120_000);
  const e2e = E2eSession.inSuite();

  async function decodedFrom(page: Page, role: string): Promise<number> {
    const tile = (await remoteTileMedia(page)).find((candidate) => candidate.role === role);
    return tile?.framesDecoded ?? 0;
  }

  async function waitForGrowth(page: Page, role: string, what: string): Promise<void> {
    const start = await decodedFrom(page, role);
    const deadline = Date.now() + 30_000;
    while ((await decodedFrom(page, role)) <= start + 10) {
      if (Date.now() > deadline) assert.fail(`${what}: video stopped at ${start} frames`);
      await sleep(500);
    }
  }

  it('restores the call without the doctor admitting again', async () => {
    const server = e2e.server;
    const doctor = await createDoctor(server);
    const consultId = createConsult(server, doctor, false);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const patientPage = await e2e.guestArrives(consultId, 'patient', 'Amira Haddad');
    await clickButton(doctorPage, 'Admit Amira Haddad');
    await patientPage.waitForSelector('main[data-phase="in-call"]');
    await waitForGrowth(patientPage, 'doctor', 'before the cut, the patient');
    await waitForGrowth(doctorPage, 'patient', 'before the cut, the doctor');

    // Cut the patient's network for ten seconds. DevTools' offline mode stops
    // new connections; closing the patient's current connection on the server
    // is what a real cut does to it.
    const patient = [...(server.registry.get(consultId)?.participants.values() ?? [])].find((p) => p.role === 'patient');
    assert.ok(patient);
    await patientPage.setOfflineMode(true);
    for (const socket of server.io.sockets.sockets.values()) {
      if (socket.handshake.headers.cookie === undefined && socket.connected) socket.conn.close();
    }
    await patientPage.waitForSelector('[data-testid="reconnecting"]');
    await doctorPage.waitForFunction(`document.body.innerText.includes('Reconnecting…')`);
    await sleep(10_000);
    await patientPage.setOfflineMode(false);

    await patientPage.waitForFunction(`!document.querySelector('[data-testid="reconnecting"]')`, { timeout: 20_000 });
    await doctorPage.waitForFunction(`!document.body.innerText.includes('Reconnecting…')`, { timeout: 20_000 });
    assert.equal(await patientPage.$eval('main', (main) => main.getAttribute('data-phase')), 'in-call');
    assert.ok(!(await bodyText(patientPage)).includes('Waiting for'), 'never back in the waiting room');
    await waitForGrowth(patientPage, 'doctor', 'after the cut, the patient');
    await waitForGrowth(doctorPage, 'patient', 'after the cut, the doctor');

    const participantsNow = [...(server.registry.get(consultId)?.participants.values() ?? [])];
    assert.ok(participantsNow.includes(patient), 'the same participant, not a new one');
    const presence = new Set(['joined', 'arrived-waiting', 'admitted', 'rejoined', 'left', 'denied', 'removed']);
    assert.deepEqual(
      server.audit
        .list(consultId)
        .map((event) => event.action)
        .filter((action) => presence.has(action)),
      ['joined', 'arrived-waiting', 'admitted'],
    );
  });
});
