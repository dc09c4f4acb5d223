// A real three-way consult in headless Chromium through our server and the
// mediasoup worker we build: the patient and the interpreter arrive through
// their invite links and wait; the doctor admits them; then DTLS-SRTP is
// negotiated by the browser and video and audio flow between all three.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { bodyText, clickButton, fillField } from '../helpers/pageActions';
import { inboundPacketCount, remoteTileCount, remoteTileMedia, type TileMedia } from '../helpers/pageProbes';

const participants = [
  { role: 'patient', name: 'Amira Haddad' },
  { role: 'doctor', name: 'Dr. Jonas Weber' },
  { role: 'interpreter', name: 'Elena Petrova' },
] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three-way consult in Chromium', function () {
  this.timeout(180_000);
  const e2e = E2eSession.inSuite();

  async function waitForRemoteTiles(page: Page, count: number): Promise<void> {
    await page.waitForFunction(`document.querySelectorAll('.tiles .tile').length === ${count}`, { timeout: 30_000 });
  }

  /** Samples twice, some time apart: media must be flowing, not just have flowed. */
  async function mediaGrowth(page: Page): Promise<{ before: TileMedia[]; after: TileMedia[] }> {
    const before = await remoteTileMedia(page);
    await sleep(2500);
    return { before, after: await remoteTileMedia(page) };
  }

  it('admits, connects everyone, keeps other consults apart, and cleans up when someone leaves', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    const consultId = createConsult(e2e.server, doctor);
    const pages = new Map<string, Page>();
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    pages.set('doctor', doctorPage);

    pages.set('patient', await e2e.guestArrives(consultId, 'patient', 'Amira Haddad'));
    const patientWaiting = await bodyText(pages.get('patient')!);
    assert.match(patientWaiting, /Waiting for Dr\. Jonas Weber to let you in/);
    assert.match(patientWaiting, /Dr\. Jonas Weber is online\. You are next\./);
    assert.equal(await remoteTileCount(pages.get('patient')!), 0, 'a waiting patient sees nobody');
    assert.equal(await inboundPacketCount(pages.get('patient')!), 0, 'a waiting patient receives nothing');

    pages.set('interpreter', await e2e.guestArrives(consultId, 'interpreter', 'Elena Petrova'));
    assert.match(await bodyText(pages.get('interpreter')!), /You are number 2 in line\./);
    // The doctor is alerted of each arrival and sees both in the waiting room.
    await doctorPage.waitForFunction(`document.body.innerText.includes('Elena Petrova (Interpreter) is waiting to join.')`);
    await doctorPage.waitForFunction(`document.body.innerText.includes('Waiting room (2 people)')`);

    // Chat while waiting: private between the waiting patient and the doctor (who opens the chat beside the call).
    const patientPage = pages.get('patient')!;
    const interpreterPage = pages.get('interpreter')!;
    await clickButton(doctorPage, 'Chat');
    await fillField(patientPage, 'Message', 'Hello, I have my reports ready.');
    await clickButton(patientPage, 'Send');
    await doctorPage.waitForFunction(`document.body.innerText.includes('Hello, I have my reports ready.')`);
    const recipient = await doctorPage.waitForSelector('::-p-aria(To)');
    await recipient!.select((await doctorPage.$$eval('option', (options) => options.map((option) => option.value)))[1] ?? '');
    await fillField(doctorPage, 'Message', 'Thank you, one moment please.');
    await clickButton(doctorPage, 'Send');
    await patientPage.waitForFunction(`document.body.innerText.includes('Thank you, one moment please.')`);
    assert.ok(!(await bodyText(interpreterPage)).includes('reports ready'), 'another waiting person does not read it');

    await clickButton(doctorPage, 'Admit Amira Haddad');
    await clickButton(doctorPage, 'Admit Elena Petrova');
    await interpreterPage.waitForSelector('main[data-phase="in-call"]');
    await patientPage.waitForSelector('main[data-phase="in-call"]');
    await clickButton(interpreterPage, 'Chat');
    await clickButton(patientPage, 'Chat');
    await fillField(interpreterPage, 'Message', 'I am ready to interpret.');
    await clickButton(interpreterPage, 'Send');
    for (const page of [doctorPage, patientPage]) {
      await page.waitForFunction(`document.body.innerText.includes('I am ready to interpret.')`);
    }

    // Someone in another consult, with media of their own.
    const colleague = await createDoctor(e2e.server, 'Dr. Nadia Haddad');
    const stranger = await e2e.doctorOpens(colleague, createConsult(e2e.server, colleague));

    for (const page of pages.values()) await waitForRemoteTiles(page, 2);
    // Wait until every tile has both tracks attached and decoding has begun.
    for (const [role, page] of pages) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const tiles = await remoteTileMedia(page);
        if (tiles.every((tile) => tile.framesDecoded > 0 && tile.totalSamplesReceived > 0)) break;
        if (Date.now() > deadline) assert.fail(`${role}: media never started: ${JSON.stringify(tiles)}`);
        await sleep(500);
      }
    }

    for (const { role } of participants) {
      const page = pages.get(role)!;
      const { before, after } = await mediaGrowth(page);
      const expectedOthers = participants.filter((other) => other.role !== role);
      assert.deepEqual(
        after.map((tile) => tile.role).sort(),
        expectedOthers.map((other) => other.role).sort(),
        `${role} sees exactly the two others`,
      );
      for (const other of expectedOthers) {
        const earlier = before.find((tile) => tile.role === other.role);
        const later = after.find((tile) => tile.role === other.role);
        assert.ok(earlier && later, `${role} has a tile for ${other.role}`);
        assert.equal(later.name, other.name, `${role} sees ${other.role}'s name`);
        assert.ok(later.videoTrackId && later.audioTrackId, `${role} has ${other.role}'s video and audio tracks`);
        assert.ok(
          later.framesDecoded > earlier.framesDecoded,
          `${role} keeps decoding ${other.role}'s video (${earlier.framesDecoded} -> ${later.framesDecoded})`,
        );
        assert.ok(
          later.totalSamplesReceived > earlier.totalSamplesReceived,
          `${role} keeps receiving ${other.role}'s audio (${earlier.totalSamplesReceived} -> ${later.totalSamplesReceived})`,
        );
      }
    }

    // Each tile shows how well media arrives, and someone's microphone is highlighted as dominant.
    // Given time for the senders' estimates to climb to the top layer, which a busy machine slows.
    for (const [role, page] of pages) {
      await page
        .waitForFunction(`document.querySelectorAll('.tiles .tile [role="img"][aria-label="Connection: good"]').length === 2`, { timeout: 30_000 })
        .catch(async () => {
          const labels = await page.$$eval('.tiles .tile [role="img"][aria-label^="Connection"]', (elements) => elements.map((element) => element.getAttribute('aria-label')));
          assert.fail(`the ${role}'s tiles say ${JSON.stringify(labels)}, not "Connection: good" on both`);
        });
    }
    await doctorPage.waitForSelector('.tile-speaking', { timeout: 15_000 });

    // The doctor mutes the patient, then asks them to unmute; only the patient can.
    const patientTileOnDoctor = `document.querySelector('.tiles .tile[data-role="patient"]')?.innerText ?? ''`;
    await clickButton(doctorPage, 'Mute Amira Haddad');
    await patientPage.waitForFunction(`document.body.innerText.includes('Dr. Jonas Weber has muted your microphone.')`);
    await doctorPage.waitForFunction(`(${patientTileOnDoctor}).includes('Microphone off')`);
    await clickButton(doctorPage, 'Ask Amira Haddad to unmute');
    await patientPage.waitForFunction(`document.body.innerText.includes('Dr. Jonas Weber asks you to turn on your microphone.')`);
    await clickButton(patientPage, 'Turn on my microphone');
    await doctorPage.waitForFunction(`!(${patientTileOnDoctor}).includes('Microphone off')`);

    // The other consult's participant is alone: nothing from the first one reaches them.
    assert.equal(await remoteTileCount(stranger), 0);
    assert.equal(await inboundPacketCount(stranger), 0);
    assert.equal(e2e.server.registry.size, 2);

    // The interpreter leaves: the others drop the tile, the server closes the transports.
    const consult = e2e.server.registry.get(consultId);
    assert.ok(consult);
    const interpreter = [...consult.participants.values()].find((participant) => participant.role === 'interpreter');
    assert.ok(interpreter);
    const transports = interpreter.transports().map((entry) => entry.transport);
    assert.equal(transports.length, 2);
    assert.ok(transports.every((transport) => !transport.closed));

    const leaveButton = await interpreterPage.waitForSelector('nav.controls button.danger');
    await leaveButton!.click();
    // Leaving asks first.
    const confirmLeave = await interpreterPage.waitForSelector('dialog[open] ::-p-aria(Leave[role="button"])');
    await confirmLeave!.click();
    await interpreterPage.waitForSelector('main[data-phase="left"]');

    for (const role of ['patient', 'doctor']) {
      const page = pages.get(role)!;
      await waitForRemoteTiles(page, 1);
      const tiles = await remoteTileMedia(page);
      assert.deepEqual(
        tiles.map((tile) => tile.role),
        [role === 'patient' ? 'doctor' : 'patient'],
      );
    }
    assert.ok(transports.every((transport) => transport.closed), 'the leaver\'s transports are closed');
    assert.equal(consult.participants.size, 2);
    assert.ok(!consult.participants.has(interpreter.id));
  });

  it('turns a denied patient away with an explanation', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Jonas Weber');
    const consultId = createConsult(e2e.server, doctor, false);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const patientPage = await e2e.guestArrives(consultId, 'patient', 'Unexpected Caller');
    await clickButton(doctorPage, 'Deny Unexpected Caller');
    await patientPage.waitForSelector('main[data-reason="denied"]');
    assert.match(await bodyText(patientPage), /The doctor could not let you into this consult/);
    assert.equal(await patientPage.$('::-p-aria(Join again[role="button"])'), null, 'a denied link offers no way back in');
    await clickButton(doctorPage, 'People');
    await doctorPage.waitForFunction(`document.body.innerText.includes('Nobody is waiting.')`);
    assert.equal(e2e.server.registry.get(consultId)?.participants.size, 1);
  });
});
