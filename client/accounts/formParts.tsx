import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  hint?: string;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}

export function TextField({ label, value, onChange, type = 'text', hint, ...constraints }: TextFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...constraints}
      />
      {hint && (
        <small id={`${id}-hint`} className="field-hint">
          {hint}
        </small>
      )}
    </div>
  );
}

/** The translated message for an API error code, announced to screen readers. */
export function FormError({ code }: { code: string | undefined }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p className="form-error" role="alert">
      {t(`accounts.errors.${code}`, { defaultValue: t('accounts.errors.internal-error') })}
    </p>
  );
}
