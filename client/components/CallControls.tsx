import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';

export function CallControls({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const inCall = state.phase === 'in-call';
  const isDoctor = state.self?.role === 'doctor';
  const hasMicrophone = (state.localStream?.getAudioTracks().length ?? 0) > 0;

  const run = (action: () => Promise<void>) => {
    setBusy(true);
    action()
      .catch((error: unknown) => console.warn('call control failed', error))
      .finally(() => setBusy(false));
  };

  return (
    <nav className="controls" aria-label={t('call.controlsLabel')}>
      <button
        type="button"
        aria-pressed={state.microphoneMuted}
        disabled={!inCall || busy || !hasMicrophone}
        onClick={() => run(() => session.setMicrophoneMuted(!state.microphoneMuted))}
      >
        {state.microphoneMuted ? t('call.unmute') : t('call.mute')}
      </button>
      <button
        type="button"
        aria-pressed={state.cameraOff}
        disabled={!inCall || busy}
        onClick={() => run(() => session.setCameraOff(!state.cameraOff))}
      >
        {state.cameraOff ? t('call.cameraTurnOn') : t('call.cameraTurnOff')}
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => run(() => session.leave())}>
        {t('call.leave')}
      </button>
      {isDoctor &&
        (confirmingEnd ? (
          <>
            <button type="button" className="danger" disabled={busy} onClick={() => run(() => session.endConsult())}>
              {t('call.endConfirm')}
            </button>
            <button type="button" onClick={() => setConfirmingEnd(false)}>
              {t('common.cancel')}
            </button>
          </>
        ) : (
          <button type="button" disabled={busy} onClick={() => setConfirmingEnd(true)}>
            {t('call.endForEveryone')}
          </button>
        ))}
    </nav>
  );
}
