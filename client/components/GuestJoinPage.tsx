import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { displayNameSchema } from '../../shared/schemas';
import { TextField } from '../accounts/formParts';
import { CallScreen } from './CallScreen';

/**
 * Before a patient or interpreter joins: their name as others will see it,
 * and their agreement to the privacy notice.
 */
export function GuestJoinPage({ inviteToken }: { inviteToken: string | undefined }) {
  const { t } = useTranslation();
  const consentId = useId();
  const [displayName, setDisplayName] = useState('');
  const [consented, setConsented] = useState(false);
  const [joining, setJoining] = useState<string>();

  if (!inviteToken) {
    return (
      <main className="notice">
        <h1>{t('link.invalidTitle')}</h1>
        <p>{t('link.invalidBody')}</p>
      </main>
    );
  }
  if (joining) return <CallScreen join={{ as: 'guest', inviteToken, displayName: joining }} />;

  const name = displayNameSchema.safeParse(displayName);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.success && consented) setJoining(name.data);
  };

  return (
    <main className="notice">
      <h1>{t('prejoin.title')}</h1>
      <form className="stacked-form" onSubmit={submit}>
        <TextField label={t('prejoin.displayName')} value={displayName} onChange={setDisplayName} autoComplete="name" required maxLength={64} />
        <section className="privacy-notice" aria-labelledby={`${consentId}-heading`}>
          <h2 id={`${consentId}-heading`}>{t('prejoin.privacyTitle')}</h2>
          <p>{t('prejoin.privacyBody')}</p>
          <label className="checkbox" htmlFor={consentId}>
            <input id={consentId} type="checkbox" checked={consented} onChange={(event) => setConsented(event.target.checked)} />
            {t('prejoin.consent')}
          </label>
        </section>
        <button type="submit" className="primary" disabled={!name.success || !consented}>
          {t('prejoin.join')}
        </button>
      </form>
    </main>
  );
}
