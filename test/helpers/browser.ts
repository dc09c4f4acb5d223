// Debian's Chromium, driven by puppeteer-core, with fake camera and microphone.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { NetworkNamespace } from './networkNamespace';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Pages served on plain http from a non-loopback address may use the camera (browsers allow it only on https or localhost). */
  trustedOrigin?: string;
  /** Accept the tests' own certificates (pages and TURN over TLS) as a browser trusting the site's CA would. */
  acceptTestCertificates?: boolean;
  /** Run inside this network namespace (the browser is driven over a pipe, which crosses namespaces). */
  namespace?: NetworkNamespace;
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  let executablePath = chromiumPath;
  let wrapperDir: string | undefined;
  if (options.namespace) {
    wrapperDir = mkdtempSync(join(tmpdir(), 'consilium-chromium-'));
    executablePath = join(wrapperDir, 'chromium');
    writeFileSync(executablePath, options.namespace.wrapperFor(chromiumPath));
    chmodSync(executablePath, 0o755);
  }
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: options.namespace !== undefined,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // The test server announces 127.0.0.1; let WebRTC use loopback.
      '--allow-loopback-in-peer-connection',
      // Headless tabs share one process; keep background ones running at full speed.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      '--autoplay-policy=no-user-gesture-required',
      ...(options.acceptTestCertificates ? ['--ignore-certificate-errors'] : []),
      ...(options.trustedOrigin ? [`--unsafely-treat-insecure-origin-as-secure=${options.trustedOrigin}`] : []),
    ],
  });
  if (wrapperDir) {
    const dir = wrapperDir;
    browser.once('disconnected', () => rmSync(dir, { recursive: true, force: true }));
  }
  return browser;
}
