import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

// The client lives in client/ and is built into dist/client, which the
// server serves. In `npm run dev`, signalling is proxied to the server.
export default defineConfig({
  root: 'client',
  plugins: [react(), pdfjsAssets()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // One page, loaded once per consult: React, mediasoup-client and the shared
    // zod schemas make a ~640 kB bundle (170 kB gzipped), which is acceptable.
    // pdf.js (about 1 MB) is a separate chunk, loaded only when a PDF is opened.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000' },
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
