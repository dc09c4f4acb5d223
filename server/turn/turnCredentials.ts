// Ephemeral TURN credentials, as coturn's shared-secret scheme (TURN REST)
// expects: the user name is the expiry time and who it is for, the password
// an HMAC of it with the secret coturn shares with us. Nothing is stored;
// a credential stops working on its own.
import { createHmac } from 'node:crypto';
import type { MediaAccess } from '../../shared/protocol';

export interface TurnConfig {
  /** Shared with coturn (static-auth-secret). */
  secret: string;
  /** Where browsers reach coturn: a host name (the certificate's, for TLS) or an address. */
  host: string;
  /** TURN over UDP and TCP. */
  port: number;
  /** TURN over TLS; undefined when not offered. */
  tlsPort: number | undefined;
  /** How long a credential works (it must outlast a consult: relays are refreshed with it). */
  credentialTtlMs: number;
  /** Only relayed paths (a network policy of the operator's). */
  forceRelay: boolean;
}

/** The ways browsers reach our TURN server: UDP and TCP, and TLS when offered. */
export function turnUrls(turn: TurnConfig): { protocol: 'udp' | 'tcp' | 'tls'; url: string }[] {
  const host = turn.host.includes(':') && !turn.host.startsWith('[') ? `[${turn.host}]` : turn.host;
  return [
    { protocol: 'udp', url: `turn:${host}:${turn.port}?transport=udp` },
    { protocol: 'tcp', url: `turn:${host}:${turn.port}?transport=tcp` },
    ...(turn.tlsPort === undefined ? [] : [{ protocol: 'tls' as const, url: `turns:${host}:${turn.tlsPort}?transport=tcp` }]),
  ];
}

/** What `who` may use to reach media; without TURN, direct paths only. */
export function mediaAccessFor(turn: TurnConfig | undefined, who: string, now = Date.now()): MediaAccess {
  if (!turn) return { iceServers: [], iceTransportPolicy: 'all' };
  const username = `${Math.floor((now + turn.credentialTtlMs) / 1000)}:${who}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  const urls = turnUrls(turn).map(({ url }) => url);
  return { iceServers: [{ urls, username, credential }], iceTransportPolicy: turn.forceRelay ? 'relay' : 'all' };
}
