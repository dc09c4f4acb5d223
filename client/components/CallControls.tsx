import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import type { PanelBadges } from './callBadges';
import type { DrawerName, Drawers } from './CallDrawer';
import { ConfirmDialog } from './ConfirmDialog';
import { Icon, type IconName } from './icons';
import type { Admission } from './useAdmission';

const drawerIcons: Record<DrawerName, IconName> = { chat: 'chat', documents: 'documents', people: 'people', settings: 'settings' };

/**
 * The bar at the bottom of the call, always on screen: the drawers (chat,
 * documents, people, settings), microphone and camera, and the ways out.
 * For the doctor also Admit (the first in line) and End consult. Leaving and
 * ending ask first.
 */
export function CallControls({
  session,
  state,
  drawers,
  badges,
  admission,
}: {
  session: ConsultSession;
  state: SessionState;
  /** Absent while waiting to be let in: there is nothing to open yet. */
  drawers?: Drawers | undefined;
  badges?: PanelBadges | undefined;
  admission?: Admission | undefined;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<'leave' | 'end' | null>(null);
  const inCall = state.phase === 'in-call';
  const isDoctor = state.self?.role === 'doctor';
  const hasMicrophone = (state.localStream?.getAudioTracks().length ?? 0) > 0;
  const firstWaiting = isDoctor && inCall ? state.waiting[0] : undefined;

  const run = (action: () => Promise<void>, after?: () => void) => {
    setBusy(true);
    action()
      .catch((error: unknown) => console.warn('call control failed', error))
      .finally(() => {
        setBusy(false);
        after?.();
      });
  };

  return (
    <nav className="controls" aria-label={t('call.controlsLabel')}>
      {drawers && badges && (
        <div className="control-group control-drawers">
          {(['chat', 'documents', 'people', 'settings'] as const).map((name) => (
            <DrawerButton key={name} name={name} drawers={drawers} badges={badges} />
          ))}
        </div>
      )}
      <div className="control-group control-media">
        <ControlButton
          icon={state.microphoneMuted ? 'microphone-off' : 'microphone'}
          label={t(state.microphoneMuted ? 'callScreen.unmute' : 'callScreen.mute')}
          off={state.microphoneMuted}
          disabled={!inCall || busy || !hasMicrophone}
          onClick={() => run(() => session.setMicrophoneMuted(!state.microphoneMuted))}
        />
        <ControlButton
          icon={state.cameraOff ? 'camera-off' : 'camera'}
          label={t(state.cameraOff ? 'callScreen.cameraOn' : 'callScreen.cameraOff')}
          // Audio only holds the camera off; the button says why it does nothing rather than undo the choice.
          name={state.audioOnly ? t('callScreen.cameraAudioOnly') : undefined}
          title={state.audioOnly ? t('callScreen.cameraAudioOnly') : undefined}
          off={state.cameraOff}
          disabled={!inCall || busy || state.audioOnly}
          onClick={() => run(() => session.setCameraOff(!state.cameraOff))}
        />
      </div>
      <div className="control-group control-exit">
        {firstWaiting && admission && (
          <ControlButton
            icon="admit"
            label={t('waitingRoom.admit')}
            name={t('waitingRoom.admitNamed', { name: firstWaiting.displayName })}
            className="primary"
            badge={state.waiting.length}
            badgeText={t('callScreen.peopleWaiting', { count: state.waiting.length })}
            disabled={admission.busy === firstWaiting.id}
            onClick={() => admission.admit(firstWaiting.id)}
          />
        )}
        <ControlButton icon="leave" label={t('callScreen.leave')} className="danger" disabled={busy} onClick={() => setConfirming('leave')} />
        {isDoctor && <ControlButton icon="end" label={t('callScreen.end')} className="danger end" disabled={busy} onClick={() => setConfirming('end')} />}
      </div>
      {confirming === 'leave' && (
        <ConfirmDialog
          title={t('callScreen.leaveTitle')}
          message={t('callScreen.leaveMessage')}
          confirmLabel={t('callScreen.leave')}
          cancelLabel={t('callScreen.stay')}
          busy={busy}
          onConfirm={() => run(() => session.leave())}
          onCancel={() => setConfirming(null)}
        />
      )}
      {confirming === 'end' && (
        <ConfirmDialog
          title={t('callScreen.endTitle')}
          message={t('callScreen.endMessage')}
          confirmLabel={t('callScreen.end')}
          cancelLabel={t('callScreen.stay')}
          busy={busy}
          onConfirm={() => run(() => session.endConsult(), () => setConfirming(null))}
          onCancel={() => setConfirming(null)}
        />
      )}
    </nav>
  );
}

function DrawerButton({ name, drawers, badges }: { name: DrawerName; drawers: Drawers; badges: PanelBadges }) {
  const { t } = useTranslation();
  const count = name === 'settings' ? 0 : badges[name];
  const badgeText =
    name === 'chat'
      ? t('callScreen.unreadMessages', { count })
      : name === 'documents'
        ? t('callScreen.newDocuments', { count })
        : t('callScreen.peopleWaiting', { count });
  return (
    <ControlButton
      icon={drawerIcons[name]}
      label={t(`callScreen.${name}`)}
      buttonRef={drawers.buttonRef(name)}
      expanded={drawers.open === name}
      controls={drawers.idOf(name)}
      badge={count}
      badgeText={badgeText}
      onClick={() => drawers.toggle(name)}
    />
  );
}

function ControlButton({
  icon,
  label,
  name,
  title,
  className,
  off,
  expanded,
  controls,
  badge = 0,
  badgeText,
  disabled,
  buttonRef,
  onClick,
}: {
  icon: IconName;
  label: string;
  /** The accessible name, where it says more than the visible label (it starts with it). */
  name?: string;
  /** A tooltip, where the button's state needs explaining. */
  title?: string | undefined;
  className?: string;
  /** Microphone or camera turned off: shown as such. */
  off?: boolean;
  expanded?: boolean;
  controls?: string;
  badge?: number;
  badgeText?: string;
  disabled?: boolean;
  buttonRef?: (element: HTMLButtonElement | null) => void;
  onClick: () => void;
}) {
  const { i18n } = useTranslation();
  const badgeId = useId();
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className={['control', className, off ? 'control-off' : ''].filter(Boolean).join(' ')}
        aria-label={name}
        title={title}
        aria-expanded={expanded}
        aria-controls={controls}
        aria-describedby={badge > 0 ? badgeId : undefined}
        disabled={disabled}
        onClick={onClick}
      >
        <Icon name={icon} />
        <span className="control-label">{label}</span>
        {badge > 0 && (
          // The count is drawn by the stylesheet (with an empty text alternative): it is neither part of the
          // button's name nor of its visible text; badgeText says it in words, as the description.
          <span className="control-badge" data-count={new Intl.NumberFormat(i18n.language).format(Math.min(badge, 99))} />
        )}
      </button>
      {badge > 0 && (
        <span id={badgeId} hidden>
          {badgeText}
        </span>
      )}
    </>
  );
}
