// One table from each client-to-server event to the schema its request is
// validated with. The server registers its handlers through it (so a handler
// cannot be paired with the wrong schema), and the fuzz tests generate
// requests from it.
import { z } from 'zod';
import {
  addAnnotationRequestSchema,
  movePointerRequestSchema,
  presentDocumentRequestSchema,
  removeAnnotationRequestSchema,
  updateViewRequestSchema,
} from './documents';
import type { Ack, ClientToServerEvents } from './protocol';
import {
  allowReturnRequestSchema,
  connectionPathReportSchema,
  connectTransportRequestSchema,
  consumeRequestSchema,
  consumerRequestSchema,
  consumerViewRequestSchema,
  videoLimitsRequestSchema,
  createTransportRequestSchema,
  floorCueRequestSchema,
  joinRequestSchema,
  participantRequestSchema,
  produceRequestSchema,
  producerRequestSchema,
  restartIceRequestSchema,
  resumeRequestSchema,
  sendChatRequestSchema,
  setRtpCapabilitiesRequestSchema,
} from './schemas';

export type ClientEvent = keyof ClientToServerEvents;

/** What event E carries before its acknowledgement; undefined for events that carry nothing. */
export type RequestOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]> extends [infer R, unknown] ? R : undefined;

/** What the acknowledgement of event E carries when the server says yes. */
export type ResponseOf<E extends ClientEvent> =
  Parameters<ClientToServerEvents[E]> extends [...unknown[], (response: Ack<infer T>) => void] ? T : never;

/** The arguments of a request for event E before its acknowledgement: its payload, or nothing. */
export type RequestArgs<E extends ClientEvent> = Parameters<ClientToServerEvents[E]> extends [infer P, (response: never) => void] ? [payload: P] : [];

export type RequestSchemas = { [E in ClientEvent]: z.ZodType<RequestOf<E>> };

export const requestSchemas: RequestSchemas = {
  join: joinRequestSchema,
  createTransport: createTransportRequestSchema,
  connectTransport: connectTransportRequestSchema,
  restartIce: restartIceRequestSchema,
  produce: produceRequestSchema,
  pauseProducer: producerRequestSchema,
  resumeProducer: producerRequestSchema,
  closeProducer: producerRequestSchema,
  setRtpCapabilities: setRtpCapabilitiesRequestSchema,
  consume: consumeRequestSchema,
  resumeConsumer: consumerRequestSchema,
  setConsumerView: consumerViewRequestSchema,
  setVideoLimits: videoLimitsRequestSchema,
  leave: z.undefined(),
  resume: resumeRequestSchema,
  sendChat: sendChatRequestSchema,
  admit: participantRequestSchema,
  deny: participantRequestSchema,
  remove: participantRequestSchema,
  muteParticipant: participantRequestSchema,
  askToUnmute: participantRequestSchema,
  endConsult: z.undefined(),
  allowReturn: allowReturnRequestSchema,
  mediaAccess: z.undefined(),
  resetMedia: z.undefined(),
  reportConnectionPath: connectionPathReportSchema,
  presentDocument: presentDocumentRequestSchema,
  updateView: updateViewRequestSchema,
  movePointer: movePointerRequestSchema,
  stopPresenting: z.undefined(),
  addAnnotation: addAnnotationRequestSchema,
  removeAnnotation: removeAnnotationRequestSchema,
  floorCue: floorCueRequestSchema,
};

export const clientEvents = Object.keys(requestSchemas) as ClientEvent[];
