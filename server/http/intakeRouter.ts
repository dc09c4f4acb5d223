// The patient's case over HTTP, at /api/consults/:consultId/intake.
// Everyone in the consult reads it: the doctor, the patient and the
// interpreter (who translates it). Only the patient writes the answers, until
// the doctor starts the review; only the interpreter writes the translation.
// Views and changes are audited, a person's repeats within minutes as one.
import express, { type Router } from 'express';
import {
  emptyIntakeAnswers,
  saveIntakeRequestSchema,
  saveIntakeTranslationRequestSchema,
  type IntakeView,
} from '../../shared/intake';
import { Refusal } from '../../shared/refusals';
import type { AuditLog } from '../audit/auditLog';
import { RepeatFilter } from '../audit/repeatFilter';
import type { IntakeStore } from '../review/intakeStore';
import { parseBody } from './apiResponses';
import { requesterRoutes, type ConsultRequester, type IdentifyRequester } from './consultRequester';

export interface IntakeRouterDependencies {
  identify: IdentifyRequester;
  intakes: IntakeStore;
  audit: AuditLog;
}

export function createIntakeRouter({ identify, intakes, audit }: IntakeRouterDependencies): Router {
  const router = express.Router({ mergeParams: true });
  const repeats = new RepeatFilter();

  const viewFor = (requester: ConsultRequester): IntakeView => {
    const { consult } = requester;
    const intake = intakes.get(consult.id);
    const translation = intakes.translation(consult.id);
    return {
      answers: intake?.answers ?? emptyIntakeAnswers,
      language: intake?.language ?? consult.patientLanguage,
      revision: intake?.revision ?? 0,
      updatedAt: intake ? new Date(intake.updatedAt).toISOString() : null,
      lockedAt: consult.reviewStartedAt === null ? null : new Date(consult.reviewStartedAt).toISOString(),
      translation: translation
        ? {
            answers: translation.answers,
            language: translation.language,
            translatorName: translation.translatorName,
            ofRevision: translation.ofRevision,
            revision: translation.revision,
            updatedAt: new Date(translation.updatedAt).toISOString(),
          }
        : null,
      mayEdit: requester.role === 'patient' && consult.reviewStartedAt === null,
      mayTranslate: requester.role === 'interpreter',
      doctorLanguage: consult.interpretation?.to ?? null,
    };
  };

  const route = requesterRoutes(identify);

  router.get(
    '/',
    route((_request, response, requester) => {
      // Who read the patient's case; the patient reading what they wrote themselves is not news.
      if (requester.role !== 'patient' && repeats.isFirst(requester.consult.id, requester.auditName, 'viewed')) {
        audit.record(requester.consult.id, 'intake-viewed', requester.auditName);
      }
      response.json(viewFor(requester));
    }),
  );

  router.put(
    '/',
    route((request, response, requester) => {
      if (requester.role !== 'patient') throw new Refusal('forbidden', 'only the patient writes their case; the interpreter adds a translation');
      if (requester.consult.reviewStartedAt !== null) throw new Refusal('locked', 'the doctor has started the review; the case is kept as it is');
      const body = parseBody(saveIntakeRequestSchema, request, response);
      if (!body) return;
      intakes.save(requester.consult.id, body.answers, body.language, body.baseRevision);
      if (repeats.isFirst(requester.consult.id, requester.auditName, 'updated')) audit.record(requester.consult.id, 'intake-updated', requester.auditName);
      response.json(viewFor(requester));
    }),
  );

  router.put(
    '/translation',
    route((request, response, requester) => {
      if (requester.role !== 'interpreter') throw new Refusal('forbidden', 'only the interpreter translates the case');
      const body = parseBody(saveIntakeTranslationRequestSchema, request, response);
      if (!body) return;
      const current = intakes.get(requester.consult.id)?.revision ?? 0;
      if (body.ofRevision > current) throw new Refusal('invalid-payload', `there is no revision ${body.ofRevision} of the case to translate (the latest is ${current})`);
      const translatorName = requester.inCall ? requester.displayName : body.translatorName;
      intakes.saveTranslation(requester.consult.id, { answers: body.answers, language: body.language, translatorName, ofRevision: body.ofRevision }, body.baseRevision);
      if (repeats.isFirst(requester.consult.id, requester.auditName, 'translated')) audit.record(requester.consult.id, 'intake-translated', `interpreter ${translatorName}`);
      response.json(viewFor(requester));
    }),
  );

  return router;
}
