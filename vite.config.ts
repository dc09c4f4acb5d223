import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** pdf.js's fonts, character maps, colour profiles and image decoders (client/documents/pdfjs.ts). */
const pdfjsAssetFolders = ['cmaps', 'standard_fonts', 'wasm', 'iccs'];
const pdfjsRoot = join(import.meta.dirname, 'node_modules', 'pdfjs-dist');

/**
 * Serves pdf.js's assets from our own origin under /pdfjs/, in the built
 * client and in the dev server: no PDF ever makes the page fetch from a
 * third party.
 */
function pdfjsAssets(): Plugin {
  return {
    name: 'consilium-pdfjs-assets',
    generateBundle() {
      for (const folder of pdfjsAssetFolders) {
        for (const name of readdirSync(join(pdfjsRoot, folder))) {
          if (name.startsWith('LICENSE')) continue;
          this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${name}`, source: readFileSync(join(pdfjsRoot, folder, name)) });
        }
      }
    },
    configureServer(server) {
      server.middlewares.use('/pdfjs', (request, response, next) => {
        const [folder, name] = (request.url ?? '').split('?')[0]?.split('/').filter(Boolean) ?? [];
        const path = folder && name && pdfjsAssetFolders.includes(folder) && !name.includes('..') ? join(pdfjsRoot, folder, name) : undefined;
        if (!path || !statSync(path, { throwIfNoEntry: false })?.isFile()) return next();
        response.end(readFileSync(path));
      });
    },
  };
}

// What the built client looks like to the server (server/http/clientFiles.ts):
// every file that compresses well has a brotli (.br) and a gzip (.gz) twin
// made once at build time, at the highest levels, so the server only picks
// one per request and never compresses on the fly; and the source maps are
// kept next to, not inside, the folder the server publishes.
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Below this a compressed response saves less than its headers cost. */
const smallestWorthCompressing = 1024;
/** A twin must save at least this share, or the original is served to everyone (images, pdf.js's packed character maps). */
const smallestSaving = 0.1;

async function compressedTwins(bytes: Buffer): Promise<{ br: Buffer; gz: Buffer }> {
  const [br, gz] = await Promise.all([
    brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
    gzipped(bytes, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  return { br, gz };
}

/** Writes `<file>.br` and `<file>.gz` beside every written file where that pays. */
function precompressed(): Plugin {
  return {
    name: 'consilium-precompressed',
    apply: 'build',
    enforce: 'post',
    async writeBundle(options, bundle) {
      const outDir = options.dir;
      if (!outDir) return;
      // The files as written (after minification and every other plugin), a few at a time: brotli's top level is slow.
      const files = Object.keys(bundle).filter((fileName) => !/\.(br|gz|map)$/.test(fileName));
      const parallel = 4;
      for (let start = 0; start < files.length; start += parallel) {
        await Promise.all(
          files.slice(start, start + parallel).map(async (fileName) => {
            const path = join(outDir, fileName);
            const bytes = readFileSync(path);
            if (bytes.length < smallestWorthCompressing) return;
            const { br, gz } = await compressedTwins(bytes);
            const worthIt = (compressed: Buffer) => compressed.length <= bytes.length * (1 - smallestSaving);
            if (worthIt(br)) writeFileSync(`${path}.br`, br);
            if (worthIt(gz)) writeFileSync(`${path}.gz`, gz);
          }),
        );
      }
    },
  };
}

/**
 * Moves the source maps out of the bundle into `folder`, outside the served
 * folder: with `build.sourcemap: 'hidden'` no script points at one, and
 * nobody on the internet can download our sources, while whoever runs the
 * server can still read a stack trace with them.
 */
function sourceMapsOutside(folder: string): Plugin {
  return {
    name: 'consilium-source-maps-outside',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      rmSync(folder, { recursive: true, force: true });
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type !== 'asset' || !fileName.endsWith('.map')) continue;
        const path = join(folder, fileName);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, output.source);
        delete bundle[fileName];
      }
    },
  };
}

// The client lives in client/ and is built into dist/client, which the
// server serves (each file with its .br and .gz twin), and its source maps
// into dist/sourcemaps, which it does not. In `npm run dev`, signalling is
// proxied to the server.
export default defineConfig({
  root: 'client',
  plugins: [react(), pdfjsAssets(), sourceMapsOutside(join(import.meta.dirname, 'dist', 'sourcemaps')), precompressed()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // Written, but not referenced from the scripts (see sourceMapsOutside).
    sourcemap: 'hidden',
    // The patient's link page loads only what it shows (test/integration/clientDelivery.test.ts
    // holds it to a budget); the call, the doctor's pages, the document viewer, the DICOM
    // decoders, pdf.js (about 1 MB) and the other languages are chunks of their own, fetched
    // when first needed. pdf.js's worker is the one file above Vite's default warning.
    chunkSizeWarningLimit: 1300,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000' },
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
