import { useTranslation } from 'react-i18next';
import type { ConsultSession, SessionState } from '../call/consultSession';
import { languageNote } from './languageNotes';

/**
 * Everyone in the call as a list: name, role, languages and state. Tiles
 * say the same visually; this is what a screen reader (or a glance at the
 * side) finds easiest. The doctor also chooses here who may come back
 * without waiting (after a long drop or a restart).
 */
export function Roster({ session, state }: { session: ConsultSession; state: SessionState }) {
  const { t, i18n } = useTranslation();
  const self = state.self;
  if (!self) return null;
  const people = [
    { id: self.id, displayName: t('call.selfLabel', { name: self.displayName }), role: self.role, audioMuted: state.microphoneMuted, reconnecting: false },
    ...state.participants,
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
            person.reconnecting ? t('call.participantReconnecting') : undefined,
            state.floor?.holderId === person.id ? t('interpretation.hasFloor') : undefined,
            state.presentation?.presenterId === person.id ? t('roster.presenting') : undefined,
          ].filter((note): note is string => Boolean(note));
          return (
            <li key={person.id} data-participant-id={person.id}>
              <span className="roster-name" dir="auto">{person.displayName}</span> <span className="roster-notes">{notes.join(' · ')}</span>
              {self.role === 'doctor' && person.role !== 'doctor' && (
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
