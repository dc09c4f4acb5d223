import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The client lives in client/ and is built into dist/client, which the
// server serves. In `npm run dev`, signalling is proxied to the server.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // One page, loaded once per consult: React, mediasoup-client and the shared
    // zod schemas make a ~640 kB bundle (170 kB gzipped), which is acceptable.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000' },
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
