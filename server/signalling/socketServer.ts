// Socket.IO signalling: validates every payload against the shared schemas,
// then hands it to the participant's consult. One socket is one participant
// in at most one consult; disconnecting is leaving.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Ack, ClientToServerEvents, ProtocolError, ServerToClientEvents } from '../../shared/protocol';
import {
  connectTransportRequestSchema,
  consumeRequestSchema,
  consumerRequestSchema,
  createTransportRequestSchema,
  joinRequestSchema,
  produceRequestSchema,
  producerRequestSchema,
  restartIceRequestSchema,
  setRtpCapabilitiesRequestSchema,
} from '../../shared/schemas';
import type { Consult } from '../consult/consult';
import type { ConsultRegistry } from '../consult/consultRegistry';
import type { Participant } from '../consult/participant';
import type { Logger } from '../logger';
import { ProtocolFailure } from './protocolFailure';

type ConsiliumSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
export type SignallingServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Largest message a client may send; real ones are a few kilobytes. */
const maxMessageBytes = 64 * 1024;

interface Membership {
  consult: Consult;
  participant: Participant;
}

export function createSignallingServer(httpServer: HttpServer, registry: ConsultRegistry, logger: Logger): SignallingServer {
  const io: SignallingServer = new Server(httpServer, {
    maxHttpBufferSize: maxMessageBytes,
    serveClient: false,
    // Same origin only: the client is served by this server.
    cors: undefined,
  });
  io.on('connection', (socket) => handleConnection(socket, registry, logger));
  return io;
}

function handleConnection(socket: ConsiliumSocket, registry: ConsultRegistry, logger: Logger): void {
  let membership: Membership | undefined;
  let joining = false;

  const member = (): Membership => {
    if (!membership) throw new ProtocolFailure('not-joined', 'join a consult first');
    return membership;
  };

  /**
   * Registers a request handler: the payload is parsed with `schema` (a bad
   * one is refused with `invalid-payload` and nothing else happens), the
   * handler's result or refusal goes back through the acknowledgement.
   */
  function handle<S extends z.ZodType, R extends object>(
    event: keyof ClientToServerEvents,
    schema: S,
    handler: (request: z.infer<S>) => Promise<R> | R,
  ): void {
    // Socket.IO hands over whatever the client sent: nothing here is trusted.
    (socket as unknown as Socket).on(event, (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') {
        logger.debug({ event }, 'request without acknowledgement ignored');
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
          (error: unknown) => reply({ ok: false, error: toProtocolError(error, event, logger) }),
        );
    });
  }

  handle('join', joinRequestSchema, async (request) => {
    if (membership || joining) throw new ProtocolFailure('already-joined', 'this connection is already in a consult');
    joining = true;
    try {
      const consult = await registry.getOrCreate(request.consultId);
      if (socket.disconnected) {
        consult.closeIfEmpty();
        throw new ProtocolFailure('not-joined', 'disconnected while joining');
      }
      const participant = consult.join(request.role, request.displayName, {
        notify: (event, ...args) => socket.emit(event, ...args),
      });
      membership = { consult, participant };
      consult.onClose(() => {
        if (membership?.consult === consult) membership = undefined;
      });
      return {
        participantId: participant.id,
        routerRtpCapabilities: consult.routerRtpCapabilities,
        participants: consult.othersOf(participant),
      };
    } finally {
      joining = false;
    }
  });

  handle('createTransport', createTransportRequestSchema, async ({ direction }) => {
    const { consult, participant } = member();
    return { transport: await consult.createTransport(participant, direction) };
  });

  handle('connectTransport', connectTransportRequestSchema, async ({ transportId, dtlsParameters }) => {
    const { consult, participant } = member();
    await consult.connectTransport(participant, transportId, dtlsParameters);
    return {};
  });

  handle('restartIce', restartIceRequestSchema, async ({ transportId }) => {
    const { consult, participant } = member();
    return { iceParameters: await consult.restartIce(participant, transportId) };
  });

  handle('produce', produceRequestSchema, async (request) => {
    const { consult, participant } = member();
    return { producerId: await consult.produce(participant, request) };
  });

  handle('pauseProducer', producerRequestSchema, async ({ producerId }) => {
    const { consult, participant } = member();
    await consult.setProducerPaused(participant, producerId, true);
    return {};
  });

  handle('resumeProducer', producerRequestSchema, async ({ producerId }) => {
    const { consult, participant } = member();
    await consult.setProducerPaused(participant, producerId, false);
    return {};
  });

  handle('closeProducer', producerRequestSchema, ({ producerId }) => {
    const { consult, participant } = member();
    consult.closeProducer(participant, producerId);
    return {};
  });

  handle('setRtpCapabilities', setRtpCapabilitiesRequestSchema, ({ rtpCapabilities }) => {
    const { consult, participant } = member();
    consult.setRtpCapabilities(participant, rtpCapabilities);
    return {};
  });

  handle('consume', consumeRequestSchema, async ({ producerId }) => {
    const { consult, participant } = member();
    return { consumer: await consult.consume(participant, producerId) };
  });

  handle('resumeConsumer', consumerRequestSchema, async ({ consumerId }) => {
    const { consult, participant } = member();
    await consult.resumeConsumer(participant, consumerId);
    return {};
  });

  handle('leave', z.undefined(), () => {
    const { consult, participant } = member();
    membership = undefined;
    consult.leave(participant);
    return {};
  });

  socket.on('disconnect', () => {
    if (!membership) return;
    const { consult, participant } = membership;
    membership = undefined;
    consult.leave(participant);
  });
}

function toProtocolError(error: unknown, event: string, logger: Logger): ProtocolError {
  if (error instanceof ProtocolFailure) return error.toProtocolError();
  logger.error({ err: error, event }, 'unexpected error while handling a request');
  return { code: 'internal-error', message: 'the server could not handle this request' };
}
