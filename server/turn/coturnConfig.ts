// The coturn configuration Consilium runs its relay with (`npm run
// turn-config` writes it; the tests start coturn with the same text). A relay
// for our calls only: TURN over UDP and TCP, and over TLS on 443 with the
// site's certificate; short-lived credentials from the secret we share
// (TURN REST); a bounded range of relay ports; and no relaying to any
// private, loopback or special address except the media server's own, so the
// relay cannot be used to reach the inside of the network it stands in.
export interface CoturnOptions {
  /** Shared with Consilium (TURN_SECRET). */
  secret: string;
  /** The TURN realm: the site's host name. */
  realm: string;
  /** Addresses to listen on; empty: all. */
  listenIps: string[];
  port: number;
  /** TURN over TLS, with the certificate and key; undefined: none. */
  tls: { port: number; certFile: string; keyFile: string } | undefined;
  relayPorts: { min: number; max: number };
  /** Behind NAT: the public address, and the private one it maps to. */
  externalIp: string | undefined;
  /** The media server's addresses: the only ones that may be reached through the relay. */
  mediaServerIps: string[];
  /** Where coturn writes its pid (it needs one it may write). */
  pidFile: string;
  /** 'stdout', or a file. */
  logFile: string;
}

/** Every range that is not the public internet (RFC 6890 and friends), as coturn spells ranges. */
const notPublic = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.0.2.0-192.0.2.255',
  '192.88.99.0-192.88.99.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '198.51.100.0-198.51.100.255',
  '203.0.113.0-203.0.113.255',
  '224.0.0.0-255.255.255.255',
  '::1',
  '64:ff9b::-64:ff9b::ffff:ffff',
  '::ffff:0.0.0.0-::ffff:255.255.255.255',
  '100::-100::ffff:ffff:ffff:ffff',
  '2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff',
  '2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

export function coturnConfig(options: CoturnOptions): string {
  const lines = [
    '# Written by Consilium (npm run turn-config). Regenerate rather than edit:',
    '# the shared secret and the allowed peers must match Consilium\'s configuration.',
    ...options.listenIps.map((ip) => `listening-ip=${ip}`),
    `listening-port=${options.port}`,
    ...(options.tls
      ? [`tls-listening-port=${options.tls.port}`, `cert=${options.tls.certFile}`, `pkey=${options.tls.keyFile}`, 'no-tlsv1', 'no-tlsv1_1']
      : ['no-tls', 'no-dtls']),
    ...(options.externalIp ? [`external-ip=${options.externalIp}`] : []),
    `min-port=${options.relayPorts.min}`,
    `max-port=${options.relayPorts.max}`,
    '# Credentials: short-lived, derived from the shared secret; nothing is stored.',
    'use-auth-secret',
    `static-auth-secret=${options.secret}`,
    `realm=${options.realm}`,
    'fingerprint',
    '# A relay for our media server only.',
    ...notPublic.map((range) => `denied-peer-ip=${range}`),
    ...options.mediaServerIps.map((ip) => `allowed-peer-ip=${ip}`),
    'no-multicast-peers',
    'no-cli',
    'no-rfc5780',
    'no-stun-backward-compatibility',
    'response-origin-only-with-rfc5780',
    `pidfile=${options.pidFile}`,
    `log-file=${options.logFile}`,
    'simple-log',
  ];
  return `${lines.join('\n')}\n`;
}
