import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { SoundBlockedBanner } from './SoundBlockedBanner';

/**
 * What the page must tell its person about their own part in the call: sound
 * held back by the browser, the link open elsewhere, the connection, what
 * the doctor did or asked, their camera or microphone, the pre-brief. Each
 * is kept as a state (a key and its values), never as translated text, so
 * it reads in the page's current language and goes as soon as its cause does.
 */
export function CallNotices({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t } = useTranslation();
  const inCall = state.phase === 'in-call';
  const staleDoctorNotice = state.doctorNotice !== undefined && !state.microphoneMuted;
  useEffect(() => {
    // "Muted by the doctor" and "please unmute" are over once the microphone is on again, however it was turned on.
    if (staleDoctorNotice) session.dismissDoctorNotice();
  }, [staleDoctorNotice, session]);
  // Doctor and interpreter together while the patient is not in yet: the pre-brief.
  const preBrief =
    inCall &&
    state.consult?.interpretation != null &&
    state.self?.role !== 'patient' &&
    !state.participants.some((participant) => participant.role === 'patient');
  return (
    <>
      <SoundBlockedBanner />
      {state.linkInUse && (
        <p className="banner" role="status" data-testid="link-in-use">
          {t('call.linkInUse')}
        </p>
      )}
      {state.reconnecting ? (
        <p className="banner" role="status" data-testid="reconnecting">
          {t(state.restarting ? 'call.restarting' : 'call.reconnecting')}
        </p>
      ) : state.mediaPath === 'none' ? (
        <p className="banner" role="alert" data-testid="no-media-path">
          {t('call.noMediaPath')}
        </p>
      ) : (
        state.quality['self'] === 'lost' && (
          <p className="banner" role="status" data-testid="interrupted">
            {t('call.selfInterrupted')}
          </p>
        )
      )}
      {state.doctorNotice && !staleDoctorNotice && <DoctorNotice session={session} notice={state.doctorNotice} />}
      {state.mediaProblem && (
        <p className="banner" role="status">
          {t(`media.${state.mediaProblem}`)}
        </p>
      )}
      {preBrief && (
        <p className="banner banner-private" role="status">
          {t('interpretation.preBrief')}
        </p>
      )}
    </>
  );
}

function DoctorNotice({ session, notice }: { session: ConsultSession; notice: NonNullable<SessionState['doctorNotice']> }) {
  const { t } = useTranslation();
  const unmute = () => {
    session
      .setMicrophoneMuted(false)
      .catch((error: unknown) => console.warn('unmute failed', error))
      .finally(() => session.dismissDoctorNotice());
  };
  return (
    <p className="banner" role="alert">
      {notice.kind === 'muted' ? t('call.mutedByDoctor', { doctor: notice.by }) : t('call.unmuteRequested', { doctor: notice.by })}{' '}
      {notice.kind === 'unmute-requested' && (
        <button type="button" className="primary" onClick={unmute}>
          {t('call.unmuteNow')}
        </button>
      )}{' '}
      <button type="button" onClick={() => session.dismissDoctorNotice()}>
        {t('common.dismiss')}
      </button>
    </p>
  );
}
