// The pool of checking workers on its own, with tiny limits: a file over its
// time budget is refused and its worker stopped, a full queue refuses at once
// with `server-busy`, and either way the pool goes on checking files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckingPool } from '../../server/documents/checkingPool';
import { createLogger } from '../../server/logger';
import { Refusal, type RefusalCode } from '../../shared/refusals';
import { dicomImage } from '../helpers/dicomFiles';

describe('the pool that checks uploaded files', function () {
  this.timeout(60_000);
  let folder: string;
  let small: string;
  let heavy: string;
  let pool: CheckingPool;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'consilium-checking-'));
    small = join(folder, 'small.dcm');
    writeFileSync(small, dicomImage({ rows: 4, columns: 4, pixels: [] }));
    // Just under the element budget: hundreds of ms to check, far beyond the tiny budget below.
    heavy = join(folder, 'heavy.dcm');
    writeFileSync(heavy, dicomImage({ rows: 4, columns: 4, pixels: [], privateElements: 199_000 }));
  });
  beforeEach(() => {
    pool = new CheckingPool({ threads: 1, maxQueue: 1, maxHeapMb: 64 }, createLogger('silent'));
  });
  afterEach(async () => {
    await pool.close();
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  const inspect = (path: string, budgetMs = 30_000) => pool.run({ kind: 'inspect-dicom', path }, budgetMs);

  async function assertChecks(what: string): Promise<void> {
    const instance = await inspect(small);
    assert.deepEqual([instance.rows, instance.columns], [4, 4], what);
  }

  function refusalCode(result: PromiseSettledResult<unknown>): RefusalCode | 'ok' {
    if (result.status === 'fulfilled') return 'ok';
    assert.ok(result.reason instanceof Refusal, `a refusal, not ${String(result.reason)}`);
    return result.reason.code;
  }

  it('refuses a file over its time budget as too complex, and goes on checking', async () => {
    await assertChecks('a worker is started and checks a small file');
    await assert.rejects(inspect(heavy, 25), (error: unknown) => {
      assert.ok(error instanceof Refusal, `a refusal, not ${String(error)}`);
      assert.equal(error.code, 'file-too-complex');
      assert.match(error.message, /took longer than/);
      return true;
    });
    await assertChecks('a new worker replaces the stopped one');
  });

  it('refuses a file at once with server-busy when the queue is full, and goes on checking', async () => {
    await assertChecks('a worker is started and checks a small file');
    // One file on the worker, one waiting (the queue holds one), and one too many.
    const results = await Promise.allSettled([inspect(heavy), inspect(small), inspect(small)]);
    assert.deepEqual(results.map(refusalCode), ['ok', 'ok', 'server-busy']);
    assert.equal(pool.queued, 0);
    await assertChecks('the queue has room again');
  });
});
