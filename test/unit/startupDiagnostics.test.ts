// What the server says about its own configuration at start (the parts that
// need no network: addresses, the site's URL, the certificate).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  certificateFindings,
  isInsideOnly,
  mediaAddressFindings,
  siteFindings,
} from '../../server/diagnostics/startupDiagnostics';
import { testCertificate } from '../helpers/certificates';

const media = { workerCount: 1, workerBin: '', listenIp: '0.0.0.0', portBase: 40000 };
const turn = { secret: 'x'.repeat(32), host: 'turn.clinic.example', port: 3478, tlsPort: 443, credentialTtlMs: 1000, forceRelay: false };

describe('start-up diagnostics', () => {
  it('tells addresses only reachable inside a network from internet ones', () => {
    for (const inside of ['127.0.0.1', '10.0.0.5', '172.16.3.4', '192.168.1.20', '100.64.0.9', '169.254.1.1', '::1', 'fd12::5', 'fe80::1', '[::1]', 'localhost', 'db.local', 'intranet']) {
      assert.equal(isInsideOnly(inside), true, inside);
    }
    for (const outside of ['8.8.8.8', '203.0.112.9', '2001:4860:4860::8888', 'consult.clinic.example', '::ffff:8.8.4.4']) {
      assert.equal(isInsideOnly(outside), false, outside);
    }
  });

  it('says that people outside will get no media when a public site announces a private media address', () => {
    const [finding, ...more] = mediaAddressFindings({ publicUrl: 'https://consult.clinic.example', media: { ...media, announcedAddress: '10.0.0.5' }, turn: undefined });
    assert.equal(more.length, 0);
    assert.equal(finding?.severity, 'problem');
    assert.match(finding?.message ?? '', /10\.0\.0\.5.*without video or sound.*MEDIA_ANNOUNCED_ADDRESS/);
    const withTurn = mediaAddressFindings({ publicUrl: 'https://consult.clinic.example', media: { ...media, announcedAddress: '10.0.0.5' }, turn });
    assert.match(withTurn[0]?.message ?? '', /only calls relayed through the TURN server/);
  });

  it('finds nothing wrong with a public media address, or with a site used inside its network', () => {
    assert.deepEqual(mediaAddressFindings({ publicUrl: 'https://consult.clinic.example', media: { ...media, announcedAddress: '198.51.99.7' }, turn: undefined }), []);
    assert.deepEqual(mediaAddressFindings({ publicUrl: 'http://192.168.1.10:3000', media: { ...media, announcedAddress: '192.168.1.10' }, turn: undefined }), []);
    assert.deepEqual(mediaAddressFindings({ publicUrl: undefined, media: { ...media, announcedAddress: '127.0.0.1' }, turn: undefined }), []);
  });

  it('says a plain-http public site gets no camera, and that a proxy must be trusted for secure cookies', () => {
    const plain = siteFindings({ publicUrl: 'http://consult.clinic.example', tls: undefined, trustProxyHops: 0 });
    assert.equal(plain[0]?.severity, 'problem');
    assert.match(plain[0]?.message ?? '', /refuse camera and microphone/);
    const proxied = siteFindings({ publicUrl: 'https://consult.clinic.example', tls: undefined, trustProxyHops: 0 });
    assert.equal(proxied[0]?.severity, 'warning');
    assert.match(proxied[0]?.message ?? '', /TRUST_PROXY=1/);
    assert.deepEqual(siteFindings({ publicUrl: 'https://consult.clinic.example', tls: undefined, trustProxyHops: 1 }), []);
    assert.deepEqual(siteFindings({ publicUrl: 'http://localhost:3000', tls: undefined, trustProxyHops: 0 }), []);
  });

  describe('the certificate', () => {
    const certificate = new X509Certificate(testCertificate(['consult.clinic.example'], { days: 30 }).cert);
    const validTo = Date.parse(certificate.validTo);
    const day = 24 * 60 * 60 * 1000;

    it('is fine with a month left, for the site it names', () => {
      assert.deepEqual(certificateFindings(certificate, 'https://consult.clinic.example', validTo - 30 * day), []);
    });

    it('warns within 14 days of expiry, and calls an expired one a problem', () => {
      const soon = certificateFindings(certificate, 'https://consult.clinic.example', validTo - 13.5 * day);
      assert.equal(soon.length, 1);
      assert.equal(soon[0]?.severity, 'warning');
      assert.match(soon[0]?.message ?? '', /expires in 13 days/);
      assert.deepEqual(certificateFindings(certificate, 'https://consult.clinic.example', validTo - 14.5 * day), []);
      const expired = certificateFindings(certificate, 'https://consult.clinic.example', validTo + day);
      assert.equal(expired[0]?.severity, 'problem');
      assert.match(expired[0]?.message ?? '', /expired/);
    });

    it('says when it is not for the host in PUBLIC_URL', () => {
      const [finding] = certificateFindings(certificate, 'https://other.clinic.example', validTo - 30 * day);
      assert.equal(finding?.severity, 'problem');
      assert.match(finding?.message ?? '', /not for other\.clinic\.example/);
    });
  });
});
