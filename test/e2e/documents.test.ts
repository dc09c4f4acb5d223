// Looking at records together, in Chromium: a patient uploads from their
// link before joining; the doctor shows a multi-page PDF, goes to page 3 and
// zooms, and everyone (someone joining later too) sees page 3 at that zoom,
// checked on what their canvas actually drew. A DICOM series scrolled to a
// slice with a new window shows the same grey on every screen.
import assert from 'node:assert/strict';
import type { ElementHandle, Page } from 'puppeteer-core';
import { windowedGrey } from '../../client/documents/dicomImage';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { dicomSeries, studyZip, type TransferSyntax } from '../helpers/dicomFiles';
import { loadWasmEncoders } from '../helpers/wasmEncoders';
import { E2eSession } from '../helpers/e2eSession';
import { clickButton, tickCheckbox } from '../helpers/pageActions';
import { sharedView, viewerPixelAt } from '../helpers/pageProbes';
import { numberedPdf, pageColours } from '../helpers/pdfFiles';
import { solidPng } from '../helpers/pngFiles';
import { scratchFile, screenshotPath } from '../helpers/scratchFiles';


async function chooseFile(page: Page, path: string): Promise<void> {
  const input = (await page.waitForSelector('.upload input[type="file"]')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(path);
}

async function waitForText(page: Page, text: string): Promise<void> {
  await page.waitForFunction((expected) => document.body.innerText.includes(expected), { timeout: 20_000 }, text);
}

/** Waits until the page's viewer shows (and has drawn) what `matches` wants. */
async function waitForView(page: Page, matches: string): Promise<void> {
  await page.waitForFunction(
    `(() => {
      const viewport = document.querySelector('.viewer-viewport');
      const canvas = viewport && viewport.querySelector('.document-canvas');
      if (!viewport || !canvas || !viewport.dataset.pageRect) return false;
      const view = { ...viewport.dataset, ...Object.fromEntries(Object.entries(canvas.dataset).map(([k, v]) => ['canvas_' + k, v])) };
      return ${matches};
    })()`,
    { timeout: 20_000 },
  );
}

function assertColour(actual: [number, number, number], expected: readonly [number, number, number], what: string): void {
  const distance = Math.max(...actual.map((value, i) => Math.abs(value - (expected[i] ?? 0))));
  assert.ok(distance <= 6, `${what}: drew rgb(${actual.join(', ')}), expected rgb(${expected.join(', ')})`);
}

describe('shared documents in Chromium', function () {
  this.timeout(180_000);
  const e2e = E2eSession.inSuite({ MAX_UPLOAD_MB: '1' });

  it('keeps everyone on the page and zoom the doctor shows, late joiners too', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);

    // The patient sends their records from the link's page, before joining.
    const patientPage = await e2e.guestOpensLink(consultId, 'patient');
    await waitForText(patientPage, 'Your medical records');
    await chooseFile(patientPage, scratchFile('Too large.pdf', Buffer.concat([await numberedPdf(1), Buffer.alloc(1_200_000)])));
    await waitForText(patientPage, 'Too large.pdf is larger than 1 MB, the most a file may be.');
    await chooseFile(patientPage, scratchFile('Lab results.pdf', await numberedPdf(5)));
    await waitForText(patientPage, 'Lab results.pdf was added.');
    await patientPage.waitForSelector('.document-list ::-p-text(Lab results.pdf)');
    await e2e.guestJoinsFrom(patientPage, 'Amira Haddad');
    await clickButton(doctorPage, 'Admit Amira Haddad');
    await patientPage.waitForSelector('main[data-phase="in-call"]');

    await clickButton(doctorPage, 'Documents');
    await clickButton(doctorPage, 'Show Lab results.pdf to everyone');
    await waitForView(doctorPage, `view.page === '1' && view.canvas_renderedPage === '1'`);
    await clickButton(doctorPage, 'Next page');
    await clickButton(doctorPage, 'Next page');
    await clickButton(doctorPage, 'Zoom in');
    await clickButton(doctorPage, 'Zoom in');
    const onPage3 = `view.page === '3' && view.zoom === '1.56' && view.canvas_renderedPage === '3'`;
    await waitForView(doctorPage, onPage3);
    await waitForView(patientPage, onPage3);
    await waitForText(patientPage, 'Dr. Jonas Weber is showing Lab results.pdf');
    for (const [who, page] of [
      ['doctor', doctorPage],
      ['patient', patientPage],
    ] as const) {
      // A corner of the page, away from its number: the page's own colour.
      assertColour(await viewerPixelAt(page, { x: 0.45, y: 0.55 }), pageColours[2]!, `${who}'s view of page 3`);
    }

    // The presenter's pointer and an arrow reach the patient.
    const viewport = await doctorPage.$('.viewer-viewport');
    await viewport!.scrollIntoView();
    const box = (await viewport!.boundingBox())!;
    await doctorPage.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await patientPage.waitForSelector('.presenter-pointer');
    await clickButton(doctorPage, 'Arrow');
    await doctorPage.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await doctorPage.mouse.down();
    await doctorPage.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
    await doctorPage.mouse.up();
    await patientPage.waitForSelector('.annotation-layer line.annotation');

    // Someone joining now lands on page 3 at that zoom.
    await tickCheckbox(doctorPage, 'The interpreter may see Lab results.pdf');
    const interpreterPage = await e2e.guestArrives(consultId, 'interpreter', 'Elena Petrova');
    await clickButton(doctorPage, 'Admit Elena Petrova');
    await waitForView(interpreterPage, onPage3);
    assertColour(await viewerPixelAt(interpreterPage, { x: 0.45, y: 0.55 }), pageColours[2]!, 'the late joiner’s view of page 3');
    await interpreterPage.waitForSelector('.annotation-layer line.annotation');

    await interpreterPage.screenshot({ path: screenshotPath('interpreter-page3.png'), fullPage: true });
    await doctorPage.screenshot({ path: screenshotPath('doctor-page3.png'), fullPage: true });
  });

  it('shows an image, then a DICOM series at the same slice and window, on every screen', async () => {
    const doctor = await createDoctor(e2e.server, 'Dr. Lena Vogel');
    const consultId = createConsult(e2e.server, doctor, false);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    const patientPage = await e2e.guestArrives(consultId, 'patient', 'Amira Haddad');
    await clickButton(doctorPage, 'Admit Amira Haddad');
    await patientPage.waitForSelector('main[data-phase="in-call"]');

    const teal = [20, 140, 150] as const;
    await clickButton(doctorPage, 'Documents');
    await chooseFile(doctorPage, scratchFile('Photo of ECG.png', solidPng(300, 200, teal)));
    await waitForText(doctorPage, 'Photo of ECG.png was added.');
    await clickButton(doctorPage, 'Show Photo of ECG.png to everyone');
    await clickButton(doctorPage, 'Zoom in');
    await waitForView(patientPage, `view.zoom === '1.25' && view.canvas_renderedPage === '1'`);
    assertColour(await viewerPixelAt(patientPage, { x: 0.5, y: 0.5 }), teal, 'the patient’s view of the image');

    // Slice i holds the value -200 + 100 i everywhere but a brighter corner.
    // Archives mix compressions: slices 1, 3 and 5 are JPEG lossless, JPEG-LS and JPEG 2000.
    await loadWasmEncoders();
    const compressed: Record<number, TransferSyntax> = { 1: 'jpeg-lossless', 3: 'jpeg-ls', 5: 'jpeg-2000' };
    const slices = dicomSeries(8, { transferSyntaxFor: (index) => compressed[index] ?? 'explicit-little' });
    await chooseFile(doctorPage, scratchFile('CT thorax.zip', await studyZip(slices.map((bytes, i) => ({ name: `CT/IM${i + 1}`, bytes })))));
    await waitForText(doctorPage, 'CT thorax.zip was added.');
    await clickButton(doctorPage, 'Show CT thorax.zip to everyone');
    await waitForView(doctorPage, `view.canvas_renderedSlice === '0'`);

    const viewer = await doctorPage.$('.viewer-viewport');
    await viewer!.focus();
    // One slice at a time, each drawn (in the file's window, 40/400) before the next: every compression is decoded in the browser.
    for (let slice = 1; slice <= 5; slice++) {
      await doctorPage.keyboard.press('PageDown');
      await waitForView(doctorPage, `view.canvas_renderedSlice === '${slice}'`);
      const shown = windowedGrey(-200 + slice * 100, { center: 40, width: 400 });
      assertColour(await viewerPixelAt(doctorPage, { x: 0.75, y: 0.75 }), [shown, shown, shown], `slice ${slice + 1} (${compressed[slice] ?? 'uncompressed'})`);
    }
    const center = await doctorPage.waitForSelector('::-p-aria(Window centre)');
    await center!.click({ count: 3 });
    await center!.type('250');
    const width = await doctorPage.waitForSelector('::-p-aria(Window width)');
    await width!.click({ count: 3 });
    await width!.type('200');

    const atSlice5 = `view.slice === '5' && view.canvas_renderedSlice === '5' && view.canvas_renderedWindow === '250/200'`;
    await waitForView(doctorPage, atSlice5);
    await waitForView(patientPage, atSlice5);
    const grey = windowedGrey(-200 + 5 * 100, { center: 250, width: 200 });
    for (const [who, page] of [
      ['doctor', doctorPage],
      ['patient', patientPage],
    ] as const) {
      assertColour(await viewerPixelAt(page, { x: 0.75, y: 0.75 }), [grey, grey, grey], `${who}'s slice 6 at window 250/200`);
    }
    assert.equal((await sharedView(patientPage))?.window, '250/200');
    // Window numbers are for clinicians: the patient sees them only after asking for the image settings.
    assert.ok(!(await patientPage.$eval('.viewer-position', (status) => status.textContent ?? '')).includes('Window centre'));
    await clickButton(patientPage, 'Image settings');
    await patientPage.waitForFunction(`document.querySelector('.viewer-position')?.textContent.includes('Window centre 250, width 200')`);
    await patientPage.screenshot({ path: screenshotPath('patient-dicom.png'), fullPage: true });
    await doctorPage.screenshot({ path: screenshotPath('doctor-dicom.png'), fullPage: true });
  });
});
