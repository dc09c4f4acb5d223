// A consult's documents over HTTP, at /api/consults/:consultId/documents.
//
// Who is asking is told by consultRequester.ts: the doctor, or a link holder,
// who may prove to be in the call (which is what lets them see documents).
// Everything else is refused before a byte of an upload is read. Every view
// and download is audited.
import type { Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import {
  documentAccessRequestSchema,
  documentNameSchema,
  type DocumentListResponse,
} from '../../shared/documents';
import type { AccountStore } from '../accounts/accountStore';
import type { AuditAction, AuditLog } from '../audit/auditLog';
import { RepeatFilter } from '../audit/repeatFilter';
import type { ConsultRegistry } from '../live/consultRegistry';
import type { DocumentChange } from '../live/sharedViewing';
import type { ConsultStore } from '../scheduling/consultStore';
import { parseBody } from './apiResponses';
import { consultRequesterIdentifier, requesterRoutes, type ConsultRequester } from './consultRequester';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { assertMaySee, documentInfo, mayRemove, mayUpload, maySee } from '../documents/documentAccess';
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

/** The asker as far as documents are concerned: a `DocumentReader` too. */
type Requester = ConsultRequester;

export function createDocumentsRouter(dependencies: DocumentsRouterDependencies): Router {
  const { library, consults, accounts, authorizer, registry, audit } = dependencies;
  const router = express.Router({ mergeParams: true });
  // Repeated fetches of one document by one person (slices of a study, re-renders) count as one view.
  const repeatedViews = new RepeatFilter();

  const identify = consultRequesterIdentifier({ consults, accounts, authorizer, registry });

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
    if (repeatedViews.isFirst(requester.auditName, document.id)) record(requester, 'document-viewed', document);
  };

  const notifyConsult = (consultId: string, change: DocumentChange): void => {
    registry.get(consultId)?.documentsChanged(change);
  };

  /** Refusals become `{ error }` answers; anything else is a server fault for the API's error handler. */
  const route = requesterRoutes(identify);

  router.get(
    '/',
    route((_request, response, requester) => {
      const documents = library.store
        .listForConsult(requester.consult.id)
        .filter((document) => maySee(requester, document))
        .map((document) => documentInfo(document, requester));
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
      if (!mayUpload(requester)) throw new Refusal('forbidden', 'interpreters do not upload documents');
      const name = documentNameSchema.safeParse(request.query['name']);
      if (!name.success) throw new Refusal('invalid-payload', z.prettifyError(name.error));
      const declared = request.get('content-length');
      const declaredBytes = declared !== undefined && /^\d{1,15}$/.test(declared) ? Number(declared) : undefined;
      const { document, skippedFiles } = await library.ingest(
        requester.consult.id,
        { role: requester.role, displayName: requester.displayName, linkId: requester.linkId },
        name.data,
        request,
        declaredBytes,
      );
      record(requester, 'document-uploaded', document);
      notifyConsult(requester.consult.id, { kind: 'added', document });
      response.status(201).json({ document: documentInfo(document, requester), skippedFiles });
    }),
  );

  router.get(
    '/:documentId/content',
    route(async (request, response, requester) => {
      const document = documentOf(request, requester);
      assertMaySee(requester, document);
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
      assertMaySee(requester, document);
      recordView(requester, document);
      response.setHeader('Cache-Control', 'no-store');
      response.json(library.store.manifest(document.id));
    }),
  );

  router.get(
    '/:documentId/instances/:index',
    route(async (request, response, requester) => {
      const document = documentOf(request, requester);
      assertMaySee(requester, document);
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
      if (requester.role !== 'doctor') throw new Refusal('forbidden', 'only the doctor decides who sees a document');
      const body = parseBody(documentAccessRequestSchema, request, response);
      if (!body) return;
      if (body.interpreterAllowed !== document.interpreterAllowed) {
        library.store.setInterpreterAllowed(document.id, body.interpreterAllowed);
        record(requester, body.interpreterAllowed ? 'document-shared-with-interpreter' : 'document-unshared-with-interpreter', document);
        notifyConsult(requester.consult.id, { kind: 'access', document: { ...document, interpreterAllowed: body.interpreterAllowed }, before: document });
      }
      response.json(documentInfo({ ...document, interpreterAllowed: body.interpreterAllowed }, requester));
    }),
  );

  router.delete(
    '/:documentId',
    route(async (request, response, requester) => {
      const document = documentOf(request, requester);
      if (!mayRemove(requester, document)) throw new Refusal('forbidden', 'only the doctor or whoever uploaded it can remove a document');
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
