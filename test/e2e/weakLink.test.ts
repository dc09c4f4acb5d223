// One weak link must not spoil the call for the others, and the voice comes
// first (issue 14). The patient's Chromium sits in a network namespace whose
// link is capped with a token bucket both ways, as a congested mobile link;
// the doctor and the interpreter are on a good network. Every camera goes
// out in three simulcast layers, so the media server forwards to each person
// the layer their tiles need, or less when their own link cannot carry it.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { createConsult, createDoctor, type DoctorFixture } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton } from '../helpers/pageActions';
import { audioFlows, concealedShare, concealmentBound, decodedVideoFrames, tileOf, tileTexts, videoBitrate, videoFlows, voiceSendCap } from '../helpers/pageProbes';
import { numberedPdf } from '../helpers/pdfFiles';

/** What a tile says while video is held back to keep the voices clear. */
const pausedNotice = 'Video paused to keep the sound clear';

/** The height `page` receives `role`'s video at once it stops changing (three equal readings a second apart), within `withinMs`. */
async function settledHeight(page: Page, role: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  const readings: number[] = [];
  for (;;) {
    readings.push((await tileOf(page, role)).frameHeight);
    const last = readings.slice(-3);
    if (last.length === 3 && last[0] !== 0 && last.every((height) => height === last[0])) return last[0] ?? 0;
    if (Date.now() > deadline) return readings.at(-1) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Waits until `receiver` gets `role`'s video at least `height` lines tall again; fails after `withinMs`. */
async function receivesAtLeast(receiver: Page, role: string, height: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const received = (await tileOf(receiver, role)).frameHeight;
    if (received >= height) return;
    if (Date.now() > deadline) assert.fail(`receives the ${role}'s video at ${received} lines, ${height} before the patient's link was capped`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Waits until `page` sends its voice compact; fails after `withinMs`. The patient's own voice goes
 * compact by her browser's decision; the others' once her word that her downlink is weak reaches
 * the server across her jammed link, or the server finds her connection lost (seconds either
 * way; 7 to 15 s measured). A trial of her uplink (every 8 to 20 s) may also find room for a
 * moment; the next readings undo it.
 */
async function sendsVoiceCompact(page: Page, who: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const cap = await voiceSendCap(page);
    if (cap === 16_000) return;
    if (Date.now() > deadline) assert.fail(`${who} sends their voice at ${cap ?? 'an uncapped'} bit/s, not compact`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('a weak link on the patient’s side, in Chromium', function () {
  this.timeout(300_000);
  const e2e = E2eSession.inSuite({}, { namespace: true });

  afterEach(async () => {
    e2e.namespace.restore();
    await e2e.closePages();
  });

  /** The three in a call, the patient in the namespace. */
  async function threeInACall(): Promise<{ doctor: DoctorFixture; consultId: string; doctorPage: Page; interpreterPage: Page; patientPage: Page }> {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const interpreterPage = await e2e.guestArrives(consultId, 'interpreter', 'Samir Khoury');
    await clickButton(doctorPage, 'Admit Samir Khoury');
    const patientPage = await e2e.guestArrives(consultId, 'patient', 'Amira Haddad', { inNamespace: true });
    await clickButton(doctorPage, 'Admit Amira Haddad');
    for (const page of [interpreterPage, patientPage]) await page.waitForSelector('main[data-phase="in-call"]');
    return { doctor, consultId, doctorPage, interpreterPage, patientPage };
  }

  /**
   * Every voice `page` hears stays continuous over ten seconds; returns the shares concealed, for
   * the log. `unshaped`: what this machine concealed of each voice with no cap at all (a busy
   * machine conceals some by itself), so that the link is judged by what it adds.
   */
  async function voicesContinuous(page: Page, roles: string[], what: string, unshaped: Record<string, number> = {}): Promise<string> {
    const concealed: string[] = [];
    for (const role of roles) {
      await audioFlows(page, role, what);
      const share = await concealedShare(page, role, 10_000);
      concealed.push(`${role} ${(share * 100).toFixed(2)} %`);
      // At most twice the bound: a machine concealing more than that by itself is no place to judge a link.
      const bound = concealmentBound + Math.min(unshaped[role] ?? 0, concealmentBound);
      assert.ok(share < bound, `${what}: ${(share * 100).toFixed(1)} % of the ${role}'s speech was concealed (${((unshaped[role] ?? 0) * 100).toFixed(1)} % unshaped)`);
    }
    return concealed.join(', ');
  }

  it('capped at 300 kbit/s: the doctor and the interpreter keep each other’s picture, the patient keeps both voices', async () => {
    const { doctorPage, interpreterPage, patientPage } = await threeInACall();
    // A laptop-sized window: her tiles ask for a tall layer, so a lower one shows.
    await patientPage.setViewport({ width: 1366, height: 768 });

    // Unshaped: each receives the layer their tiles need (test/e2e/viewLayers.test.ts); meanwhile,
    // how much of each voice she loses with no cap at all.
    for (const role of ['doctor', 'interpreter']) await audioFlows(patientPage, role, 'unshaped, the patient');
    const [doctorFromInterpreter, interpreterFromDoctor, patientFromDoctor, unshapedDoctor, unshapedInterpreter] = await Promise.all([
      settledHeight(doctorPage, 'interpreter', 40_000),
      settledHeight(interpreterPage, 'doctor', 40_000),
      settledHeight(patientPage, 'doctor', 40_000),
      concealedShare(patientPage, 'doctor', 10_000),
      concealedShare(patientPage, 'interpreter', 10_000),
    ]);
    const unshapedBitrate = await videoBitrate(patientPage, 'doctor', 3000);
    const before = { doctorFromInterpreter, interpreterFromDoctor, patientFromDoctor };
    const unshaped = { doctor: unshapedDoctor, interpreter: unshapedInterpreter };

    const capKbit = 300;
    e2e.namespace.capRate(capKbit);
    // Congestion control notices within seconds; the server then forwards her a lower layer.
    await new Promise((resolve) => setTimeout(resolve, 15_000));

    // The others: the same picture as before, still moving.
    await receivesAtLeast(doctorPage, 'interpreter', before.doctorFromInterpreter, 10_000);
    await receivesAtLeast(interpreterPage, 'doctor', before.interpreterFromDoctor, 10_000);
    await videoFlows(doctorPage, 'interpreter', 'with the patient on a weak link, the doctor');

    // The patient: both voices without gaps, and a lower picture (or none).
    const concealed = await voicesContinuous(patientPage, ['doctor', 'interpreter'], 'on a 300 kbit/s link, the patient', unshaped);
    const first = await tileOf(patientPage, 'doctor');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const now = await tileOf(patientPage, 'doctor');
    const paused = now.framesDecoded === first.framesDecoded;
    console.log(`      patient receives the doctor at ${paused ? 'no picture (paused)' : `${now.frameHeight} px`}, ${before.patientFromDoctor} px before the cap (then ${Math.round(unshapedBitrate / 1000)} kbit/s); the doctor receives the interpreter at ${before.doctorFromInterpreter} px; concealed: ${concealed} (unshaped: doctor ${(unshaped.doctor * 100).toFixed(2)} %, interpreter ${(unshaped.interpreter * 100).toFixed(2)} %)`);
    // Only a machine that let her reach the top layer unshaped leaves a lower one to compare with: a busy
    // one may hold its encoders at the middle layer whatever the link. And only a layer too big for
    // her link beside the voices (about 120 kbit/s) must give way: a busy machine's encoders may
    // send the fake camera's easy picture at its full height in less.
    const layerFits = unshapedBitrate < capKbit * 1000 - 2 * 60_000;
    if (before.patientFromDoctor > 360 && !layerFits) {
      assert.ok(paused || now.frameHeight < before.patientFromDoctor, `on 300 kbit/s she receives a lower layer: ${now.frameHeight} px, ${before.patientFromDoctor} px before (${Math.round(unshapedBitrate / 1000)} kbit/s)`);
    } else {
      console.log(`      (the layers are not compared: unshaped, she reached ${before.patientFromDoctor} px at ${Math.round(unshapedBitrate / 1000)} kbit/s)`);
    }
  });

  /** Waits until `page` says "Video paused to keep the sound clear" on the tile of each of `roles` (or on none of them, `shown` false). */
  async function pausedNoticeOn(page: Page, roles: string[], shown: boolean, timeout: number): Promise<void> {
    const tiles = roles.map((role) => `document.querySelector('.tiles .tile[data-role="${role}"]')?.textContent.includes(${JSON.stringify(pausedNotice)}) === true`);
    await page.waitForFunction(shown ? tiles.join(' && ') : `!(${tiles.join(' || ')})`, { timeout });
  }

  it('with room for the voices but not for video: the shown document and its pages keep following', async () => {
    const { doctor, consultId, doctorPage, patientPage } = await threeInACall();
    const uploaded = await fetch(e2e.url(`/api/consults/${consultId}/documents?name=${encodeURIComponent('Lab results.pdf')}`), {
      method: 'POST',
      headers: { cookie: doctor.cookie, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(await numberedPdf(3)),
    });
    assert.equal(uploaded.status, 201);
    await clickButton(doctorPage, 'Documents');
    await clickButton(doctorPage, 'Show Lab results.pdf to everyone');
    await patientPage.waitForFunction(`document.querySelector('.document-canvas')?.dataset.renderedPage === '1'`, { timeout: 30_000 });

    // 150 kbit/s carries two voices, not their video too: the link drops to audio only.
    e2e.namespace.capRate(150);
    await pausedNoticeOn(patientPage, ['doctor', 'interpreter'], true, 30_000);
    await clickButton(doctorPage, 'Next page');
    await patientPage.waitForFunction(`document.querySelector('.document-canvas')?.dataset.renderedPage === '2'`, { timeout: 15_000 });
    await clickButton(doctorPage, 'Next page');
    await patientPage.waitForFunction(`document.querySelector('.document-canvas')?.dataset.renderedPage === '3'`, { timeout: 15_000 });
    // The voices keep coming. How much of them is concealed is printed, not bounded: every trial
    // of video on this link (after 8 s, 16 s, then every 20 s) costs them a second or two, so a
    // window of ten seconds is under 5 % only when no trial falls in it (see README, known limits).
    const concealed: string[] = [];
    for (const role of ['doctor', 'interpreter']) {
      await audioFlows(patientPage, role, 'on an audio-only link, the patient');
      concealed.push(`${role} ${((await concealedShare(patientPage, role, 10_000)) * 100).toFixed(1)} %`);
    }
    console.log(`      concealed at 150 kbit/s with video held back (trials included): ${concealed.join(', ')}`);
  });

  it('capped at 60 kbit/s: video pauses both ways with a notice, the voices keep coming, and video comes back with the link', async () => {
    const { doctorPage, interpreterPage, patientPage } = await threeInACall();
    await videoFlows(patientPage, 'doctor', 'before the cap, the patient');
    e2e.namespace.capRate(60);
    const cappedAt = Date.now();
    // Her browser decides for her own link, and asks the server to forward her no video: she
    // reads why the others' pictures stopped.
    await pausedNoticeOn(patientPage, ['doctor', 'interpreter'], true, 30_000);
    const heldAfter = Date.now() - cappedAt;
    // Her browser holds back what she sends; the doctor reads why her picture stopped, from the
    // server, which sees her video stop arriving (her own word of it crosses her jammed link).
    await pausedNoticeOn(doctorPage, ['patient'], true, 30_000);
    const doctorToldAfter = Date.now() - cappedAt;
    assert.ok(!(await tileTexts(interpreterPage))['doctor']?.includes(pausedNotice), 'the interpreter, on a good link, is not told the doctor’s video is paused');
    const framesBefore = await decodedVideoFrames(patientPage);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const framesDuring = (await decodedVideoFrames(patientPage)) - framesBefore;
    assert.ok(framesDuring <= 5, `video held back from her: ${framesDuring} frames decoded in 3 s`);

    // Both voices keep coming, and everyone's voice goes out compact for her. How much is still
    // concealed is measured and printed, not bounded: 60 kbit/s carries one compact voice (about
    // 42 kbit/s on the wire with 20 ms packets, headers weighing as much as the speech) but little
    // beside it, and two at once not at all.
    await sendsVoiceCompact(patientPage, 'the patient', 15_000);
    for (const [who, page] of [['the doctor', doctorPage], ['the interpreter', interpreterPage]] as const) await sendsVoiceCompact(page, who, 45_000);
    const compactAfter = Date.now() - cappedAt;
    const together: string[] = [];
    for (const role of ['doctor', 'interpreter']) {
      await audioFlows(patientPage, role, 'on a 60 kbit/s link, the patient');
      together.push(`${role} ${((await concealedShare(patientPage, role, 5000)) * 100).toFixed(1)} %`);
    }
    // In a consult people speak in turn: the interpreter silent, the doctor's voice alone.
    await clickButton(interpreterPage, 'Mute');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const inTurn = `${((await concealedShare(patientPage, 'doctor', 10_000)) * 100).toFixed(1)} %`;
    await audioFlows(doctorPage, 'patient', 'with the patient on 60 kbit/s, the doctor');
    const herVoice = `${((await concealedShare(doctorPage, 'patient', 5000)) * 100).toFixed(1)} %`;
    await clickButton(interpreterPage, 'Unmute');

    e2e.namespace.restore();
    const liftedAt = Date.now();
    // Trials come after 8 s, 16 s, then every 20 s, and a trial right after the lift may still
    // see the link's estimate catching up: back within two waits and trials.
    await pausedNoticeOn(patientPage, ['doctor', 'interpreter'], false, 90_000);
    await pausedNoticeOn(doctorPage, ['patient'], false, 90_000);
    await videoFlows(patientPage, 'doctor', 'after the cap was lifted, the patient', 20_000);
    await videoFlows(doctorPage, 'patient', 'after the cap was lifted, the doctor', 20_000);
    assert.equal(await voiceSendCap(doctorPage), null, 'the doctor’s voice is no longer compact once her link carries video again');
    console.log(
      `      video held back ${(heldAfter / 1000).toFixed(1)} s after the cap (the doctor told after ${(doctorToldAfter / 1000).toFixed(1)} s, every voice compact after ${(compactAfter / 1000).toFixed(1)} s), back ${((Date.now() - liftedAt) / 1000).toFixed(1)} s after it was lifted; ` +
        `concealed at 60 kbit/s: two voices at once ${together.join(', ')}; one at a time ${inTurn}; her voice at the doctor ${herVoice}`,
    );
  });

  // Random loss, not congestion: each receiver asks the media server again for the voices' lost
  // packets (NACK, client/call/receiveCapabilities.ts), and each sender for what it lost on its way.
  it('losing 5 % of packets each way: every voice stays continuous', async () => {
    const { doctorPage, patientPage } = await threeInACall();
    for (const role of ['doctor', 'interpreter']) await audioFlows(patientPage, role, 'before the loss, the patient');
    await audioFlows(doctorPage, 'patient', 'before the loss, the doctor');
    // What this machine conceals by itself, with nothing lost on the way.
    const [doctor, interpreter, patient] = await Promise.all([
      concealedShare(patientPage, 'doctor', 10_000),
      concealedShare(patientPage, 'interpreter', 10_000),
      concealedShare(doctorPage, 'patient', 10_000),
    ]);
    e2e.namespace.loseUdp(5);
    // Opus learns of the loss from the receiver's reports and protects with FEC.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const heard = await voicesContinuous(patientPage, ['doctor', 'interpreter'], 'losing 5 %, the patient', { doctor, interpreter });
    const heardFromHer = await voicesContinuous(doctorPage, ['patient'], 'with the patient losing 5 %, the doctor', { patient });
    console.log(`      concealed at 5 % loss: the patient hears ${heard}; the doctor hears ${heardFromHer}`);
  });
});
