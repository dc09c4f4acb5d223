// Socket.IO signalling: validates every payload against the shared schemas,
// then hands it to the participant's consult. One socket is one participant
// in at most one consult; disconnecting is leaving.
import type { Server as HttpServer } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol';
import { requestSchemas, type ClientEvent, type RequestOf, type ResponseOf } from '../../shared/requests';
import { sessionCookieName } from '../accounts/accountStore';
import type { Consult } from '../live/consult';
import type { ConsultRegistry } from '../live/consultRegistry';
import type { Participant, ParticipantChannel } from '../live/participant';
import type { ConsultStore } from '../scheduling/consultStore';
import type { OriginPolicy } from '../http/originPolicy';
import type { Logger } from '../logger';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { Refusal, type RefusalReason } from '../../shared/refusals';

type ConsiliumSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
export type SignallingServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Largest message a client may send; real ones are a few kilobytes. */
const maxMessageBytes = 64 * 1024;

interface Membership {
  consult: Consult;
  participant: Participant;
  /** Stops listening for the consult's end. */
  stopWatching: () => void;
}

export interface SignallingDependencies {
  registry: ConsultRegistry;
  authorizer: JoinAuthorizer;
  consults: ConsultStore;
  /** Which pages may open a connection (checked at the handshake). */
  origins: OriginPolicy;
}

export function createSignallingServer(httpServer: HttpServer, dependencies: SignallingDependencies, logger: Logger): SignallingServer {
  const io: SignallingServer = new Server(httpServer, {
    maxHttpBufferSize: maxMessageBytes,
    serveClient: false,
    // A connection that went silent is noticed within about ten seconds (the defaults take 45), so the
    // others see "reconnecting" soon; media tells them sooner still (see the client's media session).
    pingInterval: 5_000,
    pingTimeout: 5_000,
    // Same origin only: the client is served by this server.
    cors: undefined,
    allowRequest: (request, callback) => {
      const allowed = dependencies.origins.allows(request);
      if (!allowed) logger.warn({ origin: request.headers.origin }, 'signalling handshake from a foreign origin refused');
      callback(allowed ? null : 'foreign origin', allowed);
    },
  });
  io.on('connection', (socket) => handleConnection(socket, dependencies, logger));
  return io;
}

function handleConnection(socket: ConsiliumSocket, { registry, authorizer, consults }: Omit<SignallingDependencies, 'origins'>, logger: Logger): void {
  let membership: Membership | undefined;
  let joining = false;
  // One channel per connection: the consult can tell an old connection from a new one.
  const channel: ParticipantChannel = {
    notify: (event, ...args) => socket.emit(event, ...args),
    disconnect: () => socket.disconnect(true),
  };

  const becomeMember = (consult: Consult, participant: Participant): void => {
    const stopWatching = consult.events.on('closed', () => {
      if (membership?.consult === consult) membership = undefined;
    });
    membership = { consult, participant, stopWatching };
  };

  /** This connection is no longer in its consult (it left, or the connection dropped). */
  const endMembership = (): Membership | undefined => {
    const ended = membership;
    membership = undefined;
    ended?.stopWatching();
    return ended;
  };

  /** In a consult, lines carry its id and the participant's; before joining, neither exists. */
  const connectionLogger = (): Logger => membership?.participant.logger ?? logger;

  const member = (): Membership => {
    if (!membership) throw new Refusal('not-joined', 'join a consult first');
    return membership;
  };

  /**
   * Registers a request handler: the payload is parsed with the event's
   * schema from the shared table (a bad one is refused with
   * `invalid-payload` and nothing else happens), the handler's result or
   * refusal goes back through the acknowledgement.
   */
  function handle<E extends ClientEvent>(event: E, handler: (request: RequestOf<E>) => Promise<ResponseOf<E>> | ResponseOf<E>): void {
    type R = ResponseOf<E>;
    const schema: z.ZodType<RequestOf<E>> = requestSchemas[event];
    // Socket.IO hands over whatever the client sent: nothing here is trusted.
    // typescript-eslint and tsc disagree on this generic event name; tsc needs it as a plain string.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    (socket as unknown as Socket).on(event as string, (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') {
        connectionLogger().debug({ event }, 'request without acknowledgement ignored');
        return;
      }
      const reply = (response: Ack<R>): void => {
        (ack as (response: Ack<R>) => void)(response);
      };
      const parsed = schema.safeParse(args.length === 2 ? args[0] : undefined);
      if (!parsed.success) {
        reply({ ok: false, error: { code: 'invalid-payload', message: z.prettifyError(parsed.error) } });
        return;
      }
      Promise.resolve()
        .then(() => handler(parsed.data))
        .then(
          (result) => reply({ ok: true, ...result }),
          (error: unknown) => reply({ ok: false, error: refusalReasonOf(error, event, connectionLogger()) }),
        );
    });
  }

  handle('join', async (request) => {
    if (membership || joining) throw new Refusal('already-joined', 'this connection is already in a consult');
    const requestedAt = Date.now();
    joining = true;
    try {
      const { consult: info, identity } = await authorizer.authorize(request, sessionTokenOf(socket));
      const consult = await registry.getOrCreate(info);
      if (socket.disconnected) {
        consult.closeIfEmpty();
        throw new Refusal('not-joined', 'disconnected while joining');
      }
      const participant = consult.join(identity, channel, requestedAt);
      becomeMember(consult, participant);
      return { ...consult.viewFor(participant), resumeToken: participant.resumeToken };
    } finally {
      joining = false;
    }
  });

  handle('createTransport', async ({ direction }) => {
    const { consult, participant } = member();
    return { transport: await consult.mediaOf(participant).createTransport(participant, direction) };
  });

  handle('connectTransport', async ({ transportId, dtlsParameters }) => {
    const { consult, participant } = member();
    await consult.mediaOf(participant).connectTransport(participant, transportId, dtlsParameters);
    return {};
  });

  handle('restartIce', async ({ transportId }) => {
    const { consult, participant } = member();
    return { iceParameters: await consult.mediaOf(participant).restartIce(participant, transportId) };
  });

  handle('produce', async (request) => {
    const { consult, participant } = member();
    return { producerId: await consult.mediaOf(participant).produce(participant, request) };
  });

  handle('pauseProducer', async ({ producerId }) => {
    const { consult, participant } = member();
    await consult.mediaOf(participant).setProducerPaused(participant, producerId, true);
    return {};
  });

  handle('resumeProducer', async ({ producerId }) => {
    const { consult, participant } = member();
    await consult.mediaOf(participant).setProducerPaused(participant, producerId, false);
    return {};
  });

  handle('setVideoLimits', async (limits) => {
    const { consult, participant } = member();
    await consult.mediaOf(participant).setVideoLimits(participant, limits);
    return {};
  });

  handle('closeProducer', ({ producerId }) => {
    const { consult, participant } = member();
    consult.mediaOf(participant).closeProducer(participant, producerId);
    return {};
  });

  handle('setRtpCapabilities', ({ rtpCapabilities }) => {
    const { consult, participant } = member();
    consult.mediaOf(participant).setRtpCapabilities(participant, rtpCapabilities);
    return {};
  });

  handle('consume', async ({ producerId }) => {
    const { consult, participant } = member();
    return { consumer: await consult.mediaOf(participant).consume(participant, producerId) };
  });

  handle('resumeConsumer', async ({ consumerId }) => {
    const { consult, participant } = member();
    await consult.mediaOf(participant).resumeConsumer(participant, consumerId);
    return {};
  });

  handle('setConsumerView', async ({ consumerId, height }) => {
    const { consult, participant } = member();
    await consult.mediaOf(participant).setConsumerView(participant, consumerId, height);
    return {};
  });

  handle('leave', () => {
    const { consult, participant } = member();
    endMembership();
    consult.leave(participant);
    return {};
  });

  handle('resume', ({ participantId, resumeToken }) => {
    if (membership || joining) throw new Refusal('already-joined', 'this connection is already in a consult');
    const consult = registry.consultOf(participantId);
    if (!consult) throw new Refusal('not-found', 'nothing to resume: join again');
    const participant = consult.resume(participantId, resumeToken, channel, (returning) => authorizer.recheck(consult.id, returning.linkId));
    becomeMember(consult, participant);
    return { ...consult.viewFor(participant), consumerIds: participant.consumers().map((consumer) => consumer.id) };
  });

  handle('sendChat', ({ text, to }) => {
    const { consult, participant } = member();
    return { message: consult.sendChat(participant, text, to) };
  });

  handle('admit', ({ participantId }) => {
    const { consult, participant } = member();
    consult.admit(participant, participantId);
    return {};
  });

  for (const [event, reason] of [
    ['deny', 'denied'],
    ['remove', 'removed'],
  ] as const) {
    handle(event, ({ participantId }) => {
      const { consult, participant } = member();
      const dismissed = consult.dismiss(participant, participantId, reason);
      // The same link must not bring them back.
      if (dismissed.linkId) consults.revokeLink(dismissed.linkId, reason);
      return {};
    });
  }

  handle('resetMedia', () => {
    const { consult, participant } = member();
    consult.mediaOf(participant).reset(participant);
    return {};
  });

  handle('mediaAccess', () => {
    const { consult, participant } = member();
    return { mediaAccess: consult.mediaOf(participant).accessFor(participant) };
  });

  handle('reportConnectionPath', ({ path }) => {
    const { consult, participant } = member();
    consult.mediaOf(participant).reportPath(participant, path);
    return {};
  });

  handle('allowReturn', ({ participantId, allowed }) => {
    const { consult, participant } = member();
    consult.allowReturn(participant, participantId, allowed);
    return {};
  });

  handle('muteParticipant', async ({ participantId }) => {
    const { consult, participant } = member();
    await consult.muteParticipant(participant, participantId);
    return {};
  });

  handle('askToUnmute', ({ participantId }) => {
    const { consult, participant } = member();
    consult.askToUnmute(participant, participantId);
    return {};
  });

  handle('endConsult', () => {
    const { consult, participant } = member();
    consult.end(participant);
    consults.markEnded(consult.id);
    return {};
  });

  handle('presentDocument', ({ documentId }) => {
    const { consult, participant } = member();
    return { presentation: consult.viewingOf(participant).present(participant, documentId) };
  });

  handle('updateView', ({ view }) => {
    const { consult, participant } = member();
    consult.viewingOf(participant).updateView(participant, view);
    return {};
  });

  handle('movePointer', ({ pointer }) => {
    const { consult, participant } = member();
    consult.viewingOf(participant).movePointer(participant, pointer);
    return {};
  });

  handle('stopPresenting', () => {
    const { consult, participant } = member();
    consult.viewingOf(participant).stop(participant);
    return {};
  });

  handle('addAnnotation', (request) => {
    const { consult, participant } = member();
    return { annotation: consult.viewingOf(participant).addAnnotation(participant, request) };
  });

  handle('removeAnnotation', ({ annotationId }) => {
    const { consult, participant } = member();
    consult.viewingOf(participant).removeAnnotation(participant, annotationId);
    return {};
  });

  handle('floorCue', ({ cue }) => {
    const { consult, participant } = member();
    return { floor: consult.floorCue(participant, cue) };
  });

  // A dropped connection is not leaving: the participant has a grace period to resume.
  socket.on('disconnect', () => {
    const ended = endMembership();
    ended?.consult.connectionLost(ended.participant, channel);
  });
}

function refusalReasonOf(error: unknown, event: string, logger: Logger): RefusalReason {
  if (error instanceof Refusal) return error.reason;
  logger.error({ err: error, event }, 'unexpected error while handling a request');
  return { code: 'internal-error', message: 'the server could not handle this request' };
}

function sessionTokenOf(socket: ConsiliumSocket): string | undefined {
  const header = socket.request.headers.cookie;
  return header ? parseCookies(header)[sessionCookieName] : undefined;
}
