import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { browserTimeZone, timeZoneName } from '../i18n/dateTime';

/** A zone under the name Intl settles on (Asia/Calcutta and Asia/Kolkata are one zone). */
function canonical(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}

/** Every zone the browser knows, once each, the doctor's own included (UTC is not always listed). */
export function knownTimeZones(): string[] {
  const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([canonical(browserTimeZone()), ...listed.map(canonical)])].sort();
}

/**
 * A time zone to type and pick: the list filters as one types a city or a
 * zone's name ("Jordan"), and shows each zone's name in the doctor's
 * language. Anything not in the list is refused with a hint.
 */
export function TimeZoneField({ label, hint, value, onChange }: { label: string; hint: string; value: string; onChange: (zone: string) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const zones = useMemo(() => knownTimeZones(), []);
  const now = useMemo(() => new Date().toISOString(), []);
  const valid = zones.includes(value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        list={`${id}-zones`}
        value={value.replace(/_/g, ' ')}
        onChange={(event) => onChange(event.target.value.replace(/ /g, '_'))}
        aria-describedby={`${id}-hint${valid ? '' : ` ${id}-problem`}`}
        aria-invalid={valid ? undefined : true}
        autoComplete="off"
        spellCheck={false}
        dir="ltr"
      />
      <datalist id={`${id}-zones`}>
        {zones.map((zone) => (
          <option key={zone} value={zone.replace(/_/g, ' ')}>
            {timeZoneName(zone, i18n.language, now)}
          </option>
        ))}
      </datalist>
      <small id={`${id}-hint`} className="field-hint">
        {valid ? `${timeZoneName(value, i18n.language, now)} · ${hint}` : hint}
      </small>
      {!valid && (
        <small id={`${id}-problem`} className="form-error">
          {t('consults.timeZoneUnknown')}
        </small>
      )}
    </div>
  );
}
