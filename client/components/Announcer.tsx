import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { SessionState } from '../call/consultSession';

interface Snapshot {
  phase: SessionState['phase'];
  people: Map<string, { name: string; reconnecting: boolean }>;
  presenterId: string | null;
  chatIds: Set<string>;
}

/**
 * An announcement as what it says, not as words: it is put into words when
 * shown, so it reads in the page's language even after the language changes.
 */
type Message = (t: TFunction) => string;

function snapshotOf(state: SessionState): Snapshot {
  return {
    phase: state.phase,
    people: new Map(state.participants.map((participant) => [participant.id, { name: participant.displayName, reconnecting: participant.reconnecting }])),
    presenterId: state.presentation?.presenterId ?? null,
    chatIds: new Set(state.chat.map((message) => message.id)),
  };
}

/**
 * Tells screen-reader users what changed in the call (being let in, someone
 * joining, leaving or reconnecting, a document being shown): what sighted
 * people notice on the tiles. While the chat is closed (`chatHidden`), its
 * new messages too: its own log is not on the page then.
 */
export function Announcer({ state, chatHidden = false }: { state: SessionState; chatHidden?: boolean }) {
  const { t } = useTranslation();
  // What was last announced, and the state it was worked out from; updated while rendering a new state.
  const [announced, setAnnounced] = useState<{ state: SessionState | undefined; snapshot: Snapshot | undefined; messages: Message[] }>({
    state: undefined,
    snapshot: undefined,
    messages: [],
  });
  if (announced.state !== state) {
    const snapshot = snapshotOf(state);
    const messages = changesBetween(announced.snapshot, snapshot, state, chatHidden);
    setAnnounced({ state, snapshot, messages: messages.length > 0 ? messages : announced.messages });
  }

  return (
    <p className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {announced.messages.map((message) => message(t)).join(' ')}
    </p>
  );
}

function changesBetween(before: Snapshot | undefined, now: Snapshot, state: SessionState, chatHidden: boolean): Message[] {
  const messages: Message[] = [];
  if (before?.phase !== now.phase) {
    if (now.phase === 'joining') messages.push((t) => t('call.joining'));
    if (now.phase === 'in-call') messages.push((t) => t('call.inCall'));
  }
  if (!before) return messages;
  for (const [id, person] of now.people) {
    const earlier = before.people.get(id);
    const name = person.name;
    if (!earlier) messages.push((t) => t('announce.joined', { name }));
    else if (!earlier.reconnecting && person.reconnecting) messages.push((t) => t('announce.reconnecting', { name }));
    else if (earlier.reconnecting && !person.reconnecting) messages.push((t) => t('announce.reconnected', { name }));
  }
  for (const [id, person] of before.people) {
    const name = person.name;
    if (!now.people.has(id)) messages.push((t) => t('announce.left', { name }));
  }
  if (before.presenterId !== now.presenterId) {
    const presentation = state.presentation;
    const name = presentation?.presenterName;
    if (name !== undefined) messages.push((t) => t('announce.presenting', { name }));
    else if (before.presenterId) messages.push((t) => t('announce.stoppedPresenting'));
  }
  if (chatHidden) {
    for (const message of state.chat) {
      if (before.chatIds.has(message.id) || message.from.participantId === state.self?.id) continue;
      const { displayName: name } = message.from;
      const { text } = message;
      messages.push((t) => t('callScreen.newMessage', { name, text }));
    }
  }
  return messages;
}
