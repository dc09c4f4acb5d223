// The viewer's DICOM decoding and windowing, and the shared-view geometry:
// both decide what people see, so both are checked against hand-computed
// values.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { decodeRle, defaultWindow, parseDicomImage, renderFrame, windowedGrey, type DicomFrame, type WasmCodec } from '../../client/documents/dicomImage';
import { UnsupportedDicom } from '../../client/documents/unsupportedDicom';
import { decodeJpegLossless } from '../../client/documents/jpegLosslessFrame';
import { decodeWithModule, WasmCodecs, type WasmCodecModule } from '../../client/documents/wasmCodecDecoding';
import { pagePointAt, pageRect, panned, zoomed } from '../../client/documents/viewport';
import { initialDocumentView } from '../../shared/documents';
import { dicomImage, uniformPixels } from '../helpers/dicomFiles';
import { encodeJpegLossless } from '../helpers/jpegLossless';
import { encodeWithWasm, loadWasmEncoders } from '../helpers/wasmEncoders';

const require = createRequire(import.meta.url);

/** The decoders the browser loads, here from the same packages' Node builds. */
function loadDecoder(name: string): Promise<WasmCodecModule> {
  return (require(name) as (options: object) => Promise<WasmCodecModule>)({ print: () => undefined, printErr: () => undefined });
}

function readyFrame(bytes: Buffer, index = 0): DicomFrame {
  const source = parseDicomImage(bytes).frame(index);
  assert.equal(source.kind, 'ready');
  return source.frame;
}

describe('DICOM in the viewer', () => {
  it('applies the modality rescale to signed stored values', () => {
    const frame = readyFrame(dicomImage({ rows: 2, columns: 2, pixels: [-1000, 0, 40, 3000], rescale: { slope: 2, intercept: -24 } }));
    assert.deepEqual([...(frame.values ?? [])], [-2024, -24, 56, 5976]);
    assert.deepEqual(frame.range, { min: -2024, max: 5976 });
  });

  it('maps values through the window with DICOM’s linear function', () => {
    const window = { center: 40, width: 400 };
    assert.equal(windowedGrey(-160.5, window), 0, 'at and below the window: black');
    assert.equal(windowedGrey(239.5, window), 255, 'above the window: white');
    assert.equal(windowedGrey(39.5, window), 128, 'the centre: mid-grey');
    assert.equal(windowedGrey(140, window), Math.round(((140 - 39.5) / 399 + 0.5) * 255));
  });

  it('renders grey pixels, inverted for MONOCHROME1, and starts from the window in the file', () => {
    const bytes = dicomImage({ rows: 1, columns: 3, pixels: [-200, 40, 300], window: { center: 40, width: 400 } });
    const frame = readyFrame(bytes);
    assert.deepEqual(defaultWindow(frame), { center: 40, width: 400 });
    const grey = [...renderFrame(frame, defaultWindow(frame)).data].filter((_, i) => i % 4 === 0);
    assert.deepEqual(grey, [0, 128, 255]);
    const inverted = readyFrame(dicomImage({ rows: 1, columns: 3, pixels: [-200, 40, 300], window: { center: 40, width: 400 }, photometric: 'MONOCHROME1' }));
    assert.deepEqual([...renderFrame(inverted, defaultWindow(inverted)).data].filter((_, i) => i % 4 === 0), [255, 127, 0]);
  });

  it('spans the values present when the file has no window', () => {
    const frame = readyFrame(dicomImage({ rows: 1, columns: 2, pixels: [100, 300] }));
    assert.deepEqual(defaultWindow(frame), { center: 200, width: 200 });
  });

  it('decodes implicit little endian, RLE and JPEG lossless to the same values as the uncompressed file', () => {
    const pixels = uniformPixels(16, 16, -300, 1200);
    const expected = [...(readyFrame(dicomImage({ rows: 16, columns: 16, pixels })).values ?? [])];
    for (const transferSyntax of ['implicit-little', 'rle', 'jpeg-lossless'] as const) {
      assert.deepEqual([...(readyFrame(dicomImage({ rows: 16, columns: 16, pixels, transferSyntax })).values ?? [])], expected, transferSyntax);
    }
  });

  it('decodes JPEG lossless exactly, across the whole signed range', () => {
    // Every difference category the coder has, including the jump of 32768 and back.
    const pixels = [-32768, 32767, -32768, 0, 1, -1, 2, -3, 1000, -1000, 4095, -2048, 12345, -12345, 32767, 32767];
    const bytes = dicomImage({ rows: 4, columns: 4, pixels, transferSyntax: 'jpeg-lossless' });
    assert.deepEqual([...(readyFrame(bytes).values ?? [])], pixels);
  });

  describe('through the WebAssembly codecs', () => {
    const codecs = new Map<WasmCodec, WasmCodecModule>();
    before(async () => {
      await loadWasmEncoders();
      codecs.set('jpeg-ls', await loadDecoder('@cornerstonejs/codec-charls/decodewasmjs'));
      codecs.set('jpeg-2000', await loadDecoder('@cornerstonejs/codec-openjpeg/decodewasmjs'));
    });

    function decodedFrame(bytes: Buffer): DicomFrame {
      const source = parseDicomImage(bytes).frame(0);
      assert.equal(source.kind, 'codec');
      const module = codecs.get(source.codec);
      assert.ok(module);
      return source.finish(decodeWithModule(module, source.bytes));
    }

    for (const transferSyntax of ['jpeg-ls', 'jpeg-2000'] as const) {
      it(`decodes ${transferSyntax} to the stored values exactly`, () => {
        const pixels = Array.from({ length: 32 * 32 }, (_, i) => ((i * 7919) % 4096) - 2048);
        assert.deepEqual([...(decodedFrame(dicomImage({ rows: 32, columns: 32, pixels, transferSyntax })).values ?? [])], pixels);
      });
    }

    it('refuses a frame that is not what the file says, or is not an image at all', () => {
      const other = dicomImage({ rows: 32, columns: 32, pixels: uniformPixels(32, 32, 100), transferSyntax: 'jpeg-2000' });
      const source = parseDicomImage(other).frame(0);
      assert.equal(source.kind, 'codec');
      const module = codecs.get('jpeg-2000');
      assert.ok(module);
      const decoded = decodeWithModule(module, source.bytes);
      assert.throws(() => source.finish({ ...decoded, info: { ...decoded.info, width: 16 } }), /damaged/);
      const jpegLs = codecs.get('jpeg-ls');
      assert.ok(jpegLs);
      assert.throws(() => decodeWithModule(jpegLs, Uint8Array.from([0xff, 0xd8, 1, 2, 3])), /damaged/);
    });

    it('says when JPEG-LS gives colour planes one after another', () => {
      const planes = Uint8Array.from({ length: 3 * 64 }, (_, i) => (i < 64 ? 200 : i < 128 ? 100 : 30) + (i % 8));
      const stream = encodeWithWasm('jpeg-ls', planes, { width: 8, height: 8, bitsPerSample: 8, componentCount: 3, isSigned: false }, 0);
      const jpegLs = codecs.get('jpeg-ls');
      assert.ok(jpegLs);
      const decoded = decodeWithModule(jpegLs, stream);
      assert.equal(decoded.planar, true);
      assert.deepEqual([...decoded.samples], [...planes]);
    });

    it('starts a fresh codec after failures, which leak the module’s stack', async () => {
      const pixels = Buffer.alloc(32 * 32 * 2);
      for (let i = 0; i < 32 * 32; i++) pixels.writeUInt16LE((i * 7919) % 4096, i * 2);
      const stream = encodeWithWasm('jpeg-ls', pixels, { width: 32, height: 32, bitsPerSample: 16, componentCount: 1, isSigned: false });
      let loads = 0;
      const wasm = new WasmCodecs<WasmCodec>((codec) => {
        loads++;
        return loadDecoder(codec === 'jpeg-ls' ? '@cornerstonejs/codec-charls/decodewasmjs' : '@cornerstonejs/codec-openjpeg/decodewasmjs');
      });
      // One CharLS module survives about 275 cut-short frames; a fresh one after each failure never gets near.
      const failures = 5;
      for (let i = 0; i < failures; i++) await assert.rejects(wasm.decode('jpeg-ls', stream.subarray(0, stream.length / 2)), /damaged/);
      const decoded = await wasm.decode('jpeg-ls', stream);
      assert.deepEqual([...decoded.samples], [...pixels]);
      assert.equal(loads, failures + 1, 'one load to begin with, and a fresh one after each failure');
      await wasm.decode('jpeg-ls', stream);
      assert.equal(loads, failures + 1, 'a module that decodes is kept');
    });
  });

  it('refuses a damaged, cut-short or mismatched JPEG lossless frame instead of showing garbage', () => {
    const expected = { rows: 16, columns: 16, samples: 1, bitsAllocated: 16 };
    assert.throws(() => decodeJpegLossless(Uint8Array.from([0xff, 0xd8, 0xff, 0xc3, 0x00]), expected), /damaged/);
    assert.throws(() => decodeJpegLossless(Uint8Array.from([1, 2, 3, 4]), expected), /damaged/);
    const pixels = Array.from({ length: 256 }, (_, i) => (i * 7919) % 65536);
    const stream = encodeJpegLossless(pixels, 16, 16);
    assert.deepEqual([...new Uint16Array(new Uint8Array(decodeJpegLossless(stream, expected)).buffer)], pixels, 'the whole stream decodes');
    const cut = stream.subarray(0, stream.length - 40);
    assert.throws(() => decodeJpegLossless(cut, expected), /truncated/, 'a scan cut short');
    assert.throws(() => decodeJpegLossless(Buffer.concat([cut, Buffer.from([0xff, 0xd9])]), expected), /truncated/, 'cut short, with an end marker');
    assert.throws(() => decodeJpegLossless(stream, { ...expected, rows: 8, columns: 8 }), /damaged/, 'a larger image than the file says');
    assert.throws(() => decodeJpegLossless(stream, { ...expected, samples: 3 }), /damaged/, 'other components than the file says');
  });

  it('reads only the stored bits, and their sign', () => {
    // 12 bits stored in 16: the high nibble is ignored; 0xC18 is -1000 and 0x800 is -2048 in 12-bit two's complement.
    const signed = readyFrame(dicomImage({ rows: 1, columns: 4, pixels: [0x5c18, 0x07ff, 0x3800, 0], signed: true, bitsStored: 12 }));
    assert.deepEqual([...(signed.values ?? [])], [-1000, 2047, -2048, 0]);
    const unsigned = readyFrame(dicomImage({ rows: 1, columns: 2, pixels: [0x7fff, 0x1234], signed: false, bitsStored: 12 }));
    assert.deepEqual([...(unsigned.values ?? [])], [0xfff, 0x234]);
  });

  it('refuses malformed RLE instead of showing garbage', () => {
    const header = new Uint8Array(64);
    new DataView(header.buffer).setUint32(0, 7, true);
    assert.throws(() => decodeRle(header, 32, 2, 1), /malformed-rle/);
  });

  it('names a compression it cannot show yet', () => {
    const htj2k = dicomImage({ rows: 2, columns: 2, pixels: [1, 2, 3, 4], claimedTransferSyntaxUid: '1.2.840.10008.1.2.4.201' });
    assert.throws(() => parseDicomImage(htj2k), (error: unknown) => {
      assert.deepEqual((error as UnsupportedDicom).problem, { reason: 'compression', name: 'HTJ2K' });
      return true;
    });
    assert.throws(() => parseDicomImage(Buffer.from('not a DICOM file at all')), /damaged/);
  });
});

describe('shared view geometry', () => {
  const viewer = { width: 800, height: 600 };
  const a4 = { width: 595, height: 842 };

  it('fits the whole page at zoom 1, centred', () => {
    const rect = pageRect(viewer, a4, initialDocumentView);
    assert.ok(Math.abs(rect.height - 600) < 1e-9);
    assert.ok(Math.abs(rect.left + rect.width / 2 - 400) < 1e-9);
  });

  it('puts the same page point in the middle on screens of any size', () => {
    const view = { ...initialDocumentView, zoom: 3, center: { x: 0.3, y: 0.7 } };
    for (const screen of [viewer, { width: 1920, height: 1080 }, { width: 375, height: 700 }]) {
      const rect = pageRect(screen, a4, view);
      const middle = pagePointAt(rect, screen.width / 2, screen.height / 2);
      assert.ok(middle && Math.abs(middle.x - 0.3) < 1e-9 && Math.abs(middle.y - 0.7) < 1e-9, JSON.stringify(screen));
    }
  });

  it('pans and zooms within bounds', () => {
    const view = zoomed(initialDocumentView, 2);
    assert.equal(view.zoom, 2);
    const rect = pageRect(viewer, a4, view);
    const moved = panned(view, rect, -rect.width / 4, 0);
    assert.ok(Math.abs(moved.center.x - 0.75) < 1e-9);
    assert.equal(panned(moved, rect, -10 * rect.width, 0).center.x, 1, 'never past the edge of the page');
    assert.deepEqual(zoomed(moved, 0.25).center, { x: 0.5, y: 0.5 }, 'zoomed out, the page is centred');
    assert.equal(zoomed(initialDocumentView, 1000).zoom, 16);
  });
});
