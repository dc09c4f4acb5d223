// Reports to the session how tall the page draws the others' videos, so the
// server forwards the layer that size needs; while the page is hidden (a
// phone's screen off, another app in front) it reports 0 and receives no
// video at all, only sound.
import { useEffect, useSyncExternalStore } from 'react';
import type { ConsultSession, SessionState } from './consultSession';

function subscribeToVisibility(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}

export function usePageHidden(): boolean {
  return useSyncExternalStore(subscribeToVisibility, () => document.visibilityState === 'hidden');
}

/** `tileHeight`: CSS pixels (0 while not yet measured); counted at up to two device pixels each, as a sharp phone screen shows them. */
export function useViewHeights(session: ConsultSession, participants: SessionState['participants'], tileHeight: number): void {
  const hidden = usePageHidden();
  const drawn = hidden ? 0 : Math.round(tileHeight * Math.min(window.devicePixelRatio || 1, 2));
  // A new video track (a new consumer after a reconnection) is reported again.
  const videos = participants.map((participant) => `${participant.id} ${participant.videoTrack?.id ?? ''}`).join('\n');
  useEffect(() => {
    if (!hidden && tileHeight <= 0) return;
    for (const line of videos.split('\n')) {
      const participantId = line.split(' ')[0];
      if (participantId) session.setViewHeight(participantId, drawn);
    }
  }, [session, videos, drawn, hidden, tileHeight]);
}
