import { useTranslation } from 'react-i18next';
import type { SessionState } from '../call/consultSession';
import { AdmitDenyButtons } from './AdmitDenyButtons';
import type { Admission } from './useAdmission';

/**
 * The doctor's view of the waiting room, in the people drawer: everyone
 * waiting, with Admit and Deny for each. Arrivals are alerted by the
 * ArrivalNotice, over the call.
 */
export function WaitingRoomPanel({ state, admission }: { state: SessionState; admission: Admission }) {
  const { t } = useTranslation();
  const { failure } = admission;

  return (
    <aside className="waiting-room panel" aria-labelledby="waiting-room-heading">
      <h2 id="waiting-room-heading">{t('waitingRoom.title', { count: state.waiting.length })}</h2>
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
              <AdmitDenyButtons person={person} admission={admission} className="waiting-actions" />
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
