// Starts a real Consilium server in-process on loopback, with one mediasoup
// worker on a free media port, for integration and end-to-end tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type ServerConfig } from '../../server/config';
import { startConsiliumServer, type ConsiliumServer } from '../../server/consiliumServer';
import { createLogger } from '../../server/logger';

const projectRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

export function testConfig(overrides: Record<string, string> = {}): ServerConfig {
  return loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      MEDIA_LISTEN_IP: '127.0.0.1',
      MEDIA_PORT_BASE: String(randomMediaPort()),
      MEDIASOUP_WORKERS: '1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      DATA_DIR: temporaryDataDir(),
      ...overrides,
    },
    projectRoot,
  );
}

export async function startTestServer(overrides: Record<string, string> = {}): Promise<ConsiliumServer> {
  // A random media port may be taken; a few tries make that harmless.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const config = testConfig(overrides);
    try {
      return await startConsiliumServer(config, createLogger(config.logLevel));
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function randomMediaPort(): number {
  return 42000 + Math.floor(Math.random() * 8000);
}

const dataDirs: string[] = [];
process.once('exit', () => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Each server gets an empty database, removed when the test run ends. */
function temporaryDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'consilium-test-'));
  dataDirs.push(dir);
  return dir;
}
