import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { FloorState } from '../../shared/protocol';
import type { FloorCueRequest } from '../../shared/schemas';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { languageName } from '../consults/languages';

/**
 * Consecutive interpretation, for consults with an interpreter: who has the
 * floor, and the cues to pass it ("please interpret", "please pause",
 * "go on"). Optional: nothing here mutes or blocks anyone. Listeners can also
 * have the others' voices lowered while the interpreter speaks (DuckingSetting,
 * with the call's settings: a choice made once, not a cue).
 */
export function InterpretationBar({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const self = state.self;
  const interpretation = state.consult?.interpretation;
  if (!self || !interpretation) return null;

  const interpreter = self.role === 'interpreter' ? self : state.participants.find((participant) => participant.role === 'interpreter');
  const nameOf = (id: string | null | undefined): string => state.participants.find((participant) => participant.id === id)?.displayName ?? '';
  const floor = state.floor;
  const interpreterHasFloor = floor !== null && floor.holderId === interpreter?.id;
  const status = floorStatus(floor, self.id, interpreterHasFloor, nameOf, t);

  const cue = (value: FloorCueRequest['cue']) => {
    setBusy(true);
    session
      .floorCue(value)
      .catch((error: unknown) => console.warn('floor cue failed', error))
      .finally(() => setBusy(false));
  };

  return (
    <section className="interpretation-bar" aria-label={t('interpretation.label')}>
      <span className="interpretation-pair">
        {t('interpretation.pair', { from: languageName(interpretation.from, i18n.language), to: languageName(interpretation.to, i18n.language) })}
      </span>
      <span className={floor?.pauseRequested && floor.speakerId === self.id ? 'floor-status floor-pause-for-you' : 'floor-status'} role="status">
        {status}
      </span>
      <span className="floor-cues">
        {self.role !== 'interpreter' && (
          <button type="button" disabled={busy || !interpreter || interpreterHasFloor} onClick={() => cue('hand-to-interpreter')}>
            {t('interpretation.pleaseInterpret')}
          </button>
        )}
        {self.role === 'interpreter' && (
          <>
            <button type="button" disabled={busy || interpreterHasFloor} onClick={() => cue('ask-to-pause')}>
              {t('interpretation.pleasePause')}
            </button>
            <button type="button" disabled={busy || !interpreterHasFloor} onClick={() => cue('hand-back')}>
              {t('interpretation.goOn')}
            </button>
          </>
        )}
        {floor && (self.role !== 'patient' || floor.holderId === self.id) && (
          <button type="button" disabled={busy} onClick={() => cue('clear')}>
            {t('interpretation.clear')}
          </button>
        )}
      </span>
    </section>
  );
}

/** For listeners in a consult with an interpreter: the others' voices lowered while the interpreter speaks. */
export function DuckingSetting({ state, ducking, onDucking }: { state: SessionState; ducking: boolean; onDucking: (enabled: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  if (!state.consult?.interpretation || !state.self || state.self.role === 'interpreter') return null;
  return (
    <label className="checkbox ducking-setting" htmlFor={id}>
      <input id={id} type="checkbox" checked={ducking} onChange={(event) => onDucking(event.target.checked)} />
      {t('interpretation.ducking')}
    </label>
  );
}

/** Who has the floor, in words, with "you" where it is the reader (English and others need their own sentences for that). */
function floorStatus(floor: FloorState | null, selfId: string, interpreterHasFloor: boolean, nameOf: (id: string | null) => string, t: TFunction): string {
  if (!floor) return t('interpretation.noFloor');
  const selfHolds = floor.holderId === selfId;
  if (interpreterHasFloor && floor.pauseRequested && floor.speakerId) {
    if (selfHolds) return t('interpretation.youAskedToPause', { speaker: nameOf(floor.speakerId) });
    if (floor.speakerId === selfId) return t('interpretation.pauseRequestedOfYou', { interpreter: nameOf(floor.holderId) });
    return t('interpretation.pauseRequested', { interpreter: nameOf(floor.holderId), speaker: nameOf(floor.speakerId) });
  }
  if (interpreterHasFloor) return selfHolds ? t('interpretation.youInterpreting') : t('interpretation.interpreting', { interpreter: nameOf(floor.holderId) });
  return selfHolds ? t('interpretation.youHaveFloor') : t('interpretation.floorWith', { name: nameOf(floor.holderId) });
}
