// Debian's coturn, run by a test with the configuration Consilium writes
// (server/turn/coturnConfig.ts), and its own test client for probing it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coturnConfig, type CoturnOptions } from '../../server/turn/coturnConfig';

export class Coturn {
  readonly options: CoturnOptions;
  readonly #child: ChildProcess;
  readonly #dir: string;
  #log = '';

  private constructor(options: CoturnOptions, child: ChildProcess, dir: string) {
    this.options = options;
    this.#child = child;
    this.#dir = dir;
    child.stdout?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
  }

  /** Starts coturn and resolves once its TCP port answers. */
  static async start(options: Omit<CoturnOptions, 'pidFile' | 'logFile'>): Promise<Coturn> {
    const dir = mkdtempSync(join(tmpdir(), 'consilium-coturn-'));
    const full: CoturnOptions = { ...options, pidFile: join(dir, 'turnserver.pid'), logFile: 'stdout' };
    const configFile = join(dir, 'turnserver.conf');
    writeFileSync(configFile, coturnConfig(full));
    // --db in our folder: coturn otherwise opens /var/lib/turn/turndb, which it needs for nothing here.
    const child = spawn('turnserver', ['-c', configFile, '--db', join(dir, 'turndb')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const coturn = new Coturn(full, child, dir);
    await waitForTcp(options.listenIps[0] ?? '127.0.0.1', options.port);
    return coturn;
  }

  get log(): string {
    return this.#log;
  }

  /**
   * coturn's own client: allocates a relay with `username`/`password` and
   * sends a few packets to `peer` through it. What it printed, for the test
   * to read (allocation refused, peer forbidden, or packets sent).
   */
  probe(username: string, password: string, peer: string, { tcp = false } = {}): Promise<string> {
    const server = this.options.listenIps[0] ?? '127.0.0.1';
    const args = [...(tcp ? ['-t'] : []), '-p', String(this.options.port), '-u', username, '-w', password, '-e', peer, '-n', '2', '-c', server];
    return new Promise((resolve) => {
      execFile('turnutils_uclient', args, { timeout: 10_000 }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`));
    });
  }

  stop(): void {
    this.#child.kill('SIGTERM');
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

function waitForTcp(host: string, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, host, () => {
        socket.end();
        resolve();
      });
      socket.on('error', () => (Date.now() > deadline ? reject(new Error(`coturn does not answer on ${host}:${port}`)) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}
