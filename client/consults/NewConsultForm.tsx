import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultDetails, CreateConsultRequest } from '../../shared/api';
import { FormError, TextField } from '../accounts/formParts';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf } from '../api/requestFailure';
import { browserTimeZone } from '../i18n/dateTime';
import { consultLanguages, languageName } from './languages';

function LanguageSelect({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  const { i18n } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {consultLanguages.map((code) => (
          <option key={code} value={code}>
            {languageName(code, i18n.language)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Every zone the browser knows, the doctor's own included even if the list lacks it (UTC, say). */
function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes(browserTimeZone()) ? zones : [browserTimeZone(), ...zones];
}

/** Schedules a consult: title, time, the patient and whether an interpreter is needed. */
export function NewConsultForm({ onCreated }: { onCreated: (consult: ConsultDetails) => void }) {
  const { t } = useTranslation();
  const timeId = useId();
  const interpreterId = useId();
  const [title, setTitle] = useState('');
  const [scheduledAt, setScheduledAt] = useState('');
  const [patientName, setPatientName] = useState('');
  const [patientLanguage, setPatientLanguage] = useState('en');
  const [interpreterNeeded, setInterpreterNeeded] = useState(false);
  const [interpretFrom, setInterpretFrom] = useState('en');
  const [interpretTo, setInterpretTo] = useState('de');
  const [patientTimeZone, setPatientTimeZone] = useState(browserTimeZone);
  const zoneId = useId();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const when = new Date(scheduledAt);
    if (Number.isNaN(when.getTime())) return setError('invalid-payload');
    const request: CreateConsultRequest = {
      title,
      // datetime-local is the doctor's local time; the server stores an instant.
      scheduledAt: when.toISOString(),
      patientName,
      patientLanguage,
      interpretation: interpreterNeeded ? { from: interpretFrom, to: interpretTo } : null,
      doctorTimeZone: browserTimeZone(),
      patientTimeZone,
    };
    setBusy(true);
    setError(undefined);
    apiRequest<ConsultDetails>('POST', '/consults', request)
      .then((created) => {
        setTitle('');
        setPatientName('');
        onCreated(created);
      })
      .catch((failure: unknown) => setError(failureCodeOf(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <form className="stacked-form" onSubmit={submit} aria-label={t('consults.newTitle')}>
      <TextField label={t('consults.title')} value={title} onChange={setTitle} plainText required maxLength={120} />
      <div className="field">
        <label htmlFor={timeId}>{t('consults.time')}</label>
        <input id={timeId} type="datetime-local" value={scheduledAt} onChange={(event) => setScheduledAt(event.target.value)} required />
      </div>
      <TextField label={t('consults.patientName')} value={patientName} onChange={setPatientName} plainText required maxLength={64} />
      <LanguageSelect label={t('consults.patientLanguage')} value={patientLanguage} onChange={setPatientLanguage} />
      <div className="field">
        <label htmlFor={zoneId}>{t('consults.patientTimeZone')}</label>
        <select id={zoneId} value={patientTimeZone} onChange={(event) => setPatientTimeZone(event.target.value)}>
          {timeZones().map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
        <small className="field-hint">{t('consults.patientTimeZoneHint')}</small>
      </div>
      <label className="checkbox" htmlFor={interpreterId}>
        <input id={interpreterId} type="checkbox" checked={interpreterNeeded} onChange={(event) => setInterpreterNeeded(event.target.checked)} />
        {t('consults.interpreterNeeded')}
      </label>
      {interpreterNeeded && (
        <div className="field-row">
          <LanguageSelect label={t('consults.interpretFrom')} value={interpretFrom} onChange={setInterpretFrom} />
          <LanguageSelect label={t('consults.interpretTo')} value={interpretTo} onChange={setInterpretTo} />
        </div>
      )}
      <FormError code={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('consults.create')}
      </button>
    </form>
  );
}
