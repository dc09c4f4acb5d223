// A real three-way consult in headless Chromium through our server and the
// mediasoup worker we build: DTLS-SRTP negotiated by the browser, video
// decoded and audio received from both other participants.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { launchChromium } from '../helpers/browser';
import { inboundPacketCount, recordPeerConnections, remoteTileCount, remoteTileMedia, type TileMedia } from '../helpers/pageProbes';
import { startTestServer } from '../helpers/testServer';

const participants = [
  { role: 'patient', name: 'Amira Haddad' },
  { role: 'doctor', name: 'Dr. Jonas Weber' },
  { role: 'interpreter', name: 'Elena Petrova' },
] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three-way consult in Chromium', function () {
  this.timeout(180_000);
  let server: ConsiliumServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openConsult(consultId: string, role: string, name: string): Promise<Page> {
    // A separate browser context per person, like separate devices.
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[${role} page error]`, error));
    await page.evaluateOnNewDocument(recordPeerConnections);
    const query = new URLSearchParams({ role, name });
    await page.goto(`http://127.0.0.1:${server.port}/c/${consultId}?${query}`);
    return page;
  }

  async function waitForRemoteTiles(page: Page, count: number): Promise<void> {
    await page.waitForFunction(`document.querySelectorAll('.tiles .tile').length === ${count}`, { timeout: 30_000 });
  }

  /** Samples twice, some time apart: media must be flowing, not just have flowed. */
  async function mediaGrowth(page: Page): Promise<{ before: TileMedia[]; after: TileMedia[] }> {
    const before = await remoteTileMedia(page);
    await sleep(2500);
    return { before, after: await remoteTileMedia(page) };
  }

  it('connects everyone, keeps other consults apart, and cleans up when someone leaves', async () => {
    const consultId = `consult-${randomUUID().slice(0, 8)}`;
    const otherConsultId = `consult-${randomUUID().slice(0, 8)}`;
    const pages = new Map<string, Page>();
    for (const { role, name } of participants) pages.set(role, await openConsult(consultId, role, name));
    const stranger = await openConsult(otherConsultId, 'patient', 'Someone Else');

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

    // The other consult's participant is alone: nothing from the first one reaches them.
    assert.equal(await remoteTileCount(stranger), 0);
    assert.equal(await inboundPacketCount(stranger), 0);
    assert.equal(server.registry.get(otherConsultId)?.participants.size, 1);

    // The interpreter leaves: the others drop the tile, the server closes the transports.
    const consult = server.registry.get(consultId);
    assert.ok(consult);
    const interpreter = [...consult.participants.values()].find((participant) => participant.role === 'interpreter');
    assert.ok(interpreter);
    const transports = [...interpreter.transports.values()].map((entry) => entry.transport);
    assert.equal(transports.length, 2);
    assert.ok(transports.every((transport) => !transport.closed));

    const interpreterPage = pages.get('interpreter')!;
    const leaveButton = await interpreterPage.waitForSelector('nav.controls button.danger');
    await leaveButton!.click();
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
});
