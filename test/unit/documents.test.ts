// Uploaded files: what they are (by their bytes), whether they are readable
// DICOM, how a study archive is unpacked, how the size limit cuts an upload
// off, and who may see what.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { maySee, mayRemove, mayUpload, type DocumentReader } from '../../server/documents/documentAccess';
import { inspectDicomFile, NotAnImage } from '../../server/documents/dicomInspector';
import { detectDocumentType } from '../../server/documents/fileType';
import { dicomHeaderLimits } from '../../server/documents/checkingLimits';
import { readDicomHeader } from '../../server/documents/dicomHeaderRead';
import { planStudyArchive, unpackStudy } from '../../server/documents/studyArchive';
import { receiveUpload } from '../../server/documents/uploadReceiver';
import { dicomImage, dicomSeries, studyZip, uniformPixels } from '../helpers/dicomFiles';
import { numberedPdf } from '../helpers/pdfFiles';
import { Refusal } from '../../shared/refusals';

/** The smallest valid PNG (1×1) and the start of a JFIF JPEG: enough for the signature. */
const png = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64), Buffer.from('ffd9', 'hex')]);

async function expectRefusal(action: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(action, (error: unknown) => {
    assert.ok(error instanceof Refusal, `a Refusal, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('uploaded documents', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'consilium-documents-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, bytes: Buffer | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  describe('type, by the bytes and not the name', () => {
    it('recognises PDF, JPEG, PNG, DICOM and zip', async () => {
      assert.deepEqual(await detectDocumentType(file('a', await numberedPdf(2))), { kind: 'pdf', mediaType: 'application/pdf', extension: 'pdf' });
      assert.equal((await detectDocumentType(file('b', jpeg))).mediaType, 'image/jpeg');
      assert.equal((await detectDocumentType(file('c', png))).mediaType, 'image/png');
      assert.equal((await detectDocumentType(file('d', dicomSeries(1)[0]!))).kind, 'dicom');
      assert.equal((await detectDocumentType(file('e', await studyZip([{ name: 'x.dcm', bytes: dicomSeries(1)[0]! }])))).kind, 'study-archive');
    });

    it('goes by the content when the name says otherwise', async () => {
      assert.equal((await detectDocumentType(file('scan.jpg', png))).mediaType, 'image/png');
    });

    it('refuses files that lie about their type', async () => {
      await expectRefusal(detectDocumentType(file('report.pdf', '<!doctype html><script>alert(1)</script>')), 'unsupported-type');
      await expectRefusal(detectDocumentType(file('scan.dcm', Buffer.alloc(2048, 7))), 'unsupported-type');
      await expectRefusal(detectDocumentType(file('photo.png', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))), 'unsupported-type', /gif/);
      // A DICOM data set without the Part 10 preamble and "DICM" cannot be told from noise.
      await expectRefusal(detectDocumentType(file('raw.dcm', dicomSeries(1)[0]!.subarray(132))), 'unsupported-type');
    });
  });

  describe('DICOM inspection', () => {
    const inspect = (bytes: Buffer) => inspectDicomFile(file(`${Math.random()}.dcm`, bytes));

    it('reads series, order and size, and nothing about the patient', async () => {
      const instance = await inspect(dicomImage({ rows: 32, columns: 48, pixels: uniformPixels(32, 48, 10), instanceNumber: 7, position: 12.5, seriesNumber: 3 }));
      assert.deepEqual(
        { rows: instance.rows, columns: instance.columns, frames: instance.frames, instance: instance.instanceNumber, position: instance.slicePosition, series: instance.seriesNumber },
        { rows: 32, columns: 48, frames: 1, instance: 7, position: 12.5, series: 3 },
      );
      assert.ok(!JSON.stringify(instance).includes('Patient'), 'no patient name is read');
    });

    it('reads implicit little endian, RLE-compressed and deflated files', async () => {
      for (const transferSyntax of ['implicit-little', 'rle', 'deflated'] as const) {
        assert.equal((await inspect(dicomImage({ rows: 8, columns: 8, pixels: uniformPixels(8, 8, 1), transferSyntax, instanceNumber: 4 }))).instanceNumber, 4, transferSyntax);
      }
    });

    it('refuses a DICOM file without an image, a damaged one and an impossible size', async () => {
      await assert.rejects(inspect(dicomImage({ rows: 8, columns: 8, pixels: [], withoutPixels: true })), NotAnImage);
      const damaged = Buffer.concat([dicomSeries(1)[0]!.subarray(0, 140), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0x7f])]);
      await expectRefusal(inspect(damaged), 'unsupported-type');
      const cutShort = dicomImage({ rows: 8, columns: 8, pixels: [], seriesDescription: 'x'.repeat(200) });
      await expectRefusal(inspect(cutShort.subarray(0, 300)), 'unsupported-type', /ends/);
      await expectRefusal(inspect(dicomImage({ rows: 0, columns: 8, pixels: [] })), 'unsupported-type', /impossible size/);
    });
  });

  describe('DICOM header budget', () => {
    const budget = { maxHeaderBytes: 1024 * 1024, maxElements: 1000, maxDepth: 4 };

    it('reads only the header of a large file, never its pixels', async () => {
      const rows = 2048;
      const path = file('large.dcm', dicomImage({ rows, columns: rows, pixels: uniformPixels(rows, rows, 7) }));
      const header = await readDicomHeader(path, dicomHeaderLimits);
      assert.equal(header.scan.kind, 'found');
      assert.ok(header.bytesRead <= 64 * 1024, `read ${header.bytesRead} of ${rows * rows * 2} bytes`);
      assert.equal((await inspectDicomFile(path)).rows, rows);
    });

    it('counts every element, nested ones included, and refuses past the budget before parsing', async () => {
      const within = dicomImage({ rows: 4, columns: 4, pixels: [], privateElements: 900 });
      assert.equal((await inspectDicomFile(file('within.dcm', within), budget)).rows, 4);
      await expectRefusal(inspectDicomFile(file('flat.dcm', dicomImage({ rows: 4, columns: 4, pixels: [], privateElements: 1200 })), budget), 'file-too-complex', /more than 1000 data elements/);
      const nested = dicomImage({ rows: 4, columns: 4, pixels: [], privateSequence: { items: 300, elementsPerItem: 3 } });
      await expectRefusal(inspectDicomFile(file('nested.dcm', nested), budget), 'file-too-complex', /more than 1000 data elements/);
      const deep = dicomImage({ rows: 4, columns: 4, pixels: [], privateSequence: { items: 1, elementsPerItem: 1, depth: 6 } });
      await expectRefusal(inspectDicomFile(file('deep.dcm', deep), budget), 'file-too-complex', /nests sequences/);
    });

    it('refuses a header larger than the byte budget, reading no more than the budget', async () => {
      const bloated = dicomImage({ rows: 4, columns: 4, pixels: [], seriesDescription: 'x'.repeat(60_000), privateBlobBytes: 2 * 1024 * 1024 });
      await expectRefusal(inspectDicomFile(file('bloated.dcm', bloated), budget), 'file-too-complex', /header is larger/);
    });

    it('finds the header in a deflated data set without inflating the pixels', async () => {
      const rows = 1024;
      const deflated = dicomImage({ rows, columns: rows, pixels: uniformPixels(rows, rows, 3), transferSyntax: 'deflated' });
      assert.ok(deflated.length < rows * rows, 'the test file is compressed');
      const header = await readDicomHeader(file('deflated.dcm', deflated), dicomHeaderLimits);
      assert.equal(header.scan.kind, 'found');
      assert.ok(header.bytes.length < 4096, `kept ${header.bytes.length} bytes of header`);
    });
  });

  describe('study archives', () => {
    const limits = { maxEntryBytes: 10 * 1024 * 1024 };
    const unpack = async (zipPath: string, out: string) => unpackStudy(zipPath, out, await planStudyArchive(zipPath, limits), limits);

    it('unpacks the DICOM images in viewing order and leaves out everything else', async () => {
      const [first, second, third] = dicomSeries(3);
      const dicomdir = dicomImage({ rows: 1, columns: 1, pixels: [], withoutPixels: true });
      const zip = await studyZip([
        { name: 'STUDY/IM3', bytes: third! },
        { name: 'README.TXT', bytes: Buffer.from('Exported by an imaging portal. '.repeat(10)) },
        { name: 'STUDY/IM1', bytes: first! },
        { name: 'DICOMDIR', bytes: dicomdir },
        { name: 'STUDY/IM2', bytes: second! },
        // A viewer program on the CD: large, compressible, and never unpacked.
        { name: 'VIEWER/VIEWER.EXE', bytes: Buffer.alloc(30 * 1024 * 1024, 0x90) },
      ]);
      const zipPath = file('study.zip', zip);
      const plan = await planStudyArchive(zipPath, limits);
      assert.equal(plan.entryOffsets.length, 4, 'the images and the DICOMDIR are candidates');
      assert.equal(plan.bytes, first!.length + second!.length + third!.length + dicomdir.length);
      const out = join(dir, 'study');
      mkdirSync(out);
      const study = await unpackStudy(zipPath, out, plan, limits);
      assert.deepEqual(study.images.map((image) => image.instance.instanceNumber), [1, 2, 3]);
      assert.equal(study.skipped, 3);
      assert.equal(study.bytes, first!.length + second!.length + third!.length);
      assert.equal(readdirSync(out).length, 3, 'only the images are kept');
    });

    it('refuses an archive with no DICOM image or a damaged one', async () => {
      const out = join(dir, 'out');
      mkdirSync(out);
      await expectRefusal(unpack(file('a.zip', await studyZip([{ name: 'a.txt', bytes: Buffer.alloc(500, 65) }])), out), 'unsupported-type', /no DICOM images/);
      await expectRefusal(unpack(file('b.zip', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100)])), out), 'unsupported-type');
    });

    it('refuses a zip bomb and an entry over the entry limit before unpacking it', async () => {
      // A valid DICOM image of 64 MiB of zeros: deflate shrinks it about a thousand times.
      const rows = 4096;
      const bomb = await studyZip([{ name: 'IM1', bytes: dicomImage({ rows, columns: rows * 2, pixels: [] }) }]);
      assert.ok(bomb.length < 256 * 1024, `the bomb is ${bomb.length} bytes`);
      await expectRefusal(planStudyArchive(file('bomb.zip', bomb), { maxEntryBytes: 1024 * 1024 * 1024 }), 'archive-unsafe', /times its compressed size/);
      const [image] = dicomSeries(1, { rows: 256, columns: 256 });
      const stored = await studyZip([{ name: 'IM1', bytes: image! }], { compress: false });
      await expectRefusal(planStudyArchive(file('big.zip', stored), { maxEntryBytes: 64 * 1024 }), 'archive-unsafe', /unpacks to more than 65536 bytes/);
    });
  });

  describe('receiving an upload', () => {
    const limit = (maxBytes: number) => ({ maxBytes, refusal: () => new Refusal('file-too-large', 'too large') });

    it('stores a body up to the limit', async () => {
      const size = await receiveUpload(Readable.from([Buffer.alloc(600), Buffer.alloc(400)]), join(dir, 'ok'), limit(1000));
      assert.equal(size, 1000);
    });

    it('cuts off a body over the limit while it streams, leaving no file behind', async () => {
      let produced = 0;
      // An endless body: only a limit enforced while streaming can stop it.
      const endless = new Readable({
        read() {
          produced += 1024;
          this.push(Buffer.alloc(1024));
        },
      });
      await expectRefusal(receiveUpload(endless, join(dir, 'big'), limit(10_000)), 'file-too-large');
      assert.ok(produced < 200_000, `stopped reading early (read ${produced} bytes)`);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('refuses an empty file', async () => {
      await expectRefusal(receiveUpload(Readable.from([]), join(dir, 'empty'), limit(10)), 'invalid-payload', /empty/);
      assert.deepEqual(readdirSync(dir), []);
    });
  });

  describe('access', () => {
    const fromPatient = { interpreterAllowed: false, uploader: { role: 'patient' as const, displayName: 'Amira', linkId: 'patient-link' } };
    const shared = { interpreterAllowed: true, uploader: { role: 'doctor' as const, displayName: 'Dr. Weber', linkId: null } };
    const notShared = { ...shared, interpreterAllowed: false };
    const doctor: DocumentReader = { role: 'doctor', admitted: true, linkId: null };
    const patientInCall: DocumentReader = { role: 'patient', admitted: true, linkId: 'patient-link' };
    const patientWaiting: DocumentReader = { ...patientInCall, admitted: false };
    const otherPatientLink: DocumentReader = { role: 'patient', admitted: true, linkId: 'another-link' };
    const interpreterInCall: DocumentReader = { role: 'interpreter', admitted: true, linkId: 'interpreter-link' };
    const interpreterWaiting: DocumentReader = { ...interpreterInCall, admitted: false };

    it('lets the doctor see everything and remove anything', () => {
      for (const document of [fromPatient, shared, notShared]) {
        assert.ok(maySee(doctor, document));
        assert.ok(mayRemove(doctor, document));
      }
    });

    it('shows a waiting patient only what they uploaded', () => {
      assert.ok(maySee(patientWaiting, fromPatient));
      assert.ok(!maySee(patientWaiting, shared));
      assert.ok(mayRemove(patientWaiting, fromPatient));
      assert.ok(!mayRemove(patientWaiting, shared));
    });

    it('shows the patient in the call everything, and the interpreter only what the doctor shared', () => {
      assert.ok(maySee(patientInCall, notShared));
      assert.ok(maySee(otherPatientLink, fromPatient));
      assert.ok(!mayRemove(otherPatientLink, fromPatient));
      assert.ok(maySee(interpreterInCall, shared));
      assert.ok(!maySee(interpreterInCall, notShared));
      assert.ok(!maySee(interpreterInCall, fromPatient));
      assert.ok(!maySee(interpreterWaiting, shared));
    });

    it('lets patients and doctors upload, not interpreters', () => {
      assert.ok(mayUpload(patientWaiting));
      assert.ok(mayUpload(doctor));
      assert.ok(!mayUpload(interpreterInCall));
    });
  });
});
