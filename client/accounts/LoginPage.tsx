import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from '../i18n/LanguageSelect';
import type { SessionResponse } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf } from '../api/requestFailure';
import { FormError, TextField } from './formParts';

export function LoginPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    apiRequest<SessionResponse>('POST', '/session', { email, password })
      .then(() => window.location.assign('/dashboard'))
      .catch((failure: unknown) => {
        setError(failureCodeOf(failure));
        setBusy(false);
      });
  };

  return (
    <main className="notice">
      <h1>{t('accounts.loginTitle')}</h1>
      <form className="stacked-form" onSubmit={submit}>
        <LanguageSelect />
        <TextField label={t('accounts.email')} type="email" value={email} onChange={setEmail} autoComplete="username" required />
        <TextField label={t('accounts.password')} type="password" value={password} onChange={setPassword} autoComplete="current-password" required />
        <FormError code={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('accounts.signIn')}
        </button>
      </form>
    </main>
  );
}
