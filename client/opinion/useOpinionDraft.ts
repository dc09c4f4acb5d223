// The doctor's draft of the opinion, and the interpreter's translation of its
// plain-language parts, saved as they type (client/review/useAutosave.ts).
import { useEffect, useMemo, useRef } from 'react';
import {
  emptyOpinionContent,
  emptyTranslationParts,
  opinionContentSchema,
  opinionTranslationPartsSchema,
  type DoctorOpinionView,
  type InterpreterOpinionView,
  type OpinionContent,
  type OpinionTranslationParts,
} from '../../shared/opinion';
import { RequestFailure } from '../api/requestFailure';
import { useAutosave, type Autosave, type AutosaveSource } from '../review/useAutosave';
import type { OpinionApi } from './opinionApi';

/** The view for the role this page expects; anything else means the link or session is not what it seems. */
async function loadAs<Role extends 'doctor' | 'interpreter'>(api: OpinionApi, role: Role) {
  const view = await api.load();
  if (view.role !== role) throw new RequestFailure('forbidden', `expected the ${role}'s view of the opinion`);
  return view as Extract<typeof view, { role: Role }>;
}

export function useOpinionDraft(api: OpinionApi | undefined): Autosave<DoctorOpinionView, OpinionContent> {
  const source = useMemo((): AutosaveSource<DoctorOpinionView, OpinionContent> | undefined => {
    if (!api) return undefined;
    return {
      memoryKey: `consilium.opinion.${api.consultId}.draft`,
      contentSchema: opinionContentSchema,
      load: () => loadAs(api, 'doctor'),
      savedPart: (view) => ({ content: view.draft.revision === 0 ? emptyOpinionContent : view.draft.content, revision: view.draft.revision }),
      mayWrite: () => true,
      save: (content, baseRevision) => api.saveDraft({ content, baseRevision }),
    };
  }, [api]);
  return useAutosave(source);
}

export function useOpinionTranslation(api: OpinionApi | undefined, translatorName: string): Autosave<InterpreterOpinionView, OpinionTranslationParts> {
  const settings = useRef({ translatorName });
  useEffect(() => {
    settings.current = { translatorName };
  }, [translatorName]);
  const source = useMemo((): AutosaveSource<InterpreterOpinionView, OpinionTranslationParts> | undefined => {
    if (!api) return undefined;
    return {
      memoryKey: `consilium.opinion.${api.consultId}.translation`,
      contentSchema: opinionTranslationPartsSchema,
      load: () => loadAs(api, 'interpreter'),
      savedPart: (view) => ({ content: view.translation?.parts ?? emptyTranslationParts, revision: view.translation?.revision ?? 0 }),
      mayWrite: (view) => view.source !== null,
      save: (parts, baseRevision, view) =>
        api.saveTranslation({
          parts,
          // What they saw and translated: the translation counts as current while the draft says just that.
          source: view.source?.parts ?? emptyTranslationParts,
          language: view.patientLanguage,
          baseRevision,
          translatorName: settings.current.translatorName,
        }),
    };
  }, [api]);
  return useAutosave(source);
}
