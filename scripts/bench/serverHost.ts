// Child process of the bench: a real Consilium server (one mediasoup worker,
// loopback, a throw-away database), started exactly as the integration tests
// start it, plus the fixtures the bots need, made through the server's own
// stores on request. Kept out of the bench process so that the signalling
// server's CPU can be measured on its own.
import type { ConsiliumServer } from '../../server/consiliumServer';
import { createConsult, createDoctor, createInviteToken } from '../../test/helpers/consultFixtures';
import { startTestServer } from '../../test/helpers/testServer';
import { type HostMessage, type HostRequest, hostRequestSchema, type PreparedConsult } from './serverIpc';

function send(message: HostMessage): void {
  process.send?.(message);
}

let consultCount = 0;

async function prepareConsult(server: ConsiliumServer): Promise<PreparedConsult> {
  consultCount += 1;
  const doctor = await createDoctor(server, `Bench doctor ${consultCount}`);
  const consultId = createConsult(server, doctor);
  const [patient, interpreter] = await Promise.all([
    createInviteToken(server, consultId, 'patient'),
    createInviteToken(server, consultId, 'interpreter'),
  ]);
  return { consultId, doctorCookie: doctor.cookie, patientToken: patient.token, interpreterToken: interpreter.token };
}

/** Fixtures are made one request at a time: the first doctor's setup invitation must not race another's. */
let preparing: Promise<unknown> = Promise.resolve();

async function answer(server: ConsiliumServer, request: HostRequest): Promise<unknown> {
  switch (request.type) {
    case 'prepareConsults': {
      const run = preparing.then(async () => {
        const prepared: PreparedConsult[] = [];
        for (let index = 0; index < request.count; index++) prepared.push(await prepareConsult(server));
        return prepared;
      });
      preparing = run.catch(() => undefined);
      return run;
    }
    case 'memory': {
      const { rss, heapUsed } = process.memoryUsage();
      return { rss, heapUsed };
    }
    case 'close':
      await server.close();
      setImmediate(() => process.exit(0));
      return {};
  }
}

if (!process.send) {
  console.error('serverHost.ts is started by the bench (npm run bench), not by hand');
  process.exit(2);
}

try {
  // LOG_LEVEL info: the server logs what it would log in production (to the bench's /dev/null).
  const server = await startTestServer({ LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'info' });
  process.on('message', (raw: unknown) => {
    const parsed = hostRequestSchema.safeParse(raw);
    if (!parsed.success) {
      console.error(`[bench server] ignored a malformed request: ${parsed.error.message}`);
      return;
    }
    const request = parsed.data;
    answer(server, request).then(
      (result) => send({ type: 'reply', id: request.id, result }),
      (error: unknown) => send({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => {
    void server.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', port: server.port, workerPids: server.pool.workers.map((worker) => worker.pid) });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
