// What a person can do after their session ended, by why it ended. Every
// reason is listed: a new one must be decided here, not fall through.
import type { SessionFailure } from '../call/sessionState';

/** Whether joining again with the same link or session could help. */
export function mayRejoinAfter(failure: SessionFailure): boolean {
  switch (failure) {
    // The doctor decided, the consult is over, or the link no longer works.
    case 'denied':
    case 'removed':
    case 'ended':
    case 'consult-ended':
    case 'link-invalid':
    case 'link-expired':
    case 'link-revoked':
    case 'not-found':
      return false;
    // A connection, a restart or a moment's crowding: trying again may well work.
    case 'connection-lost':
    case 'network':
    case 'timeout':
    case 'server-shutdown':
    case 'media-failure':
    case 'replaced':
    case 'consult-closed':
    case 'consult-full':
    case 'waiting-room-full':
    case 'link-in-use':
    case 'server-busy':
    case 'rate-limited':
    case 'unauthenticated':
    case 'unsupported-browser':
    case 'generic':
    case 'internal-error':
    case 'media-error':
    case 'invalid-payload':
    case 'invalid-credentials':
    case 'invitation-invalid':
    case 'email-taken':
    case 'forbidden':
    case 'not-admitted':
    case 'not-joined':
    case 'already-joined':
    case 'already-exists':
    case 'not-ready':
    case 'cannot-consume':
    case 'edit-conflict':
    case 'locked':
    case 'file-too-large':
    case 'storage-full':
    case 'unsupported-type':
    case 'file-too-complex':
    case 'archive-unsafe':
      return true;
  }
}
