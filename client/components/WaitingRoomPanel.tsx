import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { playArrivalChime } from '../call/arrivalChime';
import { RequestFailure } from '../api/requestFailure';

/**
 * The doctor's view of the waiting room: everyone waiting, with Admit and
 * Deny for each, and an audible and visible alert for every arrival.
 */
export function WaitingRoomPanel({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string>();
  const alerted = useRef(0);
  const arrival = state.arrivals.at(-1);
  // Written in the page's language as it is now, not as it was when they arrived.
  const latestArrival = arrival && t('waitingRoom.arrived', { name: arrival.displayName, role: t(`role.${arrival.role}`) });

  useEffect(() => {
    if (state.arrivals.length <= alerted.current) return;
    alerted.current = state.arrivals.length;
    playArrivalChime();
  }, [state.arrivals]);

  const [failure, setFailure] = useState<string>();

  const act = (participantId: string, action: () => Promise<void>) => {
    setBusy(participantId);
    setFailure(undefined);
    action()
      .catch((error: unknown) => {
        console.warn('waiting room action failed', error);
        setFailure(error instanceof RequestFailure ? error.code : 'generic');
      })
      .finally(() => setBusy(undefined));
  };

  return (
    <aside className="waiting-room panel" aria-labelledby="waiting-room-heading">
      <h2 id="waiting-room-heading">{t('waitingRoom.title', { count: state.waiting.length })}</h2>
      <p className="arrival-alert" role="alert">
        {state.waiting.length > 0 ? latestArrival : ''}
      </p>
      {failure && (
        <p className="form-error" role="alert">
          {t(`waitingRoom.errors.${failure}`, { defaultValue: t('waitingRoom.errors.generic') })}
        </p>
      )}
      {state.waiting.length === 0 ? (
        <p>{t('waitingRoom.empty')}</p>
      ) : (
        <ul className="waiting-list">
          {state.waiting.map((person) => (
            <li key={person.id} data-participant-id={person.id}>
              <span>
                <bdi>{person.displayName}</bdi> <span className="tile-role">{t(`role.${person.role}`)}</span>
              </span>
              <span className="waiting-actions">
                <button
                  type="button"
                  className="primary"
                  disabled={busy === person.id}
                  aria-label={t('waitingRoom.admitNamed', { name: person.displayName })}
                  onClick={() => act(person.id, () => session.admit(person.id))}
                >
                  {t('waitingRoom.admit')}
                </button>
                <button
                  type="button"
                  disabled={busy === person.id}
                  aria-label={t('waitingRoom.denyNamed', { name: person.displayName })}
                  onClick={() => act(person.id, () => session.deny(person.id))}
                >
                  {t('waitingRoom.deny')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
