import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { consultKinds, type ConsultDetails, type ConsultKind, type CreateConsultRequest } from '../../shared/api';
import { FormError, TextField } from '../accounts/formParts';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf } from '../api/requestFailure';
import { browserTimeZone, formatDateTime } from '../i18n/dateTime';
import { knownTimeZones, TimeZoneField } from './TimeZoneField';
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

/** The doctor's language for the interpretation pair, if the consult offers it; else the first other one. */
function doctorSideLanguage(patientLanguage: string, uiLanguage: string): string {
  const offered: readonly string[] = consultLanguages;
  if (uiLanguage !== patientLanguage && offered.includes(uiLanguage)) return uiLanguage;
  return consultLanguages.find((code) => code !== patientLanguage) ?? 'en';
}

/**
 * Schedules a consult: the doctor's own title, what the patient reads, time,
 * the patient and whether an interpreter is needed (the pair follows the
 * patient's language until the doctor changes it). After saving, the form
 * empties and says what was scheduled.
 */
export function NewConsultForm({ onCreated }: { onCreated: (consult: ConsultDetails) => void }) {
  const { t, i18n } = useTranslation();
  const timeId = useId();
  const interpreterId = useId();
  const descriptionId = useId();
  const [kind, setKind] = useState<ConsultKind>('call');
  const [title, setTitle] = useState('');
  const [patientDescription, setPatientDescription] = useState('');
  const [scheduledAt, setScheduledAt] = useState('');
  const [patientName, setPatientName] = useState('');
  const [patientLanguage, setPatientLanguage] = useState('en');
  const [interpreterNeeded, setInterpreterNeeded] = useState(false);
  /** The pair as the doctor set it by hand; until then it follows the patient's language. */
  const [pairChosen, setPairChosen] = useState<{ from: string; to: string }>();
  const [patientTimeZone, setPatientTimeZone] = useState(browserTimeZone);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [scheduled, setScheduled] = useState<ConsultDetails>();
  const interpretFrom = pairChosen?.from ?? patientLanguage;
  const interpretTo = pairChosen?.to ?? doctorSideLanguage(patientLanguage, i18n.language);

  const reset = () => {
    setKind('call');
    setTitle('');
    setPatientDescription('');
    setScheduledAt('');
    setPatientName('');
    setPatientLanguage('en');
    setInterpreterNeeded(false);
    setPairChosen(undefined);
    setPatientTimeZone(browserTimeZone());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const when = new Date(scheduledAt);
    if (Number.isNaN(when.getTime())) return setError('invalid-payload');
    if (!knownTimeZones().includes(patientTimeZone)) return setError('invalid-payload');
    const request: CreateConsultRequest = {
      kind,
      title,
      patientDescription: patientDescription.trim() === '' ? null : patientDescription,
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
    setScheduled(undefined);
    apiRequest<ConsultDetails>('POST', '/consults', request)
      .then((created) => {
        reset();
        setScheduled(created);
        onCreated(created);
      })
      .catch((failure: unknown) => setError(failureCodeOf(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <form className="stacked-form" onSubmit={submit} aria-label={t('consults.newTitle')}>
      <fieldset className="opinion-choice">
        <legend>{t('consults.kind')}</legend>
        {consultKinds.map((value) => (
          <label key={value} className="radio">
            <input type="radio" name={`${timeId}-kind`} value={value} checked={kind === value} onChange={() => setKind(value)} />
            {t(`consults.kinds.${value}`)}
          </label>
        ))}
      </fieldset>
      <TextField label={t('consults.title')} hint={t('consults.titleHint')} value={title} onChange={setTitle} plainText required maxLength={120} />
      <div className="field">
        <label htmlFor={descriptionId}>{t('consults.patientDescription')}</label>
        <textarea
          id={descriptionId}
          rows={3}
          maxLength={500}
          value={patientDescription}
          onChange={(event) => setPatientDescription(event.target.value)}
          aria-describedby={`${descriptionId}-hint`}
        />
        <small id={`${descriptionId}-hint`} className="field-hint">
          {t('consults.patientDescriptionHint')}
        </small>
      </div>
      <div className="field">
        <label htmlFor={timeId}>{t(kind === 'call' ? 'consults.time' : 'consults.dueBy')}</label>
        <input id={timeId} type="datetime-local" value={scheduledAt} onChange={(event) => setScheduledAt(event.target.value)} required />
      </div>
      <TextField label={t('consults.patientName')} value={patientName} onChange={setPatientName} plainText required maxLength={64} />
      <LanguageSelect label={t('consults.patientLanguage')} value={patientLanguage} onChange={setPatientLanguage} />
      <TimeZoneField label={t('consults.patientTimeZone')} hint={t('consults.patientTimeZoneHint')} value={patientTimeZone} onChange={setPatientTimeZone} />
      <label className="checkbox" htmlFor={interpreterId}>
        <input id={interpreterId} type="checkbox" checked={interpreterNeeded} onChange={(event) => setInterpreterNeeded(event.target.checked)} />
        {t('consults.interpreterNeeded')}
      </label>
      {interpreterNeeded && (
        <div className="field-row">
          <LanguageSelect label={t('consults.interpretFrom')} value={interpretFrom} onChange={(from) => setPairChosen({ from, to: interpretTo })} />
          <LanguageSelect label={t('consults.interpretTo')} value={interpretTo} onChange={(to) => setPairChosen({ from: interpretFrom, to })} />
        </div>
      )}
      <FormError code={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('consults.create')}
      </button>
      <p role="status" className="form-status">
        {scheduled &&
          t('consults.scheduled', {
            title: scheduled.title,
            date: formatDateTime(scheduled.scheduledAt, i18n.language),
            name: scheduled.patientName,
          })}
      </p>
    </form>
  );
}
