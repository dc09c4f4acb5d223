// Who is asking about a consult over HTTP: its doctor (session cookie); or a
// patient or interpreter with their invite link (`Authorization: Bearer
// <token>`), optionally proving they are a participant of the live consult
// (`X-Consilium-Participant: <participantId>.<resume token>`), which is what
// tells whether they are in the call now. A link works after the call too (to
// read the written opinion, the case, one's documents) until it expires or is
// withdrawn. Anyone else is refused, and a doctor asking about another
// doctor's consult learns nothing about it.
import type { Request, Response } from 'express';
import { participantProofHeader, participantProofSchema } from '../../shared/documents';
import { Refusal } from '../../shared/refusals';
import { consultIdSchema, type Role } from '../../shared/schemas';
import type { AccountStore } from '../accounts/accountStore';
import type { ConsultRegistry } from '../live/consultRegistry';
import type { Participant } from '../live/participant';
import type { ConsultRecord, ConsultStore } from '../scheduling/consultStore';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { sessionTokenOf } from './accountsRouter';
import { sendApiError } from './apiResponses';
import { bearerToken, inviteLinkOf } from './inviteBearer';

export interface ConsultRequester {
  consult: ConsultRecord;
  role: Role;
  /** In the call now. Doctors always count as in; someone waiting, or not joined yet, is not. */
  admitted: boolean;
  /** The invite link they came with; doctors have none. */
  linkId: string | null;
  /** As the audit log names them, e.g. "patient Amira Haddad". */
  auditName: string;
  /** As others see them; empty for a link holder not in the call whose name is not known. */
  displayName: string;
  /** Whether they proved to be a participant of the live consult (then `displayName` is the name they joined with). */
  inCall: boolean;
}

export interface RequesterSources {
  consults: ConsultStore;
  accounts: AccountStore;
  authorizer: JoinAuthorizer;
  registry: ConsultRegistry;
}

export type IdentifyRequester = (request: Request) => Promise<ConsultRequester>;

/** Identifies the asker for the consult named by the route's `:consultId`, or throws the refusal to answer. */
export function consultRequesterIdentifier(sources: RequesterSources): IdentifyRequester {
  const { consults, accounts, authorizer, registry } = sources;

  /** The live participant the request proves to be, if any (someone who left is just their link). */
  const participantFrom = (request: Request, consultId: string, linkId: string): Participant | undefined => {
    const proof = participantProofSchema.safeParse(request.get(participantProofHeader));
    if (!proof.success) return undefined;
    const participant = registry.get(consultId)?.participants.get(proof.data.participantId);
    if (!participant || participant.linkId !== linkId || !participant.matchesResumeToken(proof.data.secret)) return undefined;
    return participant;
  };

  return async (request) => {
    const consultId = consultIdSchema.safeParse(request.params['consultId']);
    const consult = consultId.success ? consults.get(consultId.data) : undefined;
    const sessionToken = sessionTokenOf(request);
    const doctor = sessionToken ? accounts.doctorForSession(sessionToken) : undefined;
    if (consult && doctor && consult.doctorId === doctor.id) {
      return { consult, role: 'doctor', admitted: true, linkId: null, auditName: `doctor ${doctor.displayName}`, displayName: doctor.displayName, inCall: false };
    }
    if (bearerToken(request) === undefined) {
      if (doctor) throw new Refusal('not-found', 'no such consult');
      throw new Refusal('unauthenticated', 'open your invite link, or sign in');
    }
    const { link } = await inviteLinkOf(request, authorizer);
    if (!consult || link.consultId !== consult.id) throw new Refusal('not-found', 'no such consult');
    const participant = participantFrom(request, consult.id, link.id);
    const displayName = participant?.displayName ?? (link.role === 'patient' ? consult.patientName : '');
    return {
      consult,
      role: link.role,
      admitted: participant?.admitted ?? false,
      linkId: link.id,
      auditName: participant?.auditName ?? `${link.role} ${displayName}`.trim(),
      displayName,
      inCall: participant !== undefined,
    };
  };
}

export type RequesterHandler = (request: Request, response: Response, requester: ConsultRequester) => Promise<void> | void;

/**
 * Wraps a route's handler: identifies the asker first, and answers any refusal thrown (by
 * `identify` or the handler) with its HTTP error.
 */
export function requesterRoutes(identify: IdentifyRequester): (handler: RequesterHandler) => (request: Request, response: Response) => Promise<void> {
  return (handler) => async (request, response) => {
    try {
      await handler(request, response, await identify(request));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      // The client may still be sending a refused upload: do not read it, close once answered.
      if (!request.complete) response.setHeader('Connection', 'close');
      sendApiError(response, error.code, error.message);
    }
  };
}
