import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkCheckPlan } from '../../shared/api';
import { runNetworkCheck, type NetworkCheckResult } from './networkCheck';

type CheckState = { phase: 'checking' } | { phase: 'done'; result: NetworkCheckResult } | { phase: 'failed' };

/**
 * Whether this network can carry the call, in plain words, before joining;
 * the paths tried, for an IT helpdesk; and a way to check again after
 * moving to another network.
 */
export function NetworkCheck({ requestPlan }: { requestPlan: () => Promise<NetworkCheckPlan> }) {
  const { t } = useTranslation();
  const [state, setState] = useState<CheckState>({ phase: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const checkAgain = useCallback(() => {
    setState({ phase: 'checking' });
    setAttempt((value) => value + 1);
  }, []);

  useEffect(() => {
    let cancelled = false;
    requestPlan()
      .then(runNetworkCheck)
      .then(
        (result) => !cancelled && setState({ phase: 'done', result }),
        () => !cancelled && setState({ phase: 'failed' }),
      );
    return () => {
      cancelled = true;
    };
  }, [requestPlan, attempt]);

  return (
    <section className="network-check" aria-labelledby="network-check-title" data-verdict={state.phase === 'done' ? state.result.verdict : state.phase}>
      <h3 id="network-check-title">{t('prejoin.network.title')}</h3>
      <div aria-live="polite">
        {state.phase === 'checking' && <p className="network-verdict">{t('prejoin.network.checking')}</p>}
        {state.phase === 'failed' && <p className="network-verdict">{t('prejoin.network.failed')}</p>}
        {state.phase === 'done' && (
          <p className={`network-verdict verdict-${state.result.verdict}`} role={state.result.verdict === 'blocked' ? 'alert' : undefined}>
            {t(`prejoin.network.verdict.${state.result.verdict}`, { rtt: state.result.rttMs ?? 0 })}
          </p>
        )}
      </div>
      {state.phase === 'done' && (
        <details>
          <summary>{t('prejoin.network.details')}</summary>
          <ul className="network-paths">
            {state.result.paths.map((check) => (
              <li key={check.path} data-path={check.path} data-reached={check.reached}>
                {t(`prejoin.network.path.${check.path}`)}:{' '}
                {check.reached ? t(check.path.startsWith('direct') ? 'prejoin.network.roundTrip' : 'prejoin.network.answered', { ms: check.ms ?? 0 }) : t('prejoin.network.notReached')}
              </li>
            ))}
          </ul>
        </details>
      )}
      <button type="button" onClick={checkAgain} disabled={state.phase === 'checking'}>
        {t('prejoin.network.again')}
      </button>
    </section>
  );
}
