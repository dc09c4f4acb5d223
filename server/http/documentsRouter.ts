// A consult's documents over HTTP, at /api/consults/:consultId/documents.
//
// Who is asking: the consult's doctor (session cookie); or a patient or
// interpreter with their invite link (`Authorization: Bearer <token>`),
// optionally proving they are a participant of the live consult
// (`X-Consilium-Participant: <participantId>.<resume token>`), which is what
// lets someone in the call see documents. Everything else is refused before
// a byte of an upload is read. Every view and download is audited.
import type { Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import {
  documentAccessRequestSchema,
  documentNameSchema,
  participantProofHeader,
  participantProofSchema,
  type DocumentListResponse,
} from '../../shared/documents';
import { consultIdSchema } from '../../shared/schemas';
import { sessionTokenOf } from './accountsRouter';
import type { AccountStore } from '../accounts/accountStore';
import type { AuditAction, AuditLog } from '../audit/auditLog';
import type { ConsultRegistry } from '../live/consultRegistry';
import type { Participant } from '../live/participant';
import type { DocumentChange } from '../live/sharedViewing';
import type { ConsultRecord, ConsultStore } from '../scheduling/consultStore';
import { parseBody, sendApiError } from './apiResponses';
import { bearerToken, inviteLinkOf } from './inviteBearer';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { assertMaySee, documentInfo, mayRemove, mayUpload, maySee, type DocumentReader } from '../documents/documentAccess';
import type { DocumentLibrary } from '../documents/documentLibrary';
import type { DocumentRecord } from '../documents/documentStore';
import { Refusal } from '../../shared/refusals';

export interface DocumentsRouterDependencies {
  library: DocumentLibrary;
  consults: ConsultStore;
  accounts: AccountStore;
  authorizer: JoinAuthorizer;
  registry: ConsultRegistry;
  audit: AuditLog;
}

interface Requester {
  consult: ConsultRecord;
  reader: DocumentReader;
  /** As the audit log names them, e.g. "patient Amira Haddad". */
  auditName: string;
  /** As others see them next to what they uploaded. */
  displayName: string;
}

/** Repeated fetches of one document by one person (slices of a study, re-renders) count as one view. */
const viewAuditWindowMs = 10 * 60 * 1000;

export function createDocumentsRouter(dependencies: DocumentsRouterDependencies): Router {
  const { library, consults, accounts, authorizer, registry, audit } = dependencies;
  const router = express.Router({ mergeParams: true });
  const lastViews = new Map<string, number>();

  const identify = async (request: Request): Promise<Requester> => {
    const consultId = consultIdSchema.safeParse(request.params['consultId']);
    const consult = consultId.success ? consults.get(consultId.data) : undefined;
    const sessionToken = sessionTokenOf(request);
    const doctor = sessionToken ? accounts.doctorForSession(sessionToken) : undefined;
    if (consult && doctor && consult.doctorId === doctor.id) {
      return {
        consult,
        reader: { role: 'doctor', admitted: true, linkId: null },
        auditName: `doctor ${doctor.displayName}`,
        displayName: doctor.displayName,
      };
    }
    if (bearerToken(request) === undefined) {
      // A doctor asking for someone else's consult learns nothing about it.
      if (doctor) throw new Refusal('not-found', 'no such consult');
      throw new Refusal('unauthenticated', 'open your invite link, or sign in');
    }
    const { link } = await inviteLinkOf(request, authorizer);
    if (!consult || link.consultId !== consult.id) throw new Refusal('not-found', 'no such consult');
    if (consult.endedAt !== null) throw new Refusal('consult-ended', 'this consult has ended');
    const participant = participantFrom(request, consult.id, link.id);
    const displayName = participant?.displayName ?? (link.role === 'patient' ? consult.patientName : '');
    return {
      consult,
      reader: { role: link.role, admitted: participant?.admitted ?? false, linkId: link.id },
      auditName: participant?.auditName ?? `${link.role} ${displayName}`.trim(),
      displayName,
    };
  };

  /** The live participant the request proves to be, if any (someone who left is just their link). */
  const participantFrom = (request: Request, consultId: string, linkId: string): Participant | undefined => {
    const proof = participantProofSchema.safeParse(request.get(participantProofHeader));
    if (!proof.success) return undefined;
    const participant = registry.get(consultId)?.participants.get(proof.data.participantId);
    if (!participant || participant.linkId !== linkId || !participant.matchesResumeToken(proof.data.secret)) return undefined;
    return participant;
  };

  const documentOf = (request: Request, requester: Requester): DocumentRecord => {
    const id = z.uuid().safeParse(request.params['documentId']);
    const document = id.success ? library.store.get(id.data) : undefined;
    if (!document || document.consultId !== requester.consult.id) throw new Refusal('not-found', 'no such document');
    return document;
  };

  const record = (requester: Requester, action: AuditAction, document: DocumentRecord): void => {
    audit.record(requester.consult.id, action, requester.auditName, document.originalName);
  };

  const recordView = (requester: Requester, document: DocumentRecord): void => {
    const key = `${requester.auditName}\u0000${document.id}`;
    const now = Date.now();
    if (now - (lastViews.get(key) ?? 0) < viewAuditWindowMs) return;
    lastViews.set(key, now);
    if (lastViews.size > 10_000) {
      for (const [seen, at] of lastViews) if (now - at >= viewAuditWindowMs) lastViews.delete(seen);
    }
    record(requester, 'document-viewed', document);
  };

  const notifyConsult = (consultId: string, change: DocumentChange): void => {
    registry.get(consultId)?.documentsChanged(change);
  };

  /** Refusals become `{ error }` answers; anything else is a server fault for the API's error handler. */
  const route =
    (handler: (request: Request, response: Response, requester: Requester) => Promise<void> | void) =>
    async (request: Request, response: Response): Promise<void> => {
      try {
        await handler(request, response, await identify(request));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        // The client may still be sending a refused upload: do not read it, close once answered.
        if (!request.complete) response.setHeader('Connection', 'close');
        sendApiError(response, error.code, error.message);
      }
    };

  router.get(
    '/',
    route((_request, response, requester) => {
      const documents = library.store
        .listForConsult(requester.consult.id)
        .filter((document) => maySee(requester.reader, document))
        .map((document) => documentInfo(document, requester.reader));
      const result: DocumentListResponse = {
        documents,
        limits: { maxUploadBytes: library.limits.maxUploadBytes, remainingBytes: library.remainingBytes(requester.consult.id) },
      };
      response.setHeader('Cache-Control', 'no-store');
      response.json(result);
    }),
  );

  router.post(
    '/',
    route(async (request, response, requester) => {
      if (!mayUpload(requester.reader)) throw new Refusal('forbidden', 'interpreters do not upload documents');
      const name = documentNameSchema.safeParse(request.query['name']);
      if (!name.success) throw new Refusal('invalid-payload', z.prettifyError(name.error));
      const declared = request.get('content-length');
      const declaredBytes = declared !== undefined && /^\d{1,15}$/.test(declared) ? Number(declared) : undefined;
      const { document, skippedFiles } = await library.ingest(
        requester.consult.id,
        { role: requester.reader.role, displayName: requester.displayName, linkId: requester.reader.linkId ?? null },
        name.data,
        request,
        declaredBytes,
      );
      record(requester, 'document-uploaded', document);
      notifyConsult(requester.consult.id, { kind: 'added', document });
      response.status(201).json({ document: documentInfo(document, requester.reader), skippedFiles });
    }),
  );

  router.get(
    '/:documentId/content',
    route(async (request, response, requester) => {
      const document = documentOf(request, requester);
      assertMaySee(requester.reader, document);
      // A study is viewed image by image; as a whole it can only be downloaded.
      const download = request.query['download'] === '1' || document.kind === 'dicom';
      if (download) record(requester, 'document-downloaded', document);
      else recordView(requester, document);
      await sendStoredFile(response, library.filePath(document), document.mediaType, document.originalName, download);
    }),
  );

  router.get(
    '/:documentId/series',
    route((request, response, requester) => {
      const document = documentOf(request, requester);
      if (document.kind !== 'dicom') throw new Refusal('not-found', 'this document is not a DICOM study');
      assertMaySee(requester.reader, document);
      recordView(requester, document);
      response.setHeader('Cache-Control', 'no-store');
      response.json(library.store.manifest(document.id));
    }),
  );

  router.get(
    '/:documentId/instances/:index',
    route(async (request, response, requester) => {
      const document = documentOf(request, requester);
      assertMaySee(requester.reader, document);
      const index = z.coerce.number().int().min(0).max(1_000_000).safeParse(request.params['index']);
      const path = index.success ? library.instancePath(document, index.data) : undefined;
      if (!path) throw new Refusal('not-found', 'no such image in this study');
      recordView(requester, document);
      await sendStoredFile(response, path, 'application/dicom', `${document.originalName}-${String(index.data)}.dcm`, false);
    }),
  );

  router.patch(
    '/:documentId',
    route((request, response, requester) => {
      const document = documentOf(request, requester);
      if (requester.reader.role !== 'doctor') throw new Refusal('forbidden', 'only the doctor decides who sees a document');
      const body = parseBody(documentAccessRequestSchema, request, response);
      if (!body) return;
      if (body.interpreterAllowed !== document.interpreterAllowed) {
        library.store.setInterpreterAllowed(document.id, body.interpreterAllowed);
        record(requester, body.interpreterAllowed ? 'document-shared-with-interpreter' : 'document-unshared-with-interpreter', document);
        notifyConsult(requester.consult.id, { kind: 'access', document: { ...document, interpreterAllowed: body.interpreterAllowed }, before: document });
      }
      response.json(documentInfo({ ...document, interpreterAllowed: body.interpreterAllowed }, requester.reader));
    }),
  );

  router.delete(
    '/:documentId',
    route(async (request, response, requester) => {
      const document = documentOf(request, requester);
      if (!mayRemove(requester.reader, document)) throw new Refusal('forbidden', 'only the doctor or whoever uploaded it can remove a document');
      await library.remove(document);
      record(requester, 'document-removed', document);
      notifyConsult(requester.consult.id, { kind: 'removed', document });
      response.status(204).end();
    }),
  );

  return router;
}

/** Medical files are never cached by the browser or a proxy. */
function sendStoredFile(response: Response, path: string, mediaType: string, name: string, download: boolean): Promise<void> {
  response.setHeader('Cache-Control', 'private, no-store');
  if (download) response.attachment(name);
  else response.setHeader('Content-Disposition', 'inline');
  return new Promise((resolve, reject) => {
    response.sendFile(path, { headers: { 'Content-Type': mediaType }, dotfiles: 'allow' }, (error) => {
      if (error && !response.headersSent) reject(new Refusal('not-found', 'the stored file is missing'));
      else resolve();
    });
  });
}
