// Wires the pieces together: worker pool -> consult registry -> signalling
// and HTTP. Tests start it in-process with their own config.
import type { X509Certificate } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { AccountStore } from './accounts/accountStore';
import { AuditLog } from './audit/auditLog';
import { IntakeStore } from './review/intakeStore';
import { OpinionStore } from './review/opinionStore';
import { PdfPool } from './review/pdfPool';
import { consultStage } from './review/consultStage';
import type { ServerConfig } from './config';
import { ConsultRegistry } from './live/consultRegistry';
import { ChatStore } from './scheduling/chatStore';
import { ConsultStore } from './scheduling/consultStore';
import { InviteTokens } from './scheduling/inviteTokens';
import { LiveStateStore } from './scheduling/liveStateStore';
import { mediaAccessFor } from './turn/turnCredentials';
import { CheckingPool, defaultCheckingPoolOptions } from './documents/checkingPool';
import { DocumentLibrary } from './documents/documentLibrary';
import { DocumentStore } from './documents/documentStore';
import { createHttpApp } from './http/app';
import { OriginPolicy } from './http/originPolicy';
import { createRedirectServer, createWebServer, listen, trackConnections, type WebServer } from './http/webServer';
import type { Logger } from './logger';
import { NetworkProbes } from './media/networkProbes';
import { WorkerPool } from './media/workerPool';
import { ServerMetrics } from './metrics/metrics';
import { metricsHandler, startMetricsListener } from './metrics/metricsHttp';
import { JoinAuthorizer } from './scheduling/joinAuthorizer';
import { createSignallingServer, type SignallingServer } from './signalling/socketServer';
import { openDatabase, type Database } from './storage/database';

/** How long a shutdown lets requests in progress finish before closing their connections. */
const shutdownGraceMs = 5000;

export interface ConsiliumServer {
  /** The HTTP port actually bound (useful when config asked for port 0). */
  port: number;
  /** Where the database and uploaded documents live. */
  dataDir: string;
  registry: ConsultRegistry;
  pool: WorkerPool;
  accounts: AccountStore;
  consults: ConsultStore;
  inviteTokens: InviteTokens;
  audit: AuditLog;
  documents: DocumentLibrary;
  intakes: IntakeStore;
  opinions: OpinionStore;
  database: Database;
  io: SignallingServer;
  /** The TLS certificate served now, when serving HTTPS. */
  certificate(): X509Certificate | undefined;
  /** The port of the separate metrics listener, when configured. */
  metricsPort: number | undefined;
  close(): Promise<void>;
}

export async function startConsiliumServer(config: ServerConfig, logger: Logger): Promise<ConsiliumServer> {
  const database = openDatabase(config.dataDir);
  const accounts = new AccountStore(database);
  const consults = new ConsultStore(database);
  const audit = new AuditLog(database);
  const intakes = new IntakeStore(database);
  const opinions = new OpinionStore(database);
  const chat = new ChatStore(database);
  const liveState = new LiveStateStore(database);
  // Whoever was in a consult when the server last stopped without closing it (a crash, SIGKILL) left then.
  for (const { consultId, auditName } of liveState.takeLeftoverPresence()) audit.record(consultId, 'left', auditName, 'the server stopped');
  const documentStore = new DocumentStore(database);
  const checking = new CheckingPool(
    { ...defaultCheckingPoolOptions(), ...(config.documents.checkThreads ? { threads: config.documents.checkThreads } : {}) },
    logger,
  );
  const documents = new DocumentLibrary(documentStore, config.dataDir, config.documents, checking, logger);
  let inviteTokens: InviteTokens;
  try {
    inviteTokens = InviteTokens.fromDataDir(config.dataDir, config.inviteSigningKey);
  } catch (error) {
    await checking.close();
    database.close();
    throw error;
  }
  let pool: WorkerPool;
  try {
    pool = await WorkerPool.create(config.media, logger);
  } catch (error) {
    await checking.close();
    database.close();
    throw error;
  }
  // Reads live state only when scraped, by which time registry and io exist.
  const metrics: ServerMetrics | undefined = config.metrics
    ? new ServerMetrics({ consults: () => registry.consults(), workers: () => pool.workers, connections: () => io.engine.clientsCount })
    : undefined;
  const registry: ConsultRegistry = new ConsultRegistry(
    pool,
    {
      maxParticipants: config.maxParticipantsPerConsult,
      maxWaiting: config.maxWaitingPerConsult,
      reconnectGraceMs: config.reconnectGraceMs,
      auditorFor: (consultId) => (action, actor, subject) => audit.record(consultId, action, actor, subject ?? null),
      chatFor: (consultId) => ({
        add: (from, audience, text) => chat.add(consultId, from, audience, text),
        list: () => chat.list(consultId),
      }),
      documentsFor: (consultId) => documentStore.forConsult(consultId),
      memoryFor: (consultId) => liveState.forConsult(consultId),
      mediaAccessFor: (participant) => mediaAccessFor(config.turn, participant.id),
      onCreated: metrics ? (consult) => metrics.watch(consult) : undefined,
    },
    logger,
  );
  const probes = new NetworkProbes(pool);
  const authorizer = new JoinAuthorizer(consults, accounts, inviteTokens, config.joinWindowMs);
  const origins = new OriginPolicy({ publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins, trustProxyHops: config.trustProxyHops });
  const pdfs = new PdfPool();
  const app = createHttpApp({
    clientDir: config.clientDir,
    health: () => ({ liveWorkerCount: pool.liveWorkerCount, expectedWorkerCount: config.media.workerCount }),
    accounts,
    consults: {
      consults,
      tokens: inviteTokens,
      registry,
      audit,
      joinWindowMs: config.joinWindowMs,
      readingPeriodMs: config.readingPeriodMs,
      stageOf: (record) => consultStage(record, { intakes, opinions, documents: documentStore }),
    },
    documents: { library: documents, consults, accounts, authorizer, registry, audit },
    review: { intakes, opinions, pdfs },
    networkCheck: { probes, turn: config.turn },
    loginRateLimit: config.loginRateLimit,
    trustProxyHops: config.trustProxyHops,
    origins,
    logger,
    metrics: metrics && config.metrics && !config.metrics.listener ? metricsHandler(metrics, config.metrics.token, logger) : undefined,
  });
  let web: WebServer;
  try {
    web = createWebServer(app, config.tls, logger);
  } catch (error) {
    pool.close();
    await Promise.all([checking.close(), pdfs.close()]);
    database.close();
    throw new Error(`cannot serve HTTPS: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const httpServer = web.server;
  const connections = trackConnections(httpServer);
  const io = createSignallingServer(httpServer, { registry, authorizer, consults, origins }, logger);

  let port: number;
  let redirect: HttpServer | undefined;
  try {
    port = await listen(httpServer, config.httpPort, config.httpHost);
    if (config.httpRedirectPort !== undefined) {
      redirect = createRedirectServer(config.publicUrl, port);
      await listen(redirect, config.httpRedirectPort, config.httpHost);
    }
  } catch (error) {
    web.stopWatching();
    httpServer.close();
    redirect?.close();
    pool.close();
    await Promise.all([checking.close(), pdfs.close()]);
    database.close();
    throw error;
  }
  let metricsListener: Awaited<ReturnType<typeof startMetricsListener>> | undefined;
  const listener = config.metrics?.listener;
  if (metrics && config.metrics && listener) {
    try {
      metricsListener = await startMetricsListener(metrics, { ...config.metrics, listener }, logger);
    } catch (error) {
      await io.close();
      pool.close();
      await Promise.all([checking.close(), pdfs.close()]);
      database.close();
      throw new Error(`cannot serve metrics on ${listener.host}:${listener.port}: ${String(error)}`, { cause: error });
    }
  }
  logger.info(
    { port, https: web.secure, host: config.httpHost, mediaListenIp: config.media.listenIp, announcedAddress: config.media.announcedAddress },
    'consilium listening',
  );
  if (config.metrics) {
    logger.info(
      metricsListener
        ? { metricsHost: listener?.host, metricsPort: metricsListener.port, metricsToken: config.metrics.token !== undefined }
        : { metricsPort: port, metricsToken: true },
      'metrics served at /metrics',
    );
  }

  let closing: Promise<void> | undefined;
  return {
    port,
    dataDir: config.dataDir,
    registry,
    pool,
    accounts,
    consults,
    inviteTokens,
    audit,
    documents,
    intakes,
    opinions,
    database,
    io,
    metricsPort: metricsListener?.port,
    certificate: () => web.certificate(),
    close() {
      closing ??= (async () => {
        registry.closeAll('server-shutdown');
        web.stopWatching();
        redirect?.close();
        // Requests in progress get a grace period to finish; then their connections are closed.
        const forceClose = setTimeout(() => connections.destroyAll(), shutdownGraceMs);
        await io.close(); // also closes the HTTP server
        clearTimeout(forceClose);
        if (metricsListener) {
          const { server } = metricsListener;
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
        metrics?.close();
        probes.close();
        pool.close();
        await Promise.all([checking.close(), pdfs.close()]);
        database.close();
      })();
      return closing;
    },
  };
}
