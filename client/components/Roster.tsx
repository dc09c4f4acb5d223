import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { languageNote } from './languageNotes';
import { ParticipantActions } from './ParticipantActions';
import { remoteVideoFact, selfVideoFact, type VideoFact } from './videoFacts';

/**
 * Everyone in the call as a list: name, role, languages and state. Tiles
 * say the same visually; this is what a screen reader (or a glance at the
 * side) finds easiest. The doctor also chooses here who may come back
 * without waiting (after a long drop or a restart), sees the path each
 * person's media takes, and can mute or remove them here as on their tile
 * (tiles are small while a document is shown).
 */
export function Roster({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t, i18n } = useTranslation();
  const self = state.self;
  if (!self) return null;
  const isDoctor = self.role === 'doctor';
  const people = [
    {
      id: self.id,
      displayName: t('call.selfLabel', { name: self.displayName }),
      role: self.role,
      audioMuted: state.microphoneMuted,
      reconnecting: false,
      path: undefined,
      videoFact: selfVideoFact(state),
    },
    // That we chose audio only is said once, on our own line, not again on everyone else's.
    ...state.participants.map((participant) => ({ ...participant, videoFact: skipOurChoice(remoteVideoFact(participant, state)) })),
  ];
  return (
    <section className="roster panel" aria-labelledby="roster-heading">
      <h2 id="roster-heading">{t('roster.title', { count: people.length })}</h2>
      <ul>
        {people.map((person) => {
          const notes = [
            t(`role.${person.role}`),
            languageNote(person.role, state.consult, self.role, t, i18n.language),
            person.audioMuted ? t('call.microphoneOff') : undefined,
            person.videoFact ? t(`call.video.${person.videoFact}`) : undefined,
            person.reconnecting ? t('call.participantReconnecting') : undefined,
            state.floor?.holderId === person.id ? t('interpretation.hasFloor') : undefined,
            state.presentation?.presenterId === person.id ? t('roster.presenting') : undefined,
            isDoctor && person.path && person.path !== 'none' ? t('call.pathLabel', { path: t(`call.path.${person.path}`) }) : undefined,
            person.path === 'none' ? t('call.participantNoPath') : undefined,
          ].filter((note): note is string => Boolean(note));
          return (
            <li key={person.id} data-participant-id={person.id}>
              <span className="roster-name" dir="auto">{person.displayName}</span> <span className="roster-notes">{notes.join(' · ')}</span>
              {isDoctor && person.id !== self.id && (
                <ParticipantActions
                  className="roster-actions"
                  name={person.displayName}
                  audioMuted={person.audioMuted}
                  onMute={() => session.muteParticipant(person.id)}
                  onAskToUnmute={() => session.askToUnmute(person.id)}
                  onRemove={person.role !== 'doctor' ? () => session.remove(person.id) : undefined}
                />
              )}
              {isDoctor && person.role !== 'doctor' && (
                <label className="checkbox roster-return">
                  <input
                    type="checkbox"
                    checked={state.mayReturn[person.id] ?? false}
                    aria-label={t('roster.mayReturnNamed', { name: person.displayName })}
                    onChange={(event) => {
                      session.allowReturn(person.id, event.target.checked).catch((error: unknown) => console.warn('could not change who may come back', error));
                    }}
                  />
                  {t('roster.mayReturn')}
                </label>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function skipOurChoice(fact: VideoFact | undefined): VideoFact | undefined {
  return fact === 'youChoseAudioOnly' ? undefined : fact;
}
