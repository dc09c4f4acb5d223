// The real server (`server/main.ts`) as a child process, for tests that kill
// and restart it. Its data directory outlives it; the test reaches the same
// database through stores of its own (SQLite in WAL mode takes both).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccountStore } from '../../server/accounts/accountStore';
import { AuditLog } from '../../server/audit/auditLog';
import { ConsultStore } from '../../server/scheduling/consultStore';
import { InviteTokens } from '../../server/scheduling/inviteTokens';
import { openDatabase, type Database } from '../../server/storage/database';
import type { FixtureStores } from './consultFixtures';

const projectRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** A port free now (the kernel's choice), to give the child. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * What `child` printed on `stream` up to the moment `done` holds for it;
 * rejects, with what it printed, if it exits first (`what`: what was awaited).
 */
export function printedUntil(child: ChildProcess, stream: 'stdout' | 'stderr', done: (text: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child[stream]?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (done(text)) resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before ${what}: ${text}`)));
  });
}

/** How much of what the child printed is kept, to show when a test fails. */
const keptOutputChars = 20_000;

export class ServerChild {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #printed = '';

  private constructor(port: number, child: ChildProcess) {
    this.port = port;
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      this.#printed = (this.#printed + chunk.toString()).slice(-keptOutputChars);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** The end of what it printed (its log at the level it was given), for a failing test to show. */
  get printed(): string {
    return this.#printed;
  }

  /** Starts `server/main.ts` on `port` with its data in `dataDir`; resolves once it serves. */
  static async start(port: number, dataDir: string, env: Record<string, string> = {}): Promise<ServerChild> {
    const mediaPortBase = 42000 + Math.floor(Math.random() * 8000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        MEDIA_LISTEN_IP: '127.0.0.1',
        MEDIA_PORT_BASE: String(mediaPortBase),
        MEDIASOUP_WORKERS: '1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerChild(port, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${server.printed}`)), 30_000);
      // After the constructor's listener: what it printed is kept by then.
      const onData = () => {
        if (!server.printed.includes('Consilium is running on')) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk.toString()}`));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code}) before it served:\n${server.printed}`));
      });
    });
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sends `signal` and waits for the process to be gone. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal);
    await this.#exited;
  }
}

/** A data directory for child servers, and stores of the test's own on it. */
export class SharedDataDir {
  readonly path = mkdtempSync(join(tmpdir(), 'consilium-child-'));
  #database: Database | undefined;

  /** Opened after the first server made the database (and the invite key). */
  stores(): FixtureStores & { audit: AuditLog } {
    this.#database ??= openDatabase(this.path);
    const database = this.#database;
    return {
      database,
      accounts: new AccountStore(database),
      consults: new ConsultStore(database),
      inviteTokens: InviteTokens.fromDataDir(this.path, undefined),
      audit: new AuditLog(database),
    };
  }

  remove(): void {
    this.#database?.close();
    rmSync(this.path, { recursive: true, force: true });
  }
}
