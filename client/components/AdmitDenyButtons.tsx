import { useTranslation } from 'react-i18next';
import type { WaitingParticipantInfo } from '../../shared/protocol';
import { Icon } from './icons';
import type { Admission } from './useAdmission';

/** Admit and Deny for one waiting person, named for screen readers; both wait while either is on its way. */
export function AdmitDenyButtons({ person, admission, className, withIcon = false }: { person: WaitingParticipantInfo; admission: Admission; className: string; withIcon?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={className}>
      <button
        type="button"
        className="primary"
        disabled={admission.busy === person.id}
        aria-label={t('waitingRoom.admitNamed', { name: person.displayName })}
        onClick={() => admission.admit(person.id)}
      >
        {withIcon && <Icon name="admit" />}
        {t('waitingRoom.admit')}
      </button>
      <button
        type="button"
        disabled={admission.busy === person.id}
        aria-label={t('waitingRoom.denyNamed', { name: person.displayName })}
        onClick={() => admission.deny(person.id)}
      >
        {t('waitingRoom.deny')}
      </button>
    </span>
  );
}
