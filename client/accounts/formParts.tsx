import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { forbiddenCharacterIn } from '../../shared/plainText';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  hint?: string;
  /** A name or title others will read: says so at once when it holds characters the server refuses. */
  plainText?: boolean;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}

export function TextField({ label, value, onChange, type = 'text', hint, plainText = false, ...constraints }: TextFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const problem = plainText && forbiddenCharacterIn(value) !== undefined ? t('common.invisibleCharacters') : undefined;
  const describedBy = [hint ? `${id}-hint` : undefined, problem ? `${id}-problem` : undefined].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy || undefined}
        aria-invalid={problem ? true : undefined}
        {...constraints}
      />
      {hint && (
        <small id={`${id}-hint`} className="field-hint">
          {hint}
        </small>
      )}
      {problem && (
        <small id={`${id}-problem`} className="form-error" role="alert">
          {problem}
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
