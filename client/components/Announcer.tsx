import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionState } from '../call/consultSession';

interface Snapshot {
  phase: SessionState['phase'];
  people: Map<string, { name: string; reconnecting: boolean }>;
  presenterId: string | null;
}

function snapshotOf(state: SessionState): Snapshot {
  return {
    phase: state.phase,
    people: new Map(state.participants.map((participant) => [participant.id, { name: participant.displayName, reconnecting: participant.reconnecting }])),
    presenterId: state.presentation?.presenterId ?? null,
  };
}

/**
 * Tells screen-reader users what changed in the call (being let in, someone
 * joining, leaving or reconnecting, a document being shown): what sighted
 * people notice on the tiles.
 */
export function Announcer({ state }: { state: SessionState }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const previous = useRef<Snapshot | undefined>(undefined);

  useEffect(() => {
    const before = previous.current;
    const now = snapshotOf(state);
    previous.current = now;
    const messages: string[] = [];
    if (before?.phase !== now.phase) {
      if (now.phase === 'joining') messages.push(t('call.joining'));
      if (now.phase === 'in-call') messages.push(t('call.inCall'));
    }
    if (before) {
      for (const [id, person] of now.people) {
        const earlier = before.people.get(id);
        if (!earlier) messages.push(t('announce.joined', { name: person.name }));
        else if (!earlier.reconnecting && person.reconnecting) messages.push(t('announce.reconnecting', { name: person.name }));
        else if (earlier.reconnecting && !person.reconnecting) messages.push(t('announce.reconnected', { name: person.name }));
      }
      for (const [id, person] of before.people) {
        if (!now.people.has(id)) messages.push(t('announce.left', { name: person.name }));
      }
      if (before.presenterId !== now.presenterId) {
        const presentation = state.presentation;
        if (presentation) messages.push(t('announce.presenting', { name: presentation.presenterName }));
        else if (before.presenterId) messages.push(t('announce.stoppedPresenting'));
      }
    }
    if (messages.length > 0) setMessage(messages.join(' '));
  }, [state, t]);

  return (
    <p className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {message}
    </p>
  );
}
