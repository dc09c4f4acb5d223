// Where a consult's second opinion stands, for the doctor's dashboard: what
// needs them next. Read from what is stored (the case, the records, the call,
// the draft, its translation, the released versions).
import type { ConsultStage } from '../../shared/api';
import { missingForRelease, sameContent, translationCovers, translationNeeded } from '../../shared/opinionRules';
import type { DocumentStore } from '../documents/documentStore';
import type { ConsultRecord } from '../scheduling/consultStore';
import type { IntakeStore } from './intakeStore';
import type { OpinionStore } from './opinionStore';

export interface StageSources {
  intakes: IntakeStore;
  opinions: OpinionStore;
  documents: DocumentStore;
}

export function consultStage(record: ConsultRecord, { intakes, opinions, documents }: StageSources): ConsultStage {
  const draft = opinions.draft(record.id);
  const newest = opinions.newest(record.id);
  if (newest) return draft && !sameContent(draft.content, newest.opinion.content) ? 'amendment-drafted' : 'released';
  if (draft) {
    const translation = opinions.translation(record.id);
    const untranslated = translationNeeded(record.interpretation) && !(translation && translationCovers(draft.content, translation.source, translation.parts));
    return missingForRelease(draft.content).length === 0 && untranslated ? 'awaiting-translation' : 'opinion-drafted';
  }
  if (record.kind === 'call' && record.endedAt !== null) return 'call-done';
  const intake = intakes.get(record.id);
  if ((intake && intake.revision > 0) || documents.listForConsult(record.id).length > 0) return 'ready-for-review';
  return 'waiting-for-records';
}
