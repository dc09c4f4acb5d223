// The HTTP surface and how the server starts (or refuses to).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { printedUntil } from '../helpers/serverChild';
import { startTestServer, testConfig } from '../helpers/testServer';

describe('server start-up and HTTP', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server?.close();
  });

  it('reports health with the number of live workers', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', workers: 1 });
  });

  it('serves the client for consult links, with strict security headers', async function () {
    if (!existsSync(join(testConfig().clientDir, 'index.html'))) {
      assert.fail('the client is not built; npm test builds it through scripts/setup.mjs');
    }
    const response = await fetch(`http://127.0.0.1:${server.port}/c/some-consult?role=patient&name=A`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<div id="root">/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('answers 404 for unknown paths', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/no/such/page`);
    assert.equal(response.status, 404);
  });

  it('exits with one clear line when the worker binary is missing', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, MEDIASOUP_WORKER_BIN: '/nonexistent/mediasoup-worker', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? '', /mediasoup worker binary not found at \/nonexistent\/mediasoup-worker.*npm run setup/);
  });

  it('prints a one-time setup link while no doctor account exists', async () => {
    const config = testConfig();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        MEDIA_LISTEN_IP: '127.0.0.1',
        MEDIA_PORT_BASE: String(config.media.portBase),
        MEDIASOUP_WORKERS: '1',
        DATA_DIR: config.dataDir,
        PUBLIC_URL: 'https://consult.clinic.example/',
        LOG_LEVEL: 'warn',
      },
    });
    try {
      const output = await printedUntil(child, 'stdout', (text) => text.includes('/setup#'), 'printing a setup link');
      assert.match(output, /Consilium is running on https:\/\/consult\.clinic\.example\n/);
      assert.match(output, /https:\/\/consult\.clinic\.example\/setup#[A-Za-z0-9_-]{43}\n/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits with a clear message on invalid configuration', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /invalid configuration.*PORT/s);
  });
});
