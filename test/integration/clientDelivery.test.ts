// How the built client reaches a patient's phone on mobile data (issue 13):
// compressed (brotli, else gzip, else plain for a client that takes neither),
// hashed assets cached for good and the page revalidated, no source maps,
// and the patient's link page held to a budget of bytes loaded before it is
// interactive. Runs against dist/client as `npm test` builds it
// (scripts/setup.mjs); vite.config.ts writes the compressed twins.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { startTestServer, testConfig } from '../helpers/testServer';

/**
 * Bytes as sent with brotli (kB of 1024 bytes) of index.html, the entry script, the scripts it
 * imports statically and its stylesheet: 118 kB measured when the call, the doctor's pages, the
 * document viewer, the DICOM parser, pdf.js and the languages other than English became chunks
 * of their own (before, all in one script: 210 kB with brotli, 248 kB with gzip, and 938 kB as
 * the server sent it, uncompressed), plus about 15 % headroom. What remains is mostly React DOM,
 * zod (the shared schemas) and i18next with the English texts.
 */
const linkPageBudget = 136 * 1024;

/** Chunks that the link page must fetch only when they are needed, by the names Vite gives them. */
const onDemandOnly = /^\/assets\/(CallScreen|DocumentViewer|dicomStudy|pdfjs|pdf\.worker|charlswasm|openjpegwasm|DashboardPage|LoginPage|RegisterPage|DoctorJoinPage|(de|fr|es|ru|ar))-/;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET as sent on the wire: fetch would ask for compression itself and decode the answer. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

function varies(response: RawResponse): boolean {
  return /(^|,)\s*accept-encoding\s*(,|$)/i.test(String(response.headers.vary ?? ''));
}

describe('delivering the client to phones on mobile data', function () {
  this.timeout(30_000);
  const clientDir = testConfig().clientDir;
  let server: ConsiliumServer;
  let indexHtml: string;
  let entry: string;

  before(async function () {
    if (!existsSync(join(clientDir, 'index.html'))) assert.fail('the client is not built; npm test builds it through scripts/setup.mjs');
    indexHtml = readFileSync(join(clientDir, 'index.html'), 'utf8');
    const found = /<script type="module"[^>]*\ssrc="(\/assets\/[^"]+\.js)"/.exec(indexHtml)?.[1];
    assert.ok(found, `index.html names no entry script:\n${indexHtml}`);
    entry = found;
    assert.ok(existsSync(join(clientDir, `${entry}.br`)), `${entry} has no .br twin: the client was built before vite.config.ts compressed it; run npm run build`);
    server = await startTestServer();
  });

  after(async () => {
    await server?.close();
  });

  /** The scripts and stylesheets the page loads before its first screen: what index.html names, and what those scripts import statically. */
  function loadedUpFront(): string[] {
    const named = [...indexHtml.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    const found = new Set(named);
    const queue = named.filter((path) => path.endsWith('.js'));
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const code = readFileSync(join(clientDir, path), 'utf8');
      // Minified static imports: `import{a as b}from"./x.js"` and `import"./x.js"`; dynamic import("./x.js") has a parenthesis.
      for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)) {
        const imported = `/assets/${match[1] ?? ''}`;
        if (found.has(imported)) continue;
        found.add(imported);
        queue.push(imported);
      }
    }
    return [...found];
  }

  it('sends the entry script as brotli to browsers that take it, gzip to those that take only gzip, plain to the rest', async () => {
    const original = readFileSync(join(clientDir, entry));
    const chromium = await rawGet(server.port, entry, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(chromium.status, 200);
    assert.equal(chromium.headers['content-encoding'], 'br', 'brotli is preferred even where gzip is listed first');
    assert.match(String(chromium.headers['content-type']), /^text\/javascript/);
    assert.ok(varies(chromium), `Vary: ${chromium.headers.vary}`);
    assert.ok(brotliDecompressSync(chromium.body).equals(original), 'the brotli body is the script');
    assert.ok(chromium.body.length < original.length / 3, `brotli: ${chromium.body.length} of ${original.length} bytes`);

    for (const acceptEncoding of ['gzip', 'br;q=0, gzip']) {
      const gzipOnly = await rawGet(server.port, entry, { 'accept-encoding': acceptEncoding });
      assert.equal(gzipOnly.headers['content-encoding'], 'gzip', acceptEncoding);
      assert.match(String(gzipOnly.headers['content-type']), /^text\/javascript/);
      assert.ok(varies(gzipOnly), `Vary: ${gzipOnly.headers.vary}`);
      assert.ok(gunzipSync(gzipOnly.body).equals(original), 'the gzip body is the script');
    }

    const plainOnly: Record<string, string>[] = [{}, { 'accept-encoding': 'identity' }];
    for (const headers of plainOnly) {
      const plain = await rawGet(server.port, entry, headers);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['content-encoding'], undefined, JSON.stringify(headers));
      assert.ok(varies(plain), 'the plain copy varies too, so that no cache hands it a compressed one');
      assert.ok(plain.body.equals(original));
    }
  });

  it('caches hashed assets for a year, asks again for the page, and for an hour for the rest', async () => {
    const asset = await rawGet(server.port, entry, { 'accept-encoding': 'br' });
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const stylesheet = /href="(\/assets\/[^"]+\.css)"/.exec(indexHtml)?.[1];
    assert.ok(stylesheet);
    assert.equal((await rawGet(server.port, stylesheet)).headers['cache-control'], 'public, max-age=31536000, immutable');

    for (const path of ['/join', '/', '/dashboard', '/index.html']) {
      const page = await rawGet(server.port, path, { 'accept-encoding': 'gzip, br' });
      assert.equal(page.status, 200, path);
      assert.equal(page.headers['cache-control'], 'no-cache', path);
      assert.match(String(page.headers['content-type']), /^text\/html/, path);
      // Checked again on every visit, but only a 304 comes back while the build is the same.
      const again = await rawGet(server.port, path, { 'accept-encoding': 'gzip, br', 'if-none-match': String(page.headers.etag) });
      assert.equal(again.status, 304, path);
    }

    const font = readdirSync(join(clientDir, 'pdfjs', 'standard_fonts')).find((name) => /\.(pfb|ttf)$/.test(name));
    assert.ok(font);
    const pdfjsAsset = await rawGet(server.port, `/pdfjs/standard_fonts/${font}`, { 'accept-encoding': 'br' });
    assert.equal(pdfjsAsset.status, 200);
    assert.equal(pdfjsAsset.headers['cache-control'], 'public, max-age=3600');
  });

  it('publishes no source map', async () => {
    const served = readdirSync(clientDir, { recursive: true, encoding: 'utf8' });
    assert.deepEqual(
      served.filter((name) => name.endsWith('.map')),
      [],
      'source maps belong in dist/sourcemaps',
    );
    assert.doesNotMatch(readFileSync(join(clientDir, entry), 'utf8'), /sourceMappingURL/);
    for (const path of [`${entry}.map`, '/assets/index.js.map', `${entry}.br`, `${entry}.gz`]) {
      assert.equal((await rawGet(server.port, path)).status, 404, path);
    }
  });

  it(`keeps the patient's link page within ${linkPageBudget / 1024} kB (brotli) before it is interactive`, async () => {
    const files = loadedUpFront();
    const early = files.filter((path) => onDemandOnly.test(path));
    assert.deepEqual(early, [], 'the link page loads up front what it should fetch only when needed (a static import where a dynamic one belongs?)');
    const sizes = await Promise.all(
      ['/join', ...files].map(async (path) => {
        const response = await rawGet(server.port, path, { 'accept-encoding': 'gzip, deflate, br, zstd' });
        assert.equal(response.status, 200, path);
        return { path, bytes: response.body.length };
      }),
    );
    const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
    const listing = sizes.map(({ path, bytes }) => `  ${path}: ${(bytes / 1024).toFixed(1)} kB`).join('\n');
    assert.ok(
      total <= linkPageBudget,
      `the patient's link page now loads ${(total / 1024).toFixed(1)} kB (brotli) before it is interactive, over its budget of ` +
        `${linkPageBudget / 1024} kB (linkPageBudget in test/integration/clientDelivery.test.ts):\n${listing}\n` +
        'Load what the first screen does not show with a dynamic import() (see client/components/LazyPart.tsx); ' +
        'raise the budget only for something every patient needs before they can join.',
    );
  });
});
