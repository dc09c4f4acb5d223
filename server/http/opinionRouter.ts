// The written second opinion over HTTP, at /api/consults/:consultId/opinion.
// The doctor drafts it (PUT /draft, saved as they type; the first draft starts
// the review), the interpreter translates its plain-language parts
// (PUT /translation, seeing only those), and the doctor signs and releases it
// (POST /release) as a numbered, hashed version that never changes; an
// amendment is the next version, saying what changed. The patient sees only
// released versions. Every view, change and release is audited.
import express, { type Router } from 'express';
import { z } from 'zod';
import {
  emptyOpinionContent,
  releaseOpinionRequestSchema,
  saveOpinionDraftRequestSchema,
  saveOpinionTranslationRequestSchema,
  translatablePartsOf,
  type OpinionContent,
  type OpinionTranslationView,
  type OpinionVersionView,
  type OpinionView,
} from '../../shared/opinion';
import { Refusal } from '../../shared/refusals';
import type { AuditLog } from '../audit/auditLog';
import { RepeatFilter } from '../audit/repeatFilter';
import type { DocumentStore } from '../documents/documentStore';
import type { OpinionStore, OpinionTranslationRecord, OpinionVersionRecord } from '../review/opinionStore';
import { opinionLabels } from '../review/opinionPdf';
import type { PdfPool } from '../review/pdfPool';
import { missingForRelease, sameContent, sameParts, translationCovers, translationNeeded, type MissingPart } from '../../shared/opinionRules';
import type { ConsultStore } from '../scheduling/consultStore';
import { parseBody } from './apiResponses';
import { requesterRoutes, type ConsultRequester, type IdentifyRequester } from './consultRequester';

export interface OpinionRouterDependencies {
  identify: IdentifyRequester;
  opinions: OpinionStore;
  consults: ConsultStore;
  documents: DocumentStore;
  audit: AuditLog;
  /** After a release, the consult's links open it at least this long. */
  readingPeriodMs: number;
  pdfs: PdfPool;
}

const missingInWords: Record<MissingPart, string> = {
  diagnosisAssessment: 'whether the diagnosis is confirmed, refined or changed',
  specialistDiagnosis: 'your diagnosis (the original one was refined or changed)',
  treatmentAssessment: 'whether the proposed treatment is endorsed or an alternative is advised',
  treatmentRecommendation: 'the treatment you recommend instead',
  urgency: 'how urgent it is',
  patientExplanation: 'the explanation in plain words for the patient',
};

export function versionView({ opinion, contentHash }: OpinionVersionRecord): OpinionVersionView {
  return {
    version: opinion.version,
    content: opinion.content,
    reviewedDocuments: opinion.reviewedDocuments,
    translation: opinion.translation,
    withoutTranslationReason: opinion.withoutTranslationReason,
    changeNote: opinion.changeNote,
    signedBy: opinion.signedBy,
    releasedAt: opinion.releasedAt,
    contentHash,
  };
}

function translationView(translation: OpinionTranslationRecord, content: OpinionContent): OpinionTranslationView {
  return {
    parts: translation.parts,
    language: translation.language,
    translatorName: translation.translatorName,
    current: sameParts(translation.source, translatablePartsOf(content)),
    revision: translation.revision,
    updatedAt: new Date(translation.updatedAt).toISOString(),
  };
}

export function createOpinionRouter({ identify, opinions, consults, documents, audit, readingPeriodMs, pdfs }: OpinionRouterDependencies): Router {
  const router = express.Router({ mergeParams: true });
  const route = requesterRoutes(identify);
  const repeats = new RepeatFilter();

  const viewFor = (requester: ConsultRequester): OpinionView => {
    const { consult } = requester;
    const versions = opinions.versions(consult.id).map(versionView);
    if (requester.role === 'patient') return { role: 'patient', versions, patientLanguage: consult.patientLanguage, doctorLanguage: consult.interpretation?.to ?? null };
    const draft = opinions.draft(consult.id);
    const content = draft?.content ?? emptyOpinionContent;
    const translation = opinions.translation(consult.id);
    if (requester.role === 'interpreter') {
      return {
        role: 'interpreter',
        source: draft ? { parts: translatablePartsOf(content), revision: draft.revision } : null,
        translation: translation ? translationView(translation, content) : null,
        patientLanguage: consult.patientLanguage,
      };
    }
    const newest = versions[0];
    return {
      role: 'doctor',
      draft: { content, revision: draft?.revision ?? 0, updatedAt: draft ? new Date(draft.updatedAt).toISOString() : null },
      translation: translation ? translationView(translation, content) : null,
      translationNeeded: translationNeeded(consult.interpretation),
      patientLanguage: consult.patientLanguage,
      doctorLanguage: consult.interpretation?.to ?? null,
      versions,
      draftChanged: draft !== undefined && (newest === undefined || !sameContent(newest.content, content)),
    };
  };

  const requireDoctor = (requester: ConsultRequester): void => {
    if (requester.role !== 'doctor') throw new Refusal('forbidden', 'only the consult’s doctor writes and releases the opinion');
  };

  router.get(
    '/',
    route((_request, response, requester) => {
      const view = viewFor(requester);
      // A view is of something: a released version (each new one's first reading a view of its
      // own), or for the interpreter the parts to translate. The doctor opening their own draft is not news.
      const newest = view.role === 'interpreter' ? undefined : view.versions[0]?.version;
      const seen = view.role === 'interpreter' ? view.source !== null : newest !== undefined;
      const subject = newest === undefined ? null : `version ${newest}`;
      if (seen && repeats.isFirst(requester.consult.id, requester.auditName, 'viewed', subject ?? '')) {
        audit.record(requester.consult.id, 'opinion-viewed', requester.auditName, subject);
      }
      response.json(view);
    }),
  );

  router.put(
    '/draft',
    route((request, response, requester) => {
      requireDoctor(requester);
      const body = parseBody(saveOpinionDraftRequestSchema, request, response);
      if (!body) return;
      const { consult } = requester;
      for (const documentId of body.content.reviewedDocumentIds) {
        if (documents.get(documentId)?.consultId !== consult.id) throw new Refusal('not-found', `no document ${documentId} in this consult`);
      }
      opinions.saveDraft(consult.id, body.content, body.baseRevision);
      // Writing the opinion is reviewing the case: from now on the patient's answers stay as they are.
      if (consult.reviewStartedAt === null) {
        consults.startReview(consult.id);
        audit.record(consult.id, 'review-started', requester.auditName);
      }
      if (repeats.isFirst(requester.consult.id, requester.auditName, 'drafted')) audit.record(consult.id, 'opinion-drafted', requester.auditName);
      response.json(viewFor(requester));
    }),
  );

  router.put(
    '/translation',
    route((request, response, requester) => {
      if (requester.role !== 'interpreter') throw new Refusal('forbidden', 'only the interpreter translates the opinion');
      const body = parseBody(saveOpinionTranslationRequestSchema, request, response);
      if (!body) return;
      const translatorName = requester.inCall ? requester.displayName : body.translatorName;
      if (!opinions.draft(requester.consult.id)) throw new Refusal('not-ready', 'the doctor has not written the opinion yet');
      opinions.saveTranslation(requester.consult.id, { parts: body.parts, source: body.source, language: body.language, translatorName }, body.baseRevision);
      if (repeats.isFirst(requester.consult.id, requester.auditName, 'translated')) audit.record(requester.consult.id, 'opinion-translated', `interpreter ${translatorName}`);
      response.json(viewFor(requester));
    }),
  );

  router.post(
    '/release',
    route((request, response, requester) => {
      requireDoctor(requester);
      const body = parseBody(releaseOpinionRequestSchema, request, response);
      if (!body) return;
      const { consult } = requester;
      const draft = opinions.draft(consult.id);
      if (!draft || draft.revision !== body.draftRevision) {
        throw new Refusal('edit-conflict', 'the draft changed since you read it; read it again before signing');
      }
      const missing = missingForRelease(draft.content);
      if (missing.length) throw new Refusal('not-ready', `the opinion is not complete yet: ${missing.map((part) => missingInWords[part]).join('; ')}`);
      const reviewedDocuments = draft.content.reviewedDocumentIds.map((id) => {
        const document = documents.get(id);
        if (document?.consultId !== consult.id) throw new Refusal('not-ready', 'a reviewed document was removed meanwhile; choose the reviewed documents again');
        return { id, name: document.originalName };
      });
      const newest = opinions.newest(consult.id);
      if (newest && !body.changeNote) throw new Refusal('invalid-payload', `say what changed since version ${newest.opinion.version} (changeNote)`);
      if (!newest && body.changeNote) throw new Refusal('invalid-payload', 'the first version has nothing to say what changed from; leave changeNote out');

      let translation: OpinionVersionView['translation'] = null;
      let withoutTranslationReason: string | null = null;
      if (translationNeeded(consult.interpretation)) {
        const made = opinions.translation(consult.id);
        if (made && translationCovers(draft.content, made.source, made.parts)) {
          translation = { parts: made.parts, language: made.language, translatorName: made.translatorName };
        } else if (body.withoutTranslationReason) {
          withoutTranslationReason = body.withoutTranslationReason;
        } else {
          throw new Refusal('not-ready', 'the patient reads another language: wait for the interpreter’s translation of the current wording, or release without it and say why');
        }
      }
      if (newest && sameContent(newest.opinion.content, draft.content) && JSON.stringify(newest.opinion.translation) === JSON.stringify(translation)) {
        throw new Refusal('not-ready', `nothing changed since version ${newest.opinion.version}`);
      }
      const released = opinions.release(consult.id, {
        content: draft.content,
        reviewedDocuments,
        translation,
        withoutTranslationReason,
        changeNote: body.changeNote ?? null,
        signedBy: requester.displayName,
        doctorId: consult.doctorId,
      });
      consults.extendLinks(consult.id, Date.parse(released.opinion.releasedAt) + readingPeriodMs);
      audit.record(consult.id, newest ? 'opinion-amended' : 'opinion-released', requester.auditName, `version ${released.opinion.version}`);
      response.status(201).json(viewFor(requester));
    }),
  );

  router.get(
    '/versions/:version/pdf',
    route(async (request, response, requester) => {
      // The patient takes it to their own doctor; the interpreter sees only what they translate.
      if (requester.role === 'interpreter') throw new Refusal('forbidden', 'the PDF is for the patient and the doctor');
      const { consult } = requester;
      const number = z.coerce.number().int().min(1).max(100_000).safeParse(request.params['version']);
      const stored = number.success ? opinions.version(consult.id, number.data) : undefined;
      if (!stored) throw new Refusal('not-found', 'no such version of the opinion');
      const doctorLanguage = consult.interpretation?.to ?? consult.patientLanguage;
      const pdf = await pdfs.render({
        version: versionView(stored),
        patientName: consult.patientName,
        patientLabels: opinionLabels(consult.patientLanguage),
        doctorLabels: opinionLabels(doctorLanguage),
        patientLanguage: consult.patientLanguage,
        doctorLanguage,
        languageNames: {
          patientLanguageInPatientLabels: languageNameIn(consult.patientLanguage, consult.patientLanguage),
          doctorLanguageInPatientLabels: languageNameIn(doctorLanguage, consult.patientLanguage),
        },
        timeZone: consult.patientTimeZone,
      });
      audit.record(consult.id, 'opinion-downloaded', requester.auditName, `version ${stored.opinion.version}`);
      response.setHeader('Cache-Control', 'no-store');
      response.attachment(`second-opinion-v${stored.opinion.version}.pdf`);
      response.type('application/pdf').send(pdf);
    }),
  );

  return router;
}

/** A language's name as readers of `readerLanguage` call it (the code itself where the runtime knows none). */
function languageNameIn(language: string, readerLanguage: string): string {
  try {
    return new Intl.DisplayNames([readerLanguage, 'en'], { type: 'language' }).of(language) ?? language;
  } catch {
    return language;
  }
}
