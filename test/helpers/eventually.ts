// Waits for something the server does asynchronously (a disconnect noticed,
// a participant gone), failing the test with `what` after five seconds.
import assert from 'node:assert/strict';

export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
