// A doctor's consults over HTTP: list, schedule, look at one (with its invite
// links and audit log), create and revoke invite links. A doctor only ever
// sees their own consults; anyone else's answer 404 as if absent.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  createConsultRequestSchema,
  createInviteLinkRequestSchema,
  type AuditEventInfo,
  type ConsultDetails,
  type ConsultStage,
  type ConsultStatus,
  type ConsultSummary,
  type CreatedInviteLink,
  type DoctorProfile,
  type InviteLinkInfo,
} from '../../shared/api';
import { consultIdSchema } from '../../shared/schemas';
import type { AccountStore } from '../accounts/accountStore';
import { requireDoctor } from './accountsRouter';
import type { AuditLog } from '../audit/auditLog';
import type { ConsultRegistry } from '../live/consultRegistry';
import { parseBody, sendApiError } from './apiResponses';
import { linkInfo, type ConsultRecord, type ConsultStore, type InviteLinkRecord } from '../scheduling/consultStore';
import { InviteTokens } from '../scheduling/inviteTokens';

export interface ConsultsRouterDependencies {
  accounts: AccountStore;
  consults: ConsultStore;
  tokens: InviteTokens;
  registry: ConsultRegistry;
  audit: AuditLog;
  /** Joining with an invite link is possible this long after the scheduled start. */
  joinWindowMs: number;
  /** Links keep opening the opinion, the case and one's documents this long after the join window. */
  readingPeriodMs: number;
  /** Where each consult's second opinion stands. */
  stageOf: (record: ConsultRecord) => ConsultStage;
  now?: () => number;
}

export function createConsultsRouter(dependencies: ConsultsRouterDependencies): Router {
  const { consults, tokens, registry, audit, joinWindowMs, readingPeriodMs, stageOf } = dependencies;
  const now = dependencies.now ?? Date.now;
  const router = express.Router();
  router.use(requireDoctor(dependencies.accounts));

  const statusOf = (record: ConsultRecord): ConsultStatus => {
    if (registry.isLive(record.id)) return 'live';
    if (record.kind === 'records') return stageOf(record) === 'released' ? 'past' : 'upcoming';
    if (record.endedAt !== null || record.scheduledAt + joinWindowMs <= now()) return 'past';
    return 'upcoming';
  };

  const summaryOf = (record: ConsultRecord): ConsultSummary => ({
    id: record.id,
    kind: record.kind,
    title: record.title,
    patientDescription: record.patientDescription,
    scheduledAt: new Date(record.scheduledAt).toISOString(),
    patientName: record.patientName,
    patientLanguage: record.patientLanguage,
    interpretation: record.interpretation,
    doctorTimeZone: record.doctorTimeZone,
    patientTimeZone: record.patientTimeZone,
    status: statusOf(record),
    stage: stageOf(record),
    reviewStartedAt: record.reviewStartedAt === null ? null : new Date(record.reviewStartedAt).toISOString(),
  });

  /** A link as its doctor sees it, with its short code while usable (recorded for lookup the first time). */
  const infoOf = (link: InviteLinkRecord): InviteLinkInfo => {
    if (link.revokedAt !== null || link.expiresAt <= now()) return linkInfo(link, null);
    const code = tokens.shortCode(link.id);
    consults.recordLinkCodeHash(link.id, InviteTokens.shortCodeHash(code));
    return linkInfo(link, code);
  };

  const detailsOf = (record: ConsultRecord): ConsultDetails => ({
    ...summaryOf(record),
    links: consults.listLinks(record.id).map(infoOf),
  });

  /** The signed-in doctor's consult named in the path, or undefined after a 404. */
  const ownConsult = (request: Request, response: Response): ConsultRecord | undefined => {
    const doctor = response.locals.doctor as DoctorProfile;
    const id = consultIdSchema.safeParse(request.params['consultId']);
    const record = id.success ? consults.get(id.data) : undefined;
    if (record && record.doctorId === doctor.id) return record;
    sendApiError(response, 'not-found', 'no such consult');
    return undefined;
  };

  router.get('/', (_request, response) => {
    const doctor = response.locals.doctor as DoctorProfile;
    response.json(consults.listForDoctor(doctor.id).map(summaryOf));
  });

  router.post('/', (request, response) => {
    const body = parseBody(createConsultRequestSchema, request, response);
    if (!body) return;
    const doctor = response.locals.doctor as DoctorProfile;
    response.status(201).json(detailsOf(consults.create(doctor.id, body)));
  });

  router.get('/:consultId', (request, response) => {
    const record = ownConsult(request, response);
    if (record) response.json(detailsOf(record));
  });

  router.get('/:consultId/audit', (request, response) => {
    const record = ownConsult(request, response);
    if (!record) return;
    const events: AuditEventInfo[] = audit
      .list(record.id)
      .map((event) => ({ ...event, at: new Date(event.at).toISOString() }));
    response.json(events);
  });

  /** The doctor begins the review: the patient's case is kept as it is from now on (the first start counts). */
  router.post('/:consultId/review', (request, response) => {
    const record = ownConsult(request, response);
    if (!record) return;
    if (record.reviewStartedAt === null) {
      consults.startReview(record.id);
      audit.record(record.id, 'review-started', `doctor ${(response.locals.doctor as DoctorProfile).displayName}`);
    }
    const updated = consults.get(record.id);
    if (updated) response.json(detailsOf(updated));
  });

  router.post('/:consultId/links', async (request, response) => {
    const record = ownConsult(request, response);
    if (!record) return;
    const body = parseBody(createInviteLinkRequestSchema, request, response);
    if (!body) return;
    // A link opens the call in its window and the written side long after: a patient who lost
    // theirs after the call can be sent a new one to read the opinion.
    const expiresAt = Math.max(record.scheduledAt + joinWindowMs + readingPeriodMs, ...consults.listLinks(record.id).map((link) => link.expiresAt));
    if (expiresAt <= now()) return sendApiError(response, 'consult-ended', 'this consult is long over; schedule a new one');
    const link = consults.createLink(record.id, body.role, expiresAt);
    const token = await tokens.sign({ linkId: link.id, consultId: record.id, role: link.role }, expiresAt);
    audit.record(record.id, 'link-created', `doctor ${(response.locals.doctor as DoctorProfile).displayName}`, link.role);
    const result: CreatedInviteLink = { link: infoOf(link), token };
    response.status(201).json(result);
  });

  /** A fresh token for an existing link, to copy it again (tokens are never stored). */
  router.post('/:consultId/links/:linkId/token', async (request, response) => {
    const record = ownConsult(request, response);
    if (!record) return;
    const linkId = z.uuid().safeParse(request.params['linkId']);
    const link = linkId.success ? consults.getLink(linkId.data) : undefined;
    if (!link || link.consultId !== record.id) return sendApiError(response, 'not-found', 'no such invite link');
    if (link.revokedAt !== null || link.expiresAt <= now()) {
      return sendApiError(response, 'consult-ended', 'this link was withdrawn or has expired; create a new one');
    }
    const token = await tokens.sign({ linkId: link.id, consultId: record.id, role: link.role }, link.expiresAt);
    const result: CreatedInviteLink = { link: infoOf(link), token };
    response.json(result);
  });

  router.delete('/:consultId/links/:linkId', (request, response) => {
    const record = ownConsult(request, response);
    if (!record) return;
    const linkId = z.uuid().safeParse(request.params['linkId']);
    const link = linkId.success ? consults.getLink(linkId.data) : undefined;
    if (!link || link.consultId !== record.id) return sendApiError(response, 'not-found', 'no such invite link');
    consults.revokeLink(link.id, 'revoked');
    audit.record(record.id, 'link-revoked', `doctor ${(response.locals.doctor as DoctorProfile).displayName}`, link.role);
    // Whoever holds the link now, waiting or in the call, is out at once.
    registry.get(record.id)?.linkWithdrawn(link.id);
    response.status(204).end();
  });

  return router;
}
