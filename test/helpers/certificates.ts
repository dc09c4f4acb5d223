// Self-signed certificates for tests, made with Debian's openssl: a test CA
// and a server certificate it signs (for a name and an address), so clients
// can trust exactly these and nothing else.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The CA that signed it, for a client to trust. */
  ca: Buffer;
  /** The certificate as PEM. */
  cert: Buffer;
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

/** A CA, and a certificate for `hosts` (IP addresses and names) valid for `days`, in a new folder (or `dir`). */
export function testCertificate(hosts: string[], { days = 30, dir = mkdtempSync(join(tmpdir(), 'consilium-tls-')) } = {}): TestCertificate {
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', caCert, '-days', String(days + 1), '-subj', '/CN=Consilium test CA');
  const keyFile = join(dir, `server-${Date.now()}-${Math.random().toString(36).slice(2)}.key`);
  const csr = `${keyFile}.csr`;
  const certFile = keyFile.replace(/\.key$/, '.pem');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${hosts[0] ?? 'localhost'}`);
  const names = hosts.map((host) => (/^[\d.]+$/.test(host) || host.includes(':') ? `IP:${host}` : `DNS:${host}`)).join(',');
  const extensions = `${keyFile}.ext`;
  writeFileSync(extensions, `subjectAltName=${names}\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', String(days), '-extfile', extensions);
  return { certFile, keyFile, ca: readFileSync(caCert), cert: readFileSync(certFile) };
}
