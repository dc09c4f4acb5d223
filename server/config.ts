// Server configuration, read once from the environment and validated, so a
// typo in a variable stops the server with a clear message instead of
// misbehaving later.
import { createRequire } from 'node:module';
import { cpus, networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { TurnConfig } from './turn/turnCredentials';

const ipSchema = z.union([z.ipv4(), z.ipv6()]);
const port = z.coerce.number().int().min(1).max(65535);

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MEDIA_LISTEN_IP: ipSchema.default('0.0.0.0'),
  MEDIA_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
  MEDIA_PORT_BASE: port.default(40000),
  MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  MEDIASOUP_WORKER_BIN: z.string().min(1).optional(),
  MAX_PARTICIPANTS_PER_CONSULT: z.coerce.number().int().min(2).max(50).default(6),
  MAX_WAITING_PER_CONSULT: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TLS_RELOAD_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  HTTP_REDIRECT_PORT: port.optional(),
  TURN_SECRET: z.string().regex(/^[\x21-\x7e]{32,256}$/, 'at least 32 printable characters, no spaces').optional(),
  TURN_HOST: z.string().regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, 'a host name or an IP address').optional(),
  TURN_PORT: port.default(3478),
  TURN_TLS_PORT: z.coerce.number().int().min(0).max(65535).default(443),
  TURN_CREDENTIAL_HOURS: z.coerce.number().positive().max(24 * 7).default(12),
  TURN_FORCE_RELAY: z.enum(['0', '1']).default('0'),
  ALLOWED_ORIGINS: z
    .string()
    .transform((list) => list.split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0))
    .pipe(z.array(z.url({ protocol: /^https?$/ })))
    .optional(),
  INVITE_LINK_VALID_HOURS_AFTER_START: z.coerce.number().positive().max(24 * 365).default(24),
  PATIENT_LINK_READING_DAYS: z.coerce.number().positive().max(3650).default(90),
  INVITE_SIGNING_KEY: z.base64().min(44, 'at least 32 bytes, base64').optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  LOGIN_ATTEMPTS_PER_15_MIN: z.coerce.number().int().min(1).max(1000).default(10),
  RECONNECT_GRACE_SECONDS: z.coerce.number().positive().max(600).default(60),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(100_000).default(100),
  MAX_CONSULT_DOCUMENTS_MB: z.coerce.number().positive().max(1_000_000).default(2000),
  MAX_ARCHIVE_ENTRY_MB: z.coerce.number().positive().max(100_000).default(100),
  UPLOAD_CHECK_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{16,256}$/, 'at least 16 printable characters, no spaces').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
});

/** Serving HTTPS ourselves. */
export interface TlsConfig {
  certFile: string;
  keyFile: string;
  /** How often the files are checked for a renewal. */
  reloadMs: number;
}

export interface MediaConfig {
  workerCount: number;
  workerBin: string;
  /** Address the WebRTC sockets bind to. */
  listenIp: string;
  /** Address put in ICE candidates; undefined means listenIp itself. */
  announcedAddress: string | undefined;
  /** Worker i listens on portBase + i, UDP and TCP. */
  portBase: number;
}

/**
 * GET /metrics (Prometheus). Off unless configured: on the main port only
 * behind a bearer token; on a separate listener (an internal address) with
 * the token too when one is set.
 */
export interface MetricsConfig {
  token: string | undefined;
  /** Serve /metrics here instead of on the main port. */
  listener: { host: string; port: number } | undefined;
}

export interface ServerConfig {
  httpPort: number;
  httpHost: string;
  media: MediaConfig;
  /** People in the call at once (doctors join even beyond it). */
  maxParticipantsPerConsult: number;
  /** People in a consult's waiting room at once. */
  maxWaitingPerConsult: number;
  /** How long a participant whose connection dropped may come back without being admitted again. */
  reconnectGraceMs: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** Built client (vite's output); served when present. */
  clientDir: string;
  /** Database and (later) uploaded files. */
  dataDir: string;
  /** Where people reach this server; used in links the server prints. */
  publicUrl: string | undefined;
  /** Serve HTTPS on `httpPort` with this certificate (reloaded when renewed); undefined: plain HTTP (a proxy does TLS, or local use). */
  tls: TlsConfig | undefined;
  /** A plain-HTTP listener that redirects to HTTPS. */
  httpRedirectPort: number | undefined;
  /** Our coturn, when there is one: participants get short-lived credentials for it. */
  turn: TurnConfig | undefined;
  /** Other origins whose pages may use this server (besides PUBLIC_URL and the host it is reached by). */
  allowedOrigins: string[];
  loginRateLimit: { windowMs: number; attempts: number };
  /** Reverse-proxy hops whose X-Forwarded-* headers to believe (0: none). */
  trustProxyHops: number;
  /** Joining the call with an invite link is possible until this long after the scheduled start. */
  joinWindowMs: number;
  /**
   * After the call (or the latest release of the written opinion), links keep opening the opinion,
   * the case and one's own documents this long.
   */
  readingPeriodMs: number;
  /** Base64; undefined means a key kept in the data directory. */
  inviteSigningKey: string | undefined;
  documents: {
    /** Per uploaded file. */
    maxUploadBytes: number;
    /** All of one consult's documents, as stored (studies unpacked). */
    maxConsultBytes: number;
    /** Per file inside a study zip, unpacked. */
    maxArchiveEntryBytes: number;
    /** Worker threads checking uploads; undefined: half the cores, 1 to 4. */
    checkThreads: number | undefined;
  };
  /** undefined: no /metrics anywhere. */
  metrics: MetricsConfig | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string): ServerConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  const values = parsed.data;
  if (values.METRICS_HOST !== undefined && values.METRICS_PORT === undefined) {
    throw new ConfigError('invalid configuration: METRICS_HOST needs METRICS_PORT (the port of the metrics listener)');
  }
  if ((values.TLS_CERT_FILE === undefined) !== (values.TLS_KEY_FILE === undefined)) {
    throw new ConfigError('invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE go together (the certificate and its private key)');
  }
  if (values.HTTP_REDIRECT_PORT !== undefined && values.TLS_CERT_FILE === undefined) {
    throw new ConfigError('invalid configuration: HTTP_REDIRECT_PORT redirects to HTTPS, which needs TLS_CERT_FILE and TLS_KEY_FILE');
  }
  const turnHost = values.TURN_HOST ?? (values.PUBLIC_URL ? new URL(values.PUBLIC_URL).hostname : undefined);
  if (values.TURN_SECRET !== undefined && turnHost === undefined) {
    throw new ConfigError('invalid configuration: TURN_SECRET needs TURN_HOST (or PUBLIC_URL): where browsers reach the TURN server');
  }
  if (values.TURN_FORCE_RELAY === '1' && values.TURN_SECRET === undefined) {
    throw new ConfigError('invalid configuration: TURN_FORCE_RELAY needs a TURN server (TURN_SECRET, TURN_HOST)');
  }
  if (values.METRICS_PORT !== undefined && values.METRICS_PORT !== 0 && values.METRICS_PORT === values.PORT) {
    throw new ConfigError('invalid configuration: METRICS_PORT must differ from PORT (leave it unset to serve /metrics on PORT with METRICS_TOKEN)');
  }
  return {
    httpPort: values.PORT,
    httpHost: values.HOST,
    media: {
      workerCount: values.MEDIASOUP_WORKERS ?? cpus().length,
      workerBin: values.MEDIASOUP_WORKER_BIN ?? defaultWorkerBin(),
      listenIp: values.MEDIA_LISTEN_IP,
      announcedAddress: values.MEDIA_ANNOUNCED_ADDRESS ?? guessAnnouncedAddress(values.MEDIA_LISTEN_IP),
      portBase: values.MEDIA_PORT_BASE,
    },
    maxParticipantsPerConsult: values.MAX_PARTICIPANTS_PER_CONSULT,
    maxWaitingPerConsult: values.MAX_WAITING_PER_CONSULT,
    reconnectGraceMs: values.RECONNECT_GRACE_SECONDS * 1000,
    logLevel: values.LOG_LEVEL,
    clientDir: join(projectRoot, 'dist', 'client'),
    dataDir: values.DATA_DIR ? resolve(values.DATA_DIR) : join(projectRoot, 'data'),
    publicUrl: values.PUBLIC_URL?.replace(/\/$/, ''),
    allowedOrigins: values.ALLOWED_ORIGINS ?? [],
    tls:
      values.TLS_CERT_FILE && values.TLS_KEY_FILE
        ? { certFile: resolve(values.TLS_CERT_FILE), keyFile: resolve(values.TLS_KEY_FILE), reloadMs: values.TLS_RELOAD_SECONDS * 1000 }
        : undefined,
    httpRedirectPort: values.HTTP_REDIRECT_PORT,
    turn:
      values.TURN_SECRET && turnHost
        ? {
            secret: values.TURN_SECRET,
            host: turnHost,
            port: values.TURN_PORT,
            tlsPort: values.TURN_TLS_PORT === 0 ? undefined : values.TURN_TLS_PORT,
            credentialTtlMs: values.TURN_CREDENTIAL_HOURS * 60 * 60 * 1000,
            forceRelay: values.TURN_FORCE_RELAY === '1',
          }
        : undefined,
    loginRateLimit: { windowMs: 15 * 60 * 1000, attempts: values.LOGIN_ATTEMPTS_PER_15_MIN },
    trustProxyHops: values.TRUST_PROXY,
    joinWindowMs: values.INVITE_LINK_VALID_HOURS_AFTER_START * 60 * 60 * 1000,
    readingPeriodMs: values.PATIENT_LINK_READING_DAYS * 24 * 60 * 60 * 1000,
    inviteSigningKey: values.INVITE_SIGNING_KEY,
    documents: {
      maxUploadBytes: Math.floor(values.MAX_UPLOAD_MB * 1024 * 1024),
      maxConsultBytes: Math.floor(values.MAX_CONSULT_DOCUMENTS_MB * 1024 * 1024),
      maxArchiveEntryBytes: Math.floor(values.MAX_ARCHIVE_ENTRY_MB * 1024 * 1024),
      checkThreads: values.UPLOAD_CHECK_THREADS,
    },
    metrics:
      values.METRICS_TOKEN === undefined && values.METRICS_PORT === undefined
        ? undefined
        : {
            token: values.METRICS_TOKEN,
            listener: values.METRICS_PORT === undefined ? undefined : { host: values.METRICS_HOST ?? '127.0.0.1', port: values.METRICS_PORT },
          },
  };
}

/** Where mediasoup itself looks when MEDIASOUP_WORKER_BIN is unset. */
function defaultWorkerBin(): string {
  const mediasoupEntry = createRequire(import.meta.url).resolve('mediasoup');
  // .../node_modules/mediasoup/node/lib/index.js
  return join(dirname(dirname(dirname(mediasoupEntry))), 'worker', 'out', 'Release', 'mediasoup-worker');
}

/**
 * Binding to every interface gives mediasoup nothing to put in its ICE
 * candidates, so announce the first external IPv4 address. Behind NAT this is
 * wrong and MEDIA_ANNOUNCED_ADDRESS must be set (see README).
 */
function guessAnnouncedAddress(listenIp: string): string | undefined {
  if (listenIp !== '0.0.0.0' && listenIp !== '::') return undefined;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
