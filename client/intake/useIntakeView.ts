// The case as a reader sees it (the doctor), kept fresh while shown: the
// patient may still be writing, and the interpreter translating.
import { useEffect, useState } from 'react';
import type { IntakeView } from '../../shared/intake';
import { failureCodeOf, type FailureCode } from '../api/requestFailure';
import type { IntakeApi } from './intakeApi';

const refreshEveryMs = 20_000;

export function useIntakeView(api: IntakeApi | undefined): { view: IntakeView | undefined; failure: FailureCode | undefined; replace: (view: IntakeView) => void } {
  const [view, setView] = useState<IntakeView>();
  const [failure, setFailure] = useState<FailureCode>();
  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    const load = () =>
      api.load().then(
        (loaded) => {
          if (cancelled) return;
          setView(loaded);
          setFailure(undefined);
        },
        (error: unknown) => {
          if (!cancelled) setFailure(failureCodeOf(error));
        },
      );
    void load();
    const timer = setInterval(() => void load(), refreshEveryMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api]);
  return { view, failure, replace: setView };
}
