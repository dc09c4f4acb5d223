import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';

/**
 * Audio only, chosen in the call's settings: no video sent or received, for
 * mobile data or a phone too old for three videos. A switch rather than a
 * button: it stays as chosen, and says so. The whole line is the target, a
 * finger's size; the hint says what it costs and what it saves.
 */
export function AudioOnlySetting({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t } = useTranslation();
  const id = useId();
  const [busy, setBusy] = useState(false);

  const choose = (on: boolean) => {
    // Not `disabled` while busy: that would take the focus away from a keyboard user in the middle of the change.
    if (busy) return;
    setBusy(true);
    session
      .setAudioOnly(on)
      .catch((error: unknown) => console.warn('could not change audio only', error))
      .finally(() => setBusy(false));
  };

  return (
    <div className="audio-only-setting">
      <label className="checkbox switch" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={state.audioOnly}
          aria-disabled={busy}
          aria-describedby={`${id}-hint`}
          onChange={(event) => choose(event.target.checked)}
        />
        {t('callScreen.audioOnly')}
      </label>
      <p id={`${id}-hint`} className="field-hint">
        {t('callScreen.audioOnlyHint')}
      </p>
    </div>
  );
}
