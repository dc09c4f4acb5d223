import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WaitingParticipantInfo } from '../../shared/protocol';
import { playArrivalChime } from '../call/arrivalChime';
import type { SessionState } from '../call/consultSession';
import { AdmitDenyButtons } from './AdmitDenyButtons';
import type { Admission } from './useAdmission';

/**
 * For the doctor, over the call: who is waiting, with Admit and Deny right
 * there, a chime for every arrival and an alert for screen readers. Built
 * from who is waiting now, so someone let in (or gone) leaves it at once,
 * and written in the page's language as it is now. "Later" puts it away
 * until someone else arrives; the waiting room drawer still lists everyone.
 */
export function ArrivalNotice({ state, admission, hidden }: { state: SessionState; admission: Admission; hidden: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [later, setLater] = useState<ReadonlySet<string>>(() => new Set());
  useArrivalChime(state.arrivals);

  const shown = state.waiting.filter((person) => !later.has(person.id));
  const latest = state.arrivals.at(-1);
  const latestStillWaiting = latest && state.waiting.some((person) => person.id === latest.id) ? latest : undefined;
  return (
    <>
      <p className="visually-hidden" role="alert">
        {latestStillWaiting && arrivedText(latestStillWaiting, t)}
      </p>
      {!hidden && (shown.length > 0 || admission.failure) && (
        <section className="arrival-notice" aria-labelledby={headingId}>
          <div className="arrival-head">
            <h2 id={headingId} className="arrival-title">
              {t('waitingRoom.title', { count: state.waiting.length })}
            </h2>
            {shown.length > 0 && (
              <button type="button" className="arrival-later" onClick={() => setLater(new Set(state.waiting.map((person) => person.id)))}>
                {t('callScreen.later')}
              </button>
            )}
          </div>
          {admission.failure && (
            <p className="form-error" role="alert">
              {t(`waitingRoom.errors.${admission.failure}`, { defaultValue: t('waitingRoom.errors.generic') })}
            </p>
          )}
          <ul className="arrival-list">
            {shown.map((person) => (
              <li key={person.id} data-participant-id={person.id}>
                <span className="arrival-text">{arrivedText(person, t)}</span>
                <AdmitDenyButtons person={person} admission={admission} className="arrival-actions" withIcon />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function arrivedText(person: WaitingParticipantInfo, t: ReturnType<typeof useTranslation>['t']): string {
  return t('waitingRoom.arrived', { name: person.displayName, role: t(`role.${person.role}`) });
}

/** A chime for every arrival since the page joined (the browser may hold it back until the page was used: the notice is there for that). */
function useArrivalChime(arrivals: readonly WaitingParticipantInfo[]): void {
  const alerted = useRef(0);
  useEffect(() => {
    if (arrivals.length <= alerted.current) return;
    alerted.current = arrivals.length;
    playArrivalChime();
  }, [arrivals]);
}
