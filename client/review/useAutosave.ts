// Writing that is saved as it is typed (the patient's case, the opinion's
// draft, their translations): a moment after typing stops, one save at a time,
// each on the revision it started from. Until the server has it, what was
// written is also kept on the device, so a closed tab, a dead battery or a
// lost connection loses nothing: the next visit sends it. When someone saved
// meanwhile, both are merged field by field; when the network fails, saving
// is retried.
import { useCallback, useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { failureCodeOf } from '../api/requestFailure';
import { forget, keep, recalled } from '../prejoin/pageMemory';
import { mergeFields, sameFields } from './fieldMerge';

/**
 * 'locked': nothing more is taken (the review began). 'retrying': the last save did not get
 * through (network, server busy), it is tried again. 'refused': the server will not take it (the
 * link was withdrawn, say): trying again would not help; it stays kept on this device.
 */
export type SaveStatus = 'loading' | 'load-failed' | 'saved' | 'unsaved' | 'saving' | 'retrying' | 'refused' | 'locked';

type Fields = Record<string, unknown>;

/** Where the writing comes from and goes to. Keep the object stable (useMemo): a new one loads again. */
export interface AutosaveSource<View, Content extends Fields> {
  /** Where unsaved writing is kept on the device. */
  memoryKey: string;
  /** The shape kept writing must have to be trusted again. */
  contentSchema: z.ZodType<Content>;
  load: () => Promise<View>;
  /** The part of the view this writer writes, and its revision (0: none yet). */
  savedPart: (view: View) => { content: Content; revision: number };
  mayWrite: (view: View) => boolean;
  save: (content: Content, baseRevision: number, view: View) => Promise<View>;
}

export interface Autosave<View, Content extends Fields> {
  view: View | undefined;
  draft: Content | undefined;
  status: SaveStatus;
  /** Someone else saved meanwhile and their changes were merged in. */
  merged: boolean;
  change: (fields: Partial<Content>) => void;
  /** Saves now what is not saved yet (before signing, say); resolves with the view once the server has it. */
  flush: () => Promise<View | undefined>;
  /** Takes a newer view the server gave elsewhere (after a release, say), when nothing is waiting to be saved. */
  adopt: (view: View) => void;
}

/** Typing pauses this long before a save. */
const saveAfterMs = 800;
const firstRetryMs = 3000;
const longestRetryMs = 30_000;

/** Failures that may pass by themselves. */
const passingFailures: ReadonlySet<string> = new Set(['network', 'timeout', 'rate-limited', 'server-busy', 'internal-error']);

export function useAutosave<View, Content extends Fields>(source: AutosaveSource<View, Content> | undefined): Autosave<View, Content> {
  const [view, setView] = useState<View>();
  const [draft, setDraft] = useState<Content>();
  const [status, setStatus] = useState<SaveStatus>('loading');
  const [merged, setMerged] = useState(false);
  const draftRef = useRef<Content>(undefined);
  const base = useRef<{ content: Content; revision: number }>(undefined);
  const viewRef = useRef<View>(undefined);
  const saving = useRef<Promise<void>>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const retryMs = useRef(firstRetryMs);
  const saveRef = useRef<() => Promise<void>>(async () => {});

  const remember = useCallback(() => {
    if (!source || !draftRef.current || !base.current) return;
    if (sameFields(draftRef.current, base.current.content)) forget(source.memoryKey, 'device');
    else keep(source.memoryKey, { base: base.current.content, content: draftRef.current, baseRevision: base.current.revision }, 'device');
  }, [source]);

  const showView = useCallback((next: View) => {
    viewRef.current = next;
    setView(next);
  }, []);

  const changeDraft = useCallback((next: Content) => {
    draftRef.current = next;
    setDraft(next);
  }, []);

  const schedule = useCallback((ms: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), ms);
  }, []);

  const attempt = useCallback(async (): Promise<void> => {
    const current = viewRef.current;
    const sending = draftRef.current;
    if (!source || current === undefined || !sending || !base.current) return;
    if (sameFields(sending, base.current.content)) {
      setStatus('saved');
      remember();
      return;
    }
    setStatus('saving');
    try {
      const next = await source.save(sending, base.current.revision, current);
      base.current = source.savedPart(next);
      showView(next);
      retryMs.current = firstRetryMs;
      remember();
      if (draftRef.current && sameFields(draftRef.current, sending)) setStatus('saved');
      else schedule(0);
    } catch (error) {
      const code = failureCodeOf(error);
      if (code === 'edit-conflict') {
        const latest = await source.load().catch(() => undefined);
        if (latest !== undefined && draftRef.current && base.current) {
          const theirs = source.savedPart(latest);
          changeDraft(mergeFields(base.current.content, draftRef.current, theirs.content));
          base.current = theirs;
          showView(latest);
          setMerged(true);
          remember();
        }
        schedule(latest === undefined ? retryMs.current : 0);
      } else if (code === 'locked') {
        const latest = await source.load().catch(() => undefined);
        if (latest !== undefined) showView(latest);
        setStatus('locked');
      } else if (!passingFailures.has(code)) {
        setStatus('refused');
      } else {
        setStatus('retrying');
        schedule(retryMs.current);
        retryMs.current = Math.min(retryMs.current * 2, longestRetryMs);
      }
    }
  }, [source, remember, showView, changeDraft, schedule]);

  /** One save at a time: a second call waits for the running one, then saves what is left. */
  const save = useCallback(async (): Promise<void> => {
    while (saving.current) await saving.current;
    const running = attempt();
    saving.current = running;
    try {
      await running;
    } finally {
      saving.current = undefined;
    }
  }, [attempt]);

  useEffect(() => {
    saveRef.current = save;
  }, [save]);

  useEffect(() => {
    if (!source) return;
    let cancelled = false;
    const keptSchema = z.object({ base: source.contentSchema, content: source.contentSchema, baseRevision: z.number().int().min(0) });
    source.load().then(
      (loaded) => {
        if (cancelled) return;
        const saved = source.savedPart(loaded);
        base.current = saved;
        showView(loaded);
        const kept = recalled(source.memoryKey, keptSchema, 'device');
        const unsent = kept && !sameFields(kept.content, kept.base) ? kept : undefined;
        if (unsent && source.mayWrite(loaded)) {
          // Written on this device and not saved before the page closed: sent now, merged with anything newer.
          changeDraft(unsent.baseRevision === saved.revision ? unsent.content : mergeFields(unsent.base, unsent.content, saved.content));
          setStatus('unsaved');
          void save();
        } else {
          changeDraft(saved.content);
          setStatus(source.mayWrite(loaded) ? 'saved' : 'locked');
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
  }, [source, save, showView, changeDraft]);

  const change = useCallback(
    (fields: Partial<Content>) => {
      if (!draftRef.current) return;
      changeDraft({ ...draftRef.current, ...fields });
      remember();
      setStatus('unsaved');
      schedule(saveAfterMs);
    },
    [remember, changeDraft, schedule],
  );

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    await save();
    return viewRef.current;
  }, [save]);

  const adopt = useCallback(
    (next: View) => {
      if (!source || (draftRef.current && base.current && !sameFields(draftRef.current, base.current.content))) return;
      base.current = source.savedPart(next);
      showView(next);
      changeDraft(base.current.content);
    },
    [source, showView, changeDraft],
  );

  return { view, draft, status, merged, change, flush, adopt };
}
