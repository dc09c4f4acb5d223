// Writing the case (the patient) or its translation (the interpreter), saved
// as they type: a moment after they stop, one save at a time, each on the
// revision it started from. Until the server has it, what they wrote is also
// kept on the device, so a closed tab, a dead battery or a lost connection
// loses nothing: the next visit sends it. When someone saved meanwhile, both
// are merged field by field; when the network fails, saving is retried.
import { useCallback, useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { emptyIntakeAnswers, intakeAnswersSchema, type IntakeAnswers, type IntakeField, type IntakeView } from '../../shared/intake';
import { withoutForbiddenCharacters } from '../../shared/plainText';
import { failureCodeOf } from '../api/requestFailure';
import { forget, keep, recalled } from '../prejoin/pageMemory';
import type { IntakeApi } from './intakeApi';
import { mergeAnswers, sameAnswers } from './intakeDraft';

export type IntakeKind = 'answers' | 'translation';

/**
 * 'locked': the doctor began the review, nothing more is taken. 'retrying': the last save did not
 * get through (network, server busy), it is tried again. 'refused': the server will not take it
 * (the link was withdrawn, say): trying again would not help; it stays kept on this device.
 */
export type SaveStatus = 'loading' | 'load-failed' | 'saved' | 'unsaved' | 'saving' | 'retrying' | 'refused' | 'locked';

/** Failures that may pass by themselves. */
const passingFailures: ReadonlySet<string> = new Set(['network', 'timeout', 'rate-limited', 'server-busy', 'internal-error']);

export interface IntakeEditor {
  view: IntakeView | undefined;
  draft: IntakeAnswers;
  status: SaveStatus;
  /** Someone else saved meanwhile and their changes were merged in. */
  merged: boolean;
  setField: (field: IntakeField, text: string) => void;
}

/** Typing pauses this long before a save. */
const saveAfterMs = 800;
const firstRetryMs = 3000;
const longestRetryMs = 30_000;

const keptDraftSchema = z.object({ base: intakeAnswersSchema, answers: intakeAnswersSchema, baseRevision: z.number().int().min(0) });

function savedPart(view: IntakeView, kind: IntakeKind): { answers: IntakeAnswers; revision: number } {
  if (kind === 'answers') return { answers: view.answers, revision: view.revision };
  return { answers: view.translation?.answers ?? emptyIntakeAnswers, revision: view.translation?.revision ?? 0 };
}

/**
 * `language`: the page's language, which the patient writes in (a translation is into the doctor's).
 * `translatorName`: how a translation is signed when the interpreter is not in the call.
 */
export function useIntakeEditor(api: IntakeApi | undefined, kind: IntakeKind, language: string, translatorName = ''): IntakeEditor {
  const [view, setView] = useState<IntakeView>();
  const [draft, setDraft] = useState<IntakeAnswers>(emptyIntakeAnswers);
  const [status, setStatus] = useState<SaveStatus>('loading');
  const [merged, setMerged] = useState(false);
  const draftRef = useRef(draft);
  const base = useRef({ answers: emptyIntakeAnswers, revision: 0 });
  const viewRef = useRef<IntakeView>(undefined);
  const saving = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const retryMs = useRef(firstRetryMs);
  const settings = useRef({ language, translatorName });
  const saveRef = useRef<() => Promise<void>>(async () => {});
  const memoryKey = api ? `consilium.intake.${api.consultId}.${kind}` : undefined;

  const remember = useCallback(() => {
    if (!memoryKey) return;
    if (sameAnswers(draftRef.current, base.current.answers)) forget(memoryKey, 'device');
    else keep(memoryKey, { base: base.current.answers, answers: draftRef.current, baseRevision: base.current.revision }, 'device');
  }, [memoryKey]);

  const showView = useCallback((next: IntakeView) => {
    viewRef.current = next;
    setView(next);
  }, []);

  const changeDraft = useCallback((next: IntakeAnswers) => {
    draftRef.current = next;
    setDraft(next);
  }, []);

  const save = useCallback(async (): Promise<void> => {
    const current = viewRef.current;
    if (!api || !current || saving.current) return;
    if (sameAnswers(draftRef.current, base.current.answers)) {
      setStatus('saved');
      remember();
      return;
    }
    saving.current = true;
    setStatus('saving');
    const sending = draftRef.current;
    const schedule = (ms: number) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void saveRef.current(), ms);
    };
    try {
      const { language: pageLanguage, translatorName: signedAs } = settings.current;
      // A translation is into the doctor's language, whatever the interpreter's page shows.
      const writtenIn = kind === 'translation' ? (current.doctorLanguage ?? pageLanguage) : pageLanguage;
      const next =
        kind === 'answers'
          ? await api.save({ answers: sending, language: writtenIn, baseRevision: base.current.revision })
          : await api.saveTranslation({ answers: sending, language: writtenIn, ofRevision: current.revision, baseRevision: base.current.revision, translatorName: signedAs });
      base.current = savedPart(next, kind);
      showView(next);
      retryMs.current = firstRetryMs;
      remember();
      if (sameAnswers(draftRef.current, sending)) setStatus('saved');
      else schedule(0);
    } catch (error) {
      const code = failureCodeOf(error);
      if (code === 'edit-conflict') {
        const latest = await api.load().catch(() => undefined);
        if (latest) {
          const theirs = savedPart(latest, kind);
          changeDraft(mergeAnswers(base.current.answers, draftRef.current, theirs.answers));
          base.current = theirs;
          showView(latest);
          setMerged(true);
          remember();
        }
        schedule(latest ? 0 : retryMs.current);
      } else if (code === 'locked') {
        const latest = await api.load().catch(() => undefined);
        if (latest) showView(latest);
        setStatus('locked');
      } else if (!passingFailures.has(code)) {
        setStatus('refused');
      } else {
        setStatus('retrying');
        schedule(retryMs.current);
        retryMs.current = Math.min(retryMs.current * 2, longestRetryMs);
      }
    } finally {
      saving.current = false;
    }
  }, [api, kind, remember, showView, changeDraft]);

  useEffect(() => {
    settings.current = { language, translatorName };
    saveRef.current = save;
  }, [language, translatorName, save]);

  useEffect(() => {
    if (!api || !memoryKey) return;
    let cancelled = false;
    api.load().then(
      (loaded) => {
        if (cancelled) return;
        const saved = savedPart(loaded, kind);
        base.current = saved;
        showView(loaded);
        const kept = recalled(memoryKey, keptDraftSchema, 'device');
        const unsent = kept && !sameAnswers(kept.answers, kept.base) ? kept : undefined;
        const mayWrite = kind === 'answers' ? loaded.mayEdit : loaded.mayTranslate;
        if (unsent && mayWrite) {
          // Written on this device and not saved before the page closed: sent now, merged with anything newer.
          changeDraft(unsent.baseRevision === saved.revision ? unsent.answers : mergeAnswers(unsent.base, unsent.answers, saved.answers));
          setStatus('unsaved');
          void save();
        } else {
          changeDraft(saved.answers);
          setStatus(kind === 'answers' && !loaded.mayEdit ? 'locked' : 'saved');
        }
      },
      () => {
        if (!cancelled) setStatus('load-failed');
      },
    );
    return () => {
      cancelled = true;
      clearTimeout(timer.current);
    };
  }, [api, kind, memoryKey, save, showView, changeDraft]);

  const setField = useCallback(
    (field: IntakeField, text: string) => {
      changeDraft({ ...draftRef.current, [field]: withoutForbiddenCharacters(text, true) });
      remember();
      setStatus('unsaved');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), saveAfterMs);
    },
    [remember, save, changeDraft],
  );

  return { view, draft, status, merged, setField };
}
