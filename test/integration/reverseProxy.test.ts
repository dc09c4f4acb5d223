// The nginx configuration we ship (docs/deploy/nginx-consilium.conf), run by
// Debian's nginx in front of a real server: HTTPS, the redirect from plain
// HTTP, Secure cookies from X-Forwarded-Proto, Socket.IO's WebSocket through
// the upgrade, and an upload streamed through. Only the host name, the
// certificate paths, the ports and the upstream are replaced, as an operator would.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { Ack, JoinResponse } from '../../shared/protocol';
import { testCertificate, type TestCertificate } from '../helpers/certificates';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { dicomImage } from '../helpers/dicomFiles';
import { httpAnswer, type Answer, type RequestOptions } from '../helpers/httpAnswer';
import { freePort } from '../helpers/serverChild';
import { startTestServer } from '../helpers/testServer';

const projectRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const shippedConfig = join(projectRoot, 'docs', 'deploy', 'nginx-consilium.conf');

function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve();
      });
      socket.on('error', () => (Date.now() > deadline ? reject(new Error(`nothing listens on ${port}`)) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}

/** A request through nginx; over HTTPS for the name on its certificate, trusting `ca`. */
function send(url: string, options: Omit<RequestOptions, 'servername'> = {}): Promise<Answer> {
  return httpAnswer(url, { ...options, servername: 'consult.test' });
}

describe('behind nginx, with the configuration we ship', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  let nginx: ChildProcess;
  let prefix: string;
  let certificate: TestCertificate;
  let httpsPort: number;
  let httpPort: number;

  before(async () => {
    server = await startTestServer({ TRUST_PROXY: '1', MAX_UPLOAD_MB: '8' });
    prefix = mkdtempSync(join(tmpdir(), 'consilium-nginx-'));
    certificate = testCertificate(['consult.test', '127.0.0.1']);
    httpsPort = await freePort();
    httpPort = await freePort();
    const site = readFileSync(shippedConfig, 'utf8')
      .replaceAll('consult.example.org', 'consult.test')
      .replace('/etc/letsencrypt/live/consult.test/fullchain.pem', certificate.certFile)
      .replace('/etc/letsencrypt/live/consult.test/privkey.pem', certificate.keyFile)
      .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
      .replace('listen [::]:80;', '')
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
      .replace('listen [::]:443 ssl http2;', '')
      .replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${server.port};`);
    assert.ok(site.includes(`proxy_pass http://127.0.0.1:${server.port};`), 'the shipped file has the parts an operator changes');
    for (const folder of ['logs', 'temp']) mkdirSync(join(prefix, folder));
    // Debian's nginx.conf, reduced to what a site needs, with our site where sites-enabled would be.
    writeFileSync(
      join(prefix, 'nginx.conf'),
      `pid ${join(prefix, 'nginx.pid')};
      error_log ${join(prefix, 'logs', 'error.log')} warn;
      user root;
      events {}
      http {
        access_log off;
        client_body_temp_path ${join(prefix, 'temp')};
        proxy_temp_path ${join(prefix, 'temp')};
        ${site}
      }`,
    );
    nginx = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[nginx] ${chunk.toString()}`));
    await waitForPort(httpsPort);
  });

  after(async () => {
    nginx?.kill('SIGQUIT');
    await server?.close();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  const base = () => `https://127.0.0.1:${httpsPort}`;
  const asHost = { host: 'consult.test' };

  it('serves the app over HTTPS and redirects plain HTTP there', async () => {
    const page = await send(`${base()}/login`, { ca: certificate.ca, headers: asHost });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /upgrade-insecure-requests/, 'Consilium knows the page came over HTTPS');
    const redirected = await send(`http://127.0.0.1:${httpPort}/join`, { headers: asHost });
    assert.equal(redirected.status, 301);
    assert.equal(redirected.headers.location, 'https://consult.test/join');
  });

  it('marks the session cookie Secure, and carries Socket.IO over its WebSocket', async () => {
    const doctor = await createDoctor(server);
    const login = await send(`${base()}/api/session`, {
      ca: certificate.ca,
      method: 'POST',
      headers: { ...asHost, 'content-type': 'application/json' },
      body: JSON.stringify({ email: doctor.email, password: doctor.password }),
    });
    assert.equal(login.status, 200, login.body);
    assert.match(String(login.headers['set-cookie']), /; Secure/);

    const consultId = createConsult(server, doctor);
    const socket = io(base(), {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ca: certificate.ca.toString(),
      extraHeaders: { ...asHost, cookie: doctor.cookie, origin: 'https://consult.test' },
    });
    try {
      const joined = (await socket.timeout(5000).emitWithAck('join', { as: 'doctor', consultId })) as Ack<JoinResponse>;
      assert.ok(joined.ok, 'joined through nginx, with the browser origin nginx passed on as the host');
    } finally {
      socket.disconnect();
    }
  });

  it('streams an upload through', async () => {
    const doctor = await createDoctor(server);
    const consultId = createConsult(server, doctor);
    const image = dicomImage({ rows: 1024, columns: 1024, pixels: [] });
    const upload = await send(`${base()}/api/consults/${consultId}/documents?name=scan.dcm`, {
      ca: certificate.ca,
      method: 'POST',
      headers: { ...asHost, cookie: doctor.cookie, 'content-type': 'application/octet-stream', origin: 'https://consult.test' },
      body: image,
    });
    assert.equal(upload.status, 201, upload.body);
  });
});
