import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from '../i18n/LanguageSelect';
import type { ConsultSummary, DoctorInvitationResponse, DoctorProfile, SessionResponse } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf, RequestFailure } from '../api/requestFailure';
import { ConsultList } from '../consults/ConsultList';
import { NewConsultForm } from '../consults/NewConsultForm';
import { CopyableLink } from './CopyableLink';
import { FormError } from './formParts';

/** How often the list is read again while the page is in view: stages move as others write. */
const consultsRefreshMs = 30_000;

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const [doctor, setDoctor] = useState<DoctorProfile>();
  const [invitation, setInvitation] = useState<{ url: string; expiresAt: Date }>();
  const [error, setError] = useState<string>();
  const [consults, setConsults] = useState<ConsultSummary[]>([]);

  /** The list, read again; `quietly` (a background read): a failure keeps it as it was, without an error. */
  const loadConsults = useCallback((quietly = false) => {
    apiRequest<ConsultSummary[]>('GET', '/consults')
      .then(setConsults)
      .catch((failure: unknown) => {
        if (!quietly) setError(failureCodeOf(failure));
      });
  }, []);

  useEffect(() => {
    apiRequest<SessionResponse>('GET', '/session')
      .then((session) => {
        setDoctor(session.doctor);
        loadConsults();
      })
      .catch((failure: unknown) => {
        if (failure instanceof RequestFailure && failure.code === 'unauthenticated') window.location.assign('/login');
        else setError(failureCodeOf(failure));
      });
  }, [loadConsults]);

  // Where each consult stands moves while the page is open (the patient writes their case, the
  // interpreter translates): read again now and then, and on coming back to the tab.
  useEffect(() => {
    if (!doctor) return;
    const refresh = () => {
      if (document.visibilityState === 'visible') loadConsults(true);
    };
    const timer = setInterval(refresh, consultsRefreshMs);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [doctor, loadConsults]);

  const inviteColleague = () => {
    setError(undefined);
    apiRequest<DoctorInvitationResponse>('POST', '/doctor-invitations')
      .then((created) =>
        setInvitation({
          url: `${window.location.origin}/register#${created.invitationToken}`,
          expiresAt: new Date(created.expiresAt),
        }),
      )
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  };

  const signOut = () => {
    apiRequest('DELETE', '/session')
      .catch(() => undefined)
      .finally(() => window.location.assign('/login'));
  };

  if (!doctor) {
    return (
      <main className="notice">
        <FormError code={error} />
      </main>
    );
  }

  return (
    <main className="dashboard">
      <header className="dashboard-header">
        <h1>{t('dashboard.title')}</h1>
        <p>{t('dashboard.signedInAs', { name: doctor.displayName, email: doctor.email })}</p>
        <LanguageSelect />
        <button type="button" onClick={signOut}>
          {t('accounts.signOut')}
        </button>
      </header>
      <section className="panel" aria-labelledby="consults-heading">
        <h2 id="consults-heading">{t('consults.heading')}</h2>
        <ConsultList consults={consults} doctorName={doctor.displayName} onChanged={() => loadConsults()} />
      </section>
      <section className="panel" aria-labelledby="new-consult-heading">
        <h2 id="new-consult-heading">{t('consults.newTitle')}</h2>
        <NewConsultForm onCreated={() => loadConsults()} />
      </section>
      <section className="panel" aria-labelledby="colleagues-heading">
        <h2 id="colleagues-heading">{t('dashboard.colleaguesTitle')}</h2>
        <p>{t('dashboard.colleaguesIntro')}</p>
        <button type="button" className="primary" onClick={inviteColleague}>
          {t('dashboard.inviteColleague')}
        </button>
        {invitation && (
          <CopyableLink
            url={invitation.url}
            label={t('dashboard.invitationLinkLabel')}
            note={t('dashboard.invitationExpires', {
              date: invitation.expiresAt.toLocaleString(i18n.language, { dateStyle: 'long', timeStyle: 'short' }),
            })}
          />
        )}
        <FormError code={error} />
      </section>
    </main>
  );
}
