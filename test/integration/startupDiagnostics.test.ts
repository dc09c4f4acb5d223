// What the server checks on the network at start: whether its TURN server
// answers on every port browsers will use (asked from here, with coturn
// running the configuration Consilium writes), and a media port that is
// taken. And that `npm start` prints what it found, plainly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { startConsiliumServer } from '../../server/consiliumServer';
import { turnFindings } from '../../server/diagnostics/startupDiagnostics';
import { stunProbe } from '../../server/diagnostics/stunProbe';
import { createLogger } from '../../server/logger';
import { testCertificate, type TestCertificate } from '../helpers/certificates';
import { Coturn } from '../helpers/coturn';
import { freePort, printedUntil } from '../helpers/serverChild';
import { testConfig } from '../helpers/testServer';

const secret = 'a-test-secret-shared-with-coturn-0123456789';

describe('start-up diagnostics on the network', function () {
  this.timeout(30_000);
  let coturn: Coturn;
  let certificate: TestCertificate;
  let port: number;
  let tlsPort: number;

  before(async () => {
    certificate = testCertificate(['127.0.0.1']);
    [port, tlsPort] = [await freePort(), await freePort()];
    coturn = await Coturn.start({
      secret,
      realm: 'consult.test',
      listenIps: ['127.0.0.1'],
      port,
      tls: { port: tlsPort, certFile: certificate.certFile, keyFile: certificate.keyFile },
      relayPorts: { min: 51200, max: 51300 },
      externalIp: undefined,
      mediaServerIps: ['192.0.2.10'],
    });
  });
  after(() => coturn?.stop());

  const turnAt = (ports: { port: number; tlsPort: number | undefined }) => ({ secret, host: '127.0.0.1', ...ports, credentialTtlMs: 60_000, forceRelay: false });

  it('finds nothing to say when coturn answers on UDP, TCP and TLS, and measures each', async () => {
    assert.deepEqual(await turnFindings(turnAt({ port, tlsPort }), { ca: certificate.ca }), []);
    for (const transport of ['udp', 'tcp', 'tls'] as const) {
      const result = await stunProbe('127.0.0.1', transport === 'tls' ? tlsPort : port, transport, { ca: certificate.ca });
      assert.ok(result.ok && result.rttMs >= 0, `${transport}: ${JSON.stringify(result)}`);
    }
  });

  it('says which port does not answer, and calls it a problem when none does', async () => {
    const silentPort = await freePort();
    const [partly] = await turnFindings(turnAt({ port, tlsPort: silentPort }), { ca: certificate.ca, timeoutMs: 1000 });
    assert.equal(partly?.severity, 'warning');
    assert.match(partly?.message ?? '', new RegExp(`does not answer on every port \\(TLS ${silentPort}: .*ECONNREFUSED`));
    assert.doesNotMatch(partly?.message ?? '', /UDP|TCP \d/);

    const [none] = await turnFindings(turnAt({ port: silentPort, tlsPort: undefined }), { timeoutMs: 1000 });
    assert.equal(none?.severity, 'problem');
    assert.match(none?.message ?? '', new RegExp(`does not answer \\(UDP ${silentPort}: no answer within 1 s; TCP ${silentPort}: [^)]*ECONNREFUSED[^)]*\\)`));
    assert.match(none?.message ?? '', /npm run turn-config/);
  });

  it('tells a TURN certificate browsers will not trust from a service that is not TURN at all', async () => {
    const untrusted = await stunProbe('127.0.0.1', tlsPort, 'tls', { timeoutMs: 2000 });
    assert.equal(untrusted.ok, false);
    assert.match(untrusted.ok ? '' : untrusted.reason, /self.signed|unable to verify|certificate/i);

    const notTurn: Server = createServer((socket) => socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const webPort = await new Promise<number>((resolve) => notTurn.listen(0, '127.0.0.1', () => resolve((notTurn.address() as { port: number }).port)));
    try {
      const answer = await stunProbe('127.0.0.1', webPort, 'tcp', { timeoutMs: 2000 });
      assert.deepEqual(answer, { ok: false, reason: 'something answered, but not a STUN/TURN server' });
    } finally {
      notTurn.close();
    }
  });

  it('refuses to start, saying what to change, when the media port is taken', async () => {
    const mediaPort = await freePort();
    const squatter: UdpSocket = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(mediaPort, '127.0.0.1', resolve));
    try {
      const config = testConfig({ MEDIA_PORT_BASE: String(mediaPort) });
      await assert.rejects(startConsiliumServer(config, createLogger('silent')), (error: Error) => {
        assert.match(error.message, new RegExp(`cannot listen for media on 127\\.0\\.0\\.1:${mediaPort} \\(UDP and TCP\\).*Another program may be using the port \\(choose another MEDIA_PORT_BASE`));
        return true;
      });
    } finally {
      squatter.close();
    }
  });

  it('prints what will break when `npm start` runs with a private media address on a public site', async () => {
    const config = testConfig();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        MEDIA_LISTEN_IP: '127.0.0.1',
        MEDIA_ANNOUNCED_ADDRESS: '10.1.2.3',
        MEDIA_PORT_BASE: String(config.media.portBase),
        MEDIASOUP_WORKERS: '1',
        DATA_DIR: config.dataDir,
        PUBLIC_URL: 'https://consult.clinic.example',
        TRUST_PROXY: '1',
        LOG_LEVEL: 'silent',
      },
    });
    try {
      const printed = await printedUntil(child, 'stderr', (text) => text.includes('\n'), 'saying anything');
      assert.match(printed, /^consilium: PROBLEM: Media is announced at 10\.1\.2\.3, an address reachable only inside this network, but PUBLIC_URL \(https:\/\/consult\.clinic\.example\) is on the internet/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
