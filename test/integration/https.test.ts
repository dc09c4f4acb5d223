// Serving HTTPS ourselves: a certificate and key from the environment, a
// renewed certificate picked up without a restart, plain HTTP redirected,
// Secure cookies, upgrade-insecure-requests only where the page came over
// HTTPS, and signalling over wss://.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { io } from 'socket.io-client';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { Ack, JoinResponse } from '../../shared/protocol';
import { testCertificate, type TestCertificate } from '../helpers/certificates';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { httpAnswer, type Answer, type RequestOptions } from '../helpers/httpAnswer';
import { freePort } from '../helpers/serverChild';
import { startTestServer } from '../helpers/testServer';

/** A request to our server; over HTTPS trusting the test certificate authority `ca`. */
function get(url: string, options: Omit<RequestOptions, 'servername'> = {}): Promise<Answer> {
  return httpAnswer(url, options);
}

/** The fingerprint of the certificate a fresh TLS connection is served. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: undefined }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('HTTPS served by Consilium itself', function () {
  this.timeout(30_000);
  let server: ConsiliumServer;
  let certificate: TestCertificate;
  let redirectPort: number;

  before(async () => {
    certificate = testCertificate(['127.0.0.1', 'localhost']);
    redirectPort = await freePort();
    server = await startTestServer({
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      TLS_RELOAD_SECONDS: '0.2',
      HTTP_REDIRECT_PORT: String(redirectPort),
    });
  });
  after(async () => {
    await server?.close();
  });

  const base = () => `https://127.0.0.1:${server.port}`;

  it('serves the app and the API over HTTPS with HTTPS-only headers, and Secure session cookies', async () => {
    const health = await get(`${base()}/healthz`, { ca: certificate.ca });
    assert.equal(health.status, 200);
    const page = await get(`${base()}/login`, { ca: certificate.ca });
    assert.match(String(page.headers['content-security-policy']), /upgrade-insecure-requests/);
    assert.match(String(page.headers['strict-transport-security']), /max-age=/);

    const doctor = await createDoctor(server);
    const login = await get(`${base()}/api/session`, {
      ca: certificate.ca,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: doctor.email, password: doctor.password }),
    });
    assert.equal(login.status, 200, login.body);
    assert.match(String(login.headers['set-cookie']), /; Secure/);
  });

  it('carries signalling over wss://', async () => {
    const doctor = await createDoctor(server);
    const consultId = createConsult(server, doctor);
    const socket = io(base(), { transports: ['websocket'], forceNew: true, reconnection: false, ca: certificate.ca.toString(), extraHeaders: { cookie: doctor.cookie } });
    try {
      const joined = (await socket.timeout(5000).emitWithAck('join', { as: 'doctor', consultId })) as Ack<JoinResponse>;
      assert.ok(joined.ok);
    } finally {
      socket.disconnect();
    }
  });

  it('redirects plain HTTP to HTTPS, path and all', async () => {
    const answer = await get(`http://127.0.0.1:${redirectPort}/join?x=1`);
    assert.equal(answer.status, 301);
    assert.equal(answer.headers.location, `https://127.0.0.1:${server.port}/join?x=1`);
  });

  it('picks up a renewed certificate without a restart, and keeps the old one while the new files are unusable', async () => {
    const before = await servedFingerprint(server.port);
    const renewed = testCertificate(['127.0.0.1', 'localhost']);
    // Half a renewal: a new certificate beside the old key does not make a pair; the old one stays.
    copyFileSync(renewed.certFile, certificate.certFile);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(await servedFingerprint(server.port), before);
    copyFileSync(renewed.keyFile, certificate.keyFile);
    let now = before;
    for (let attempt = 0; attempt < 50 && now === before; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      now = await servedFingerprint(server.port);
    }
    assert.notEqual(now, before, 'a new connection gets the renewed certificate');
    assert.equal((await get(`${base()}/healthz`, { ca: renewed.ca })).status, 200);
  });
});

describe('plain HTTP on a network address', () => {
  it('sends no upgrade-insecure-requests, so the WebSocket stays ws:// on a LAN', async () => {
    const server = await startTestServer();
    try {
      const page = await get(`http://127.0.0.1:${server.port}/login`);
      assert.doesNotMatch(String(page.headers['content-security-policy']), /upgrade-insecure-requests/);
      assert.equal(page.headers['strict-transport-security'], undefined);
      // Behind a TLS proxy that says so, the page did come over HTTPS.
      const proxied = await startTestServer({ TRUST_PROXY: '1' });
      try {
        const viaProxy = await get(`http://127.0.0.1:${proxied.port}/login`, { headers: { 'x-forwarded-proto': 'https' } });
        assert.match(String(viaProxy.headers['content-security-policy']), /upgrade-insecure-requests/);
      } finally {
        await proxied.close();
      }
    } finally {
      await server.close();
    }
  });
});
