// The bench's side of the Consilium server child process (serverHost.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type HostRequest, hostMemorySchema, hostMessageSchema, type PreparedConsult, preparedConsultSchema } from './serverIpc';

const startTimeoutMs = 30_000;
const requestTimeoutMs = 120_000;

/** Prints the server's log lines at warn level and above. */
function passOnWarnings(line: string): void {
  let entry: { level?: unknown; msg?: unknown };
  try {
    entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
  } catch {
    process.stderr.write(`[server] ${line}\n`);
    return;
  }
  if (typeof entry.level === 'number' && entry.level >= 40) process.stderr.write(`[server] ${line}\n`);
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (result: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

export class ServerProcess {
  readonly #child: ChildProcess;
  readonly port: number;
  readonly workerPid: number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exited = false;

  private constructor(child: ChildProcess, port: number, workerPid: number) {
    this.#child = child;
    this.port = port;
    this.workerPid = workerPid;
    child.on('message', (raw: unknown) => this.#onMessage(raw));
    child.once('exit', (code) => {
      this.#exited = true;
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`the server process exited (${code ?? 'signal'})`));
      }
      this.#pending.clear();
    });
  }

  /** The server's Node process (signalling, HTTP, stores); its worker is `workerPid`. */
  get pid(): number {
    const pid = this.#child.pid;
    if (pid === undefined) throw new Error('the server process has no pid');
    return pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<ServerProcess> {
    const hostPath = fileURLToPath(new URL('./serverHost.ts', import.meta.url));
    // The server logs as in production (JSON lines); warnings and errors are passed on, the rest dropped.
    const child = fork(hostPath, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    if (child.stdout) createInterface({ input: child.stdout }).on('line', passOnWarnings);
    const ready = await new Promise<{ port: number; workerPid: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the Consilium server did not start in time')), startTimeoutMs);
      child.once('exit', (code) => reject(new Error(`the Consilium server exited while starting (${code ?? 'signal'})`)));
      child.once('message', (raw: unknown) => {
        clearTimeout(timer);
        const message = hostMessageSchema.safeParse(raw);
        if (message.success && message.data.type === 'ready') {
          const [workerPid] = message.data.workerPids;
          if (workerPid !== undefined) resolve({ port: message.data.port, workerPid });
        }
        reject(new Error(`the Consilium server could not start: ${message.success && message.data.type === 'failed' ? message.data.message : 'bad message'}`));
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return new ServerProcess(child, ready.port, ready.workerPid);
  }

  async prepareConsults(count: number): Promise<PreparedConsult[]> {
    return this.#call({ type: 'prepareConsults', count }, preparedConsultSchema.array());
  }

  async memory(): Promise<z.infer<typeof hostMemorySchema>> {
    return this.#call({ type: 'memory' }, hostMemorySchema);
  }

  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.#call({ type: 'close' }, z.unknown()).catch(() => undefined);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  #call<S extends z.ZodType>(request: WithoutId<HostRequest>, schema: S): Promise<z.infer<S>> {
    if (this.#exited) return Promise.reject(new Error('the server process has exited'));
    const id = this.#nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`the server process did not answer ${request.type}`));
      }, requestTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.send({ ...request, id });
    }).then((result) => schema.parse(result));
  }

  #onMessage(raw: unknown): void {
    const parsed = hostMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type !== 'reply' && message.type !== 'error') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'reply') pending.resolve(message.result);
    else pending.reject(new Error(message.message));
  }
}
