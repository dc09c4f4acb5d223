// What the server can tell about its own configuration when it starts,
// before anyone tries a call: the mistakes that otherwise show up only as a
// patient far away with a black screen. Each finding says what will break
// and what to change. Nothing here stops the server: a site being set up
// step by step may run with some of these on purpose.
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { ServerConfig } from '../config';
import { stunProbe, type StunProbeOptions, type StunTransport } from './stunProbe';

export interface Finding {
  /** 'problem': calls will fail for some people; 'warning': soon, or in some cases. */
  severity: 'problem' | 'warning';
  message: string;
}

const certificateWarningDays = 14;
const dayMs = 24 * 60 * 60 * 1000;

/** Whether a host (name or address) is reached only from inside a network: loopback, private, link-local and the like. */
export function isInsideOnly(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return bare === 'localhost' || bare.endsWith('.localhost') || bare.endsWith('.local') || !bare.includes('.');
  const address = ipaddr.process(bare);
  return address.range() !== 'unicast';
}

/** How pages reach the site: browsers give camera and microphone only to pages served over HTTPS (or on this machine). */
export function siteFindings(config: Pick<ServerConfig, 'publicUrl' | 'tls' | 'trustProxyHops'>): Finding[] {
  if (!config.publicUrl) return [];
  const url = new URL(config.publicUrl);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol === 'http:' && !local) {
    return [
      {
        severity: 'problem',
        message: `PUBLIC_URL (${config.publicUrl}) is plain http: browsers refuse camera and microphone on such pages, so nobody can join a call from another machine. Serve HTTPS (TLS_CERT_FILE and TLS_KEY_FILE, or a proxy) and use an https:// PUBLIC_URL.`,
      },
    ];
  }
  if (url.protocol === 'https:' && !config.tls && config.trustProxyHops === 0) {
    return [
      {
        severity: 'warning',
        message: `PUBLIC_URL is https but Consilium serves plain HTTP and trusts no proxy (TRUST_PROXY=0): behind a TLS proxy, set TRUST_PROXY=1 so sign-in cookies are marked Secure and HTTPS-only headers are sent; otherwise give Consilium the certificate (TLS_CERT_FILE, TLS_KEY_FILE).`,
      },
    ];
  }
  return [];
}

/** The media address browsers are told to send to, against where people open the site. */
export function mediaAddressFindings(config: Pick<ServerConfig, 'publicUrl' | 'media' | 'turn'>): Finding[] {
  if (!config.publicUrl) return [];
  const siteHost = new URL(config.publicUrl).hostname;
  const announced = config.media.announcedAddress ?? config.media.listenIp;
  if (isInsideOnly(siteHost) || !isInsideOnly(announced)) return [];
  const consequence = config.turn
    ? 'only calls relayed through the TURN server will carry video and sound, and only if the TURN server can reach that address'
    : 'people outside this network will join calls without video or sound';
  return [
    {
      severity: 'problem',
      message: `Media is announced at ${announced}, an address reachable only inside this network, but PUBLIC_URL (${config.publicUrl}) is on the internet: ${consequence}. Set MEDIA_ANNOUNCED_ADDRESS to this server's public IP address and open the media port (MEDIA_PORT_BASE, UDP and TCP) in the firewall.`,
    },
  ];
}

/** The certificate served: expired, expiring soon, or not for the site's name. */
export function certificateFindings(certificate: X509Certificate | undefined, publicUrl: string | undefined, now = Date.now()): Finding[] {
  if (!certificate) return [];
  const findings: Finding[] = [];
  const validTo = Date.parse(certificate.validTo);
  const daysLeft = Math.floor((validTo - now) / dayMs);
  if (validTo <= now) {
    findings.push({ severity: 'problem', message: `The TLS certificate expired on ${certificate.validTo}: browsers refuse the site. Renew it (certbot renew); Consilium picks up the new files without a restart.` });
  } else if (daysLeft < certificateWarningDays) {
    findings.push({ severity: 'warning', message: `The TLS certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${certificate.validTo}). Renew it (certbot renew); Consilium picks up the new files without a restart.` });
  }
  if (publicUrl) {
    const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
    const covered = isIP(host) ? certificate.checkIP(host) !== undefined : certificate.checkHost(host) !== undefined;
    if (!covered) findings.push({ severity: 'problem', message: `The TLS certificate is not for ${host} (the host in PUBLIC_URL): browsers will refuse the site. Use a certificate issued for ${host}.` });
  }
  return findings;
}

/** Asks our TURN server for a binding on each way browsers will reach it. */
export async function turnFindings(turn: ServerConfig['turn'], probeOptions: StunProbeOptions = {}): Promise<Finding[]> {
  if (!turn) return [];
  const ways: { transport: StunTransport; port: number; label: string }[] = [
    { transport: 'udp', port: turn.port, label: `UDP ${turn.port}` },
    { transport: 'tcp', port: turn.port, label: `TCP ${turn.port}` },
    ...(turn.tlsPort === undefined ? [] : [{ transport: 'tls' as const, port: turn.tlsPort, label: `TLS ${turn.tlsPort}` }]),
  ];
  const results = await Promise.all(ways.map(async (way) => ({ ...way, result: await stunProbe(turn.host, way.port, way.transport, probeOptions) })));
  const failed = results.flatMap(({ label, result }) => (result.ok ? [] : [`${label}: ${result.reason}`]));
  if (failed.length === 0) return [];
  const none = failed.length === results.length;
  return [
    {
      severity: none ? 'problem' : 'warning',
      message: `The TURN server at ${turn.host} ${none ? 'does not answer' : 'does not answer on every port'} (${failed.join('; ')}), checked from this server. ${
        none ? 'People behind strict firewalls will not get video or sound.' : 'People whose networks allow only those ports will not get video or sound.'
      } Is coturn running with the configuration from \`npm run turn-config\`, and are its ports open in the firewall?`,
    },
  ];
}

export async function startupFindings(config: ServerConfig, certificate: X509Certificate | undefined): Promise<Finding[]> {
  return [...siteFindings(config), ...mediaAddressFindings(config), ...certificateFindings(certificate, config.publicUrl), ...(await turnFindings(config.turn))];
}
