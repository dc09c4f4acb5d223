import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The doctor's actions on someone in the call: mute them (or ask them to
 * unmute, when muted: only they can) and remove them. On their tile, and in
 * the list of people, where they stay reachable when tiles are small.
 */
export function ParticipantActions({
  className,
  name,
  audioMuted,
  onMute,
  onAskToUnmute,
  onRemove,
}: {
  className: string;
  name: string;
  audioMuted: boolean;
  onMute: (() => Promise<void>) | undefined;
  onAskToUnmute: (() => Promise<void>) | undefined;
  onRemove: (() => Promise<void>) | undefined;
}) {
  const { t } = useTranslation();
  return (
    <div className={className}>
      {audioMuted
        ? onAskToUnmute && <ActionButton label={t('call.askToUnmute')} name={t('call.askToUnmuteNamed', { name })} action={onAskToUnmute} />
        : onMute && <ActionButton label={t('call.muteOther')} name={t('call.muteOtherNamed', { name })} action={onMute} />}
      {onRemove && <RemoveButton name={name} onRemove={onRemove} />}
    </div>
  );
}

/** Two steps, so a stray click cannot remove someone from a consult. */
function RemoveButton({ name, onRemove }: { name: string; onRemove: () => Promise<void> }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      {confirming ? (
        <>
          <button type="button" className="danger" onClick={() => void onRemove().catch(() => setConfirming(false))}>
            {t('call.removeConfirm', { name })}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </>
      ) : (
        <button type="button" aria-label={t('call.removeNamed', { name })} onClick={() => setConfirming(true)}>
          {t('call.remove')}
        </button>
      )}
    </>
  );
}

function ActionButton({ label, name, action }: { label: string; name: string; action: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const run = () => {
    setBusy(true);
    action()
      .catch((error: unknown) => console.warn('participant action failed', error))
      .finally(() => setBusy(false));
  };
  return (
    <button type="button" aria-label={name} disabled={busy} onClick={run}>
      {label}
    </button>
  );
}

