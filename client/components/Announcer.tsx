import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
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
  // What was last announced, and the state it was worked out from; updated while rendering a new state.
  const [announced, setAnnounced] = useState<{ state: SessionState | undefined; snapshot: Snapshot | undefined; message: string }>({
    state: undefined,
    snapshot: undefined,
    message: '',
  });
  if (announced.state !== state) {
    const snapshot = snapshotOf(state);
    const messages = changesBetween(announced.snapshot, snapshot, state, t);
    setAnnounced({ state, snapshot, message: messages.length > 0 ? messages.join(' ') : announced.message });
  }

  return (
    <p className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {announced.message}
    </p>
  );
}

function changesBetween(before: Snapshot | undefined, now: Snapshot, state: SessionState, t: TFunction): string[] {
  const messages: string[] = [];
  if (before?.phase !== now.phase) {
    if (now.phase === 'joining') messages.push(t('call.joining'));
    if (now.phase === 'in-call') messages.push(t('call.inCall'));
  }
  if (!before) return messages;
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
  return messages;
}
