import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from '../i18n/LanguageSelect';
import type { SessionResponse } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf } from '../api/requestFailure';
import { FormError, TextField } from './formParts';

/** Creates a doctor account from the first-run setup link or a colleague's invitation. */
export function RegisterPage({ invitationToken, firstAccount }: { invitationToken: string | undefined; firstAccount: boolean }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (!invitationToken) {
    return (
      <main className="notice">
        <h1>{t('accounts.invitationMissingTitle')}</h1>
        <p>{t('accounts.invitationMissingBody')}</p>
      </main>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    apiRequest<SessionResponse>('POST', '/doctors', { invitationToken, email, displayName, password })
      .then(() => window.location.assign('/dashboard'))
      .catch((failure: unknown) => {
        setError(failureCodeOf(failure));
        setBusy(false);
      });
  };

  return (
    <main className="notice">
      <h1>{t(firstAccount ? 'accounts.setupTitle' : 'accounts.registerTitle')}</h1>
      <p>{t(firstAccount ? 'accounts.setupIntro' : 'accounts.registerIntro')}</p>
      <form className="stacked-form" onSubmit={submit}>
        <LanguageSelect />
        <TextField label={t('accounts.displayName')} value={displayName} onChange={setDisplayName} autoComplete="name" plainText required maxLength={64} />
        <TextField label={t('accounts.email')} type="email" value={email} onChange={setEmail} autoComplete="email" required maxLength={254} />
        <TextField
          label={t('accounts.newPassword')}
          hint={t('accounts.passwordHint')}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={256}
        />
        <FormError code={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('accounts.createAccount')}
        </button>
      </form>
    </main>
  );
}
