// Parts of the page most visits never need (the doctor's pages, the call
// itself until someone joins, the document viewer) are chunks of their own,
// fetched when first shown: the patient's link page loads only what it shows
// (test/integration/clientDelivery.test.ts holds it to a budget).
import { createElement, lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { useTranslation } from 'react-i18next';

export type LazyPart<P extends object> = ComponentType<P> & {
  /** Starts fetching the chunk now, so it is there when the part is shown. */
  preload: () => void;
};

/**
 * A component fetched on first render, shown under a <Suspense>. A fetch that
 * fails (a dropped mobile connection) throws to the nearest error boundary,
 * and the next render fetches again: React keeps a failed lazy component
 * failed for good, so each failure starts a fresh one.
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>): LazyPart<P> {
  const fresh = (): LazyExoticComponent<ComponentType<P>> =>
    lazy(async () => {
      try {
        return { default: await load() };
      } catch (error) {
        current = fresh();
        throw error;
      }
    });
  let current = fresh();
  const Part = (props: P) => createElement(current, props);
  return Object.assign(Part, {
    preload: () => {
      // A failure here is met again, and shown, when the part is rendered.
      load().catch(() => undefined);
    },
  });
}

/** What a part shows while its chunk arrives: a status that screen readers announce. */
export function Loading({ page = false }: { page?: boolean }) {
  const { t } = useTranslation();
  const status = (
    <p role="status">
      {t('common.loading')}
    </p>
  );
  return page ? (
    <main className="notice" aria-busy="true">
      {status}
    </main>
  ) : (
    <div className="panel" aria-busy="true">
      {status}
    </div>
  );
}

/** Runs `task` once the browser has nothing more urgent to do (after the first screen is up). */
export function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: 5000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(task, 1000); // Safari before 18 has no requestIdleCallback
  return () => window.clearTimeout(handle);
}
