// Uploaded files: what they are (by their bytes), whether they are readable
// DICOM, how a study archive is unpacked, how the size limit cuts an upload
// off, and who may see what.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { maySee, mayRemove, mayUpload, type DocumentReader } from '../../server/documents/documentAccess';
import { ApiRefusal } from '../../server/http/apiRefusal';
import { inspectDicom, NotAnImage } from '../../server/documents/dicomInspector';
import { detectDocumentType } from '../../server/documents/fileType';
import { unpackStudy } from '../../server/documents/studyArchive';
import { receiveUpload } from '../../server/documents/uploadReceiver';
import { dicomImage, dicomSeries, studyZip, uniformPixels } from '../helpers/dicomFiles';
import { numberedPdf } from '../helpers/pdfFiles';

/** The smallest valid PNG (1×1) and the start of a JFIF JPEG: enough for the signature. */
const png = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64), Buffer.from('ffd9', 'hex')]);

async function expectRefusal(action: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(action, (error: unknown) => {
    assert.ok(error instanceof ApiRefusal, `a ApiRefusal, got ${String(error)}`);
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
    it('reads series, order and size, and nothing about the patient', () => {
      const instance = inspectDicom(dicomImage({ rows: 32, columns: 48, pixels: uniformPixels(32, 48, 10), instanceNumber: 7, position: 12.5, seriesNumber: 3 }));
      assert.deepEqual(
        { rows: instance.rows, columns: instance.columns, frames: instance.frames, instance: instance.instanceNumber, position: instance.slicePosition, series: instance.seriesNumber },
        { rows: 32, columns: 48, frames: 1, instance: 7, position: 12.5, series: 3 },
      );
      assert.ok(!JSON.stringify(instance).includes('Patient'), 'no patient name is read');
    });

    it('reads implicit little endian and RLE-compressed files', () => {
      for (const transferSyntax of ['implicit-little', 'rle'] as const) {
        assert.equal(inspectDicom(dicomImage({ rows: 8, columns: 8, pixels: uniformPixels(8, 8, 1), transferSyntax })).rows, 8);
      }
    });

    it('refuses a DICOM file without an image, a damaged one and an impossible size', () => {
      assert.throws(() => inspectDicom(dicomImage({ rows: 8, columns: 8, pixels: [], withoutPixels: true })), NotAnImage);
      const damaged = Buffer.concat([dicomSeries(1)[0]!.subarray(0, 140), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0x7f])]);
      assert.throws(() => inspectDicom(damaged), (error: unknown) => error instanceof ApiRefusal && error.code === 'unsupported-type');
      assert.throws(() => inspectDicom(dicomImage({ rows: 0, columns: 8, pixels: [] })), /impossible size/);
    });
  });

  describe('study archives', () => {
    it('unpacks the DICOM images in viewing order and leaves out everything else', async () => {
      const [first, second, third] = dicomSeries(3);
      const zip = await studyZip([
        { name: 'STUDY/IM3', bytes: third! },
        { name: 'README.TXT', bytes: Buffer.from('Exported by an imaging portal. '.repeat(10)) },
        { name: 'STUDY/IM1', bytes: first! },
        { name: 'DICOMDIR', bytes: dicomImage({ rows: 1, columns: 1, pixels: [], withoutPixels: true }) },
        { name: 'STUDY/IM2', bytes: second! },
      ]);
      const out = join(dir, 'study');
      mkdirSync(out);
      const study = await unpackStudy(file('study.zip', zip), out, 10_000_000);
      assert.deepEqual(study.images.map((image) => image.instance.instanceNumber), [1, 2, 3]);
      assert.equal(study.skipped, 2);
      assert.equal(study.bytes, first!.length + second!.length + third!.length);
      assert.equal(readdirSync(out).length, 3, 'only the images are kept');
    });

    it('refuses an archive with no DICOM image, a damaged one, and one larger than the space left', async () => {
      const out = join(dir, 'out');
      mkdirSync(out);
      await expectRefusal(unpackStudy(file('a.zip', await studyZip([{ name: 'a.txt', bytes: Buffer.alloc(500, 65) }])), out, 1e7), 'unsupported-type', /no DICOM images/);
      await expectRefusal(unpackStudy(file('b.zip', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100)])), out, 1e7), 'unsupported-type');
      const big = await studyZip(dicomSeries(3).map((bytes, i) => ({ name: `${i}.dcm`, bytes })));
      await expectRefusal(unpackStudy(file('c.zip', big), out, 10_000), 'storage-full');
    });
  });

  describe('receiving an upload', () => {
    const limit = (maxBytes: number) => ({ maxBytes, refusal: () => new ApiRefusal('file-too-large', 'too large') });

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
