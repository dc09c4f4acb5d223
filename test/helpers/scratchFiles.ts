// Files the browser tests hand to a page (uploads) or take from it
// (screenshots), in a temporary folder removed when the test run ends.
// Screenshots go to $E2E_SCREENSHOTS instead when it is set, to be looked at.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let folder: string | undefined;

function scratchFolder(): string {
  if (!folder) {
    const created = mkdtempSync(join(tmpdir(), 'consilium-e2e-'));
    folder = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return folder;
}

/** Writes `bytes` to a fresh scratch file named `name` and returns its path. */
export function scratchFile(name: string, bytes: Uint8Array): string {
  const dir = mkdtempSync(join(scratchFolder(), 'file-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Where to save a screenshot named `name`. */
export function screenshotPath(name: string): string {
  const dir = process.env.E2E_SCREENSHOTS ?? scratchFolder();
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
