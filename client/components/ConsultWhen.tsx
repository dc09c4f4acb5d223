import { useTranslation } from 'react-i18next';
import { differsFromHere, formatDateTime, formatTimeIn, timeZoneName } from '../i18n/dateTime';

/**
 * When the consult is, in the reader's own time zone, and in the doctor's
 * where that differs ("16:00 for Dr. Weber, Central European Time").
 */
export function ConsultWhen({ scheduledAt, doctorName, doctorTimeZone }: { scheduledAt: string; doctorName: string; doctorTimeZone: string | null }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="consult-when">
      {t('consultTime.yours', { when: formatDateTime(scheduledAt, i18n.language) })}
      {differsFromHere(scheduledAt, doctorTimeZone) && (
        <>
          {' '}
          {t('consultTime.doctors', {
            doctor: doctorName,
            time: formatTimeIn(scheduledAt, i18n.language, doctorTimeZone),
            zone: timeZoneName(doctorTimeZone, i18n.language, scheduledAt),
          })}
        </>
      )}
    </p>
  );
}
