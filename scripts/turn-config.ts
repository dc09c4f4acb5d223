// `npm run turn-config`: writes the coturn configuration for this Consilium,
// from the same environment the server reads (TURN_SECRET, TURN_HOST,
// TURN_PORT, TURN_TLS_PORT, the certificate, the media server's address), plus
//   TURN_LISTEN_IP       addresses coturn listens on (comma-separated; default: all)
//   TURN_EXTERNAL_IP     behind NAT: public[/private] address, as coturn's external-ip
//   TURN_RELAY_PORTS     the relay port range (default 49160-49200)
//   TURN_TLS_CERT_FILE   certificate and key for TURN over TLS (default TLS_CERT_FILE/TLS_KEY_FILE)
//   TURN_TLS_KEY_FILE
// Usage: npm run turn-config -- [--out /etc/turnserver.conf]
import { lookup } from 'node:dns/promises';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../server/config';
import { coturnConfig } from '../server/turn/coturnConfig';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));

function fail(message: string): never {
  console.error(`turn-config: ${message}`);
  process.exit(1);
}

const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
if (outIndex >= 0 && !out) fail('--out needs a file name');

let config;
try {
  config = loadConfig(process.env, projectRoot);
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const turn = config.turn ?? fail('TURN is not configured: set TURN_SECRET and TURN_HOST (or PUBLIC_URL) as for the server');

const relayPorts = /^(\d{4,5})-(\d{4,5})$/.exec(process.env['TURN_RELAY_PORTS'] ?? '49160-49200');
if (!relayPorts || Number(relayPorts[1]) >= Number(relayPorts[2])) fail('TURN_RELAY_PORTS must look like 49160-49200');
const certFile = process.env['TURN_TLS_CERT_FILE'] ?? config.tls?.certFile;
const keyFile = process.env['TURN_TLS_KEY_FILE'] ?? config.tls?.keyFile;
if (turn.tlsPort !== undefined && (!certFile || !keyFile)) {
  fail('TURN over TLS needs a certificate: set TURN_TLS_CERT_FILE and TURN_TLS_KEY_FILE (or TLS_CERT_FILE and TLS_KEY_FILE), or TURN_TLS_PORT=0');
}
const announced = config.media.announcedAddress ?? config.media.listenIp;
const mediaServerIps = (await lookup(announced, { all: true }).catch(() => fail(`cannot resolve the media address ${announced}`))).map((entry) => entry.address);

const text = coturnConfig({
  secret: turn.secret,
  realm: turn.host,
  listenIps: (process.env['TURN_LISTEN_IP'] ?? '').split(',').map((ip) => ip.trim()).filter(Boolean),
  port: turn.port,
  tls: turn.tlsPort !== undefined && certFile && keyFile ? { port: turn.tlsPort, certFile: resolve(certFile), keyFile: resolve(keyFile) } : undefined,
  relayPorts: { min: Number(relayPorts[1]), max: Number(relayPorts[2]) },
  externalIp: process.env['TURN_EXTERNAL_IP'],
  mediaServerIps,
  pidFile: '/run/turnserver/turnserver.pid',
  logFile: 'syslog',
});
if (out) {
  writeFileSync(out, text, { mode: 0o600 });
  console.log(`turn-config: wrote ${out} (it holds the shared secret: keep it readable by coturn only)`);
} else {
  process.stdout.write(text);
}
