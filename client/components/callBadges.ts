// The counts on the control bar's drawer buttons: chat messages not read
// yet, documents added by others since the documents were last looked at,
// and (for the doctor) people waiting. What was there when the call screen
// appeared counts as seen: it was read in the waiting room, or brought.
import { useEffect, useState } from 'react';
import type { DocumentInfo } from '../../shared/documents';
import type { SessionState } from '../call/consultSession';
import type { DocumentsApi } from '../documents/documentsApi';
import type { DrawerName } from './CallDrawer';

export interface PanelBadges {
  chat: number;
  documents: number;
  people: number;
}

export function usePanelBadges(state: SessionState, documentsApi: DocumentsApi | undefined, open: DrawerName | null): PanelBadges {
  return {
    chat: useUnreadChat(state, open === 'chat'),
    documents: useNewDocuments(documentsApi, state.documentsVersion, open === 'documents'),
    people: state.self?.role === 'doctor' ? state.waiting.length : 0,
  };
}

function useUnreadChat(state: SessionState, visible: boolean): number {
  const [seen, setSeen] = useState<ReadonlySet<string>>(() => new Set(state.chat.map((message) => message.id)));
  const unseen = state.chat.filter((message) => !seen.has(message.id));
  // Adjusted while rendering (not in an effect): the badge never flashes a count for messages on screen.
  if (visible && unseen.length > 0) setSeen(new Set([...seen, ...unseen.map((message) => message.id)]));
  if (visible) return 0;
  return unseen.filter((message) => message.from.participantId !== state.self?.id).length;
}

function useNewDocuments(api: DocumentsApi | undefined, version: number, visible: boolean): number {
  const [listed, setListed] = useState<readonly DocumentInfo[]>([]);
  const [seen, setSeen] = useState<ReadonlySet<string>>();
  useEffect(() => {
    // The documents drawer fetches the list too; this copy only counts, and a failure here only leaves the badge as it was.
    if (!api) return;
    let current = true;
    api
      .list()
      .then(({ documents }) => {
        if (!current) return;
        setListed(documents);
        setSeen((known) => known ?? new Set(documents.map((document) => document.id)));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [api, version]);
  if (!seen) return 0;
  const unseen = listed.filter((document) => !seen.has(document.id));
  if (visible && unseen.length > 0) setSeen(new Set([...seen, ...unseen.map((document) => document.id)]));
  if (visible) return 0;
  return unseen.filter((document) => !document.mine).length;
}
