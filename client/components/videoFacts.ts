// Why a tile shows no live picture, or a lower one (issue 14: on a weak link
// the voice comes first). One fact per tile, the one that explains most: a
// choice someone made beats a link that cannot carry video, which beats a
// picture that is merely lowered. Each name is also its text's key under
// `call.video` in the translations.
import type { ParticipantInfo } from '../../shared/protocol';
import type { SessionState } from '../call/consultSession';
import type { IconName } from './icons';

export type VideoFact =
  /** They chose audio only (on their tile), or we did (on ours). */
  | 'audioOnly'
  /** On the others' tiles while we chose audio only: no video comes to us. */
  | 'youChoseAudioOnly'
  /** Their link, or ours, cannot carry their video now: paused so the voices stay clear. */
  | 'heldBack'
  /** On our tile: our link cannot carry our camera now; the others do not see us. */
  | 'sendingHeldBack'
  /** The picture we receive of them is lower than the tile needs, because of our link. */
  | 'reduced';

/** Each fact's sign, on the tile and beside the connection bars: a pause for video held back, headphones for sound only. */
export const videoFactIcons: Record<VideoFact, IconName> = {
  audioOnly: 'audio-only',
  youChoseAudioOnly: 'audio-only',
  heldBack: 'video-paused',
  sendingHeldBack: 'video-paused',
  reduced: 'video-reduced',
};

type VideoLimits = Pick<SessionState, 'audioOnly' | 'sendingHeldBack' | 'receivingHeldBack' | 'forwardedVideo' | 'cameraOff'>;

/** What to say on a remote person's tile, if anything. */
export function remoteVideoFact(participant: Pick<ParticipantInfo, 'id' | 'audioOnly' | 'videoHeldBack'>, state: VideoLimits): VideoFact | undefined {
  if (participant.audioOnly) return 'audioOnly';
  if (state.audioOnly) return 'youChoseAudioOnly';
  const forwarded = state.forwardedVideo[participant.id];
  if (participant.videoHeldBack || state.receivingHeldBack || forwarded === 'none') return 'heldBack';
  if (forwarded === 'lower') return 'reduced';
  return undefined;
}

/** What to say on our own tile, if anything. */
export function selfVideoFact(state: VideoLimits): VideoFact | undefined {
  if (state.audioOnly) return 'audioOnly';
  // With our camera off there is nothing to hold back: "camera off" is what is true then.
  if (state.sendingHeldBack && !state.cameraOff) return 'sendingHeldBack';
  return undefined;
}

/**
 * Whether the fact means no picture goes out or comes in: the tile then shows
 * the notice where the video was (a paused video would freeze on its last
 * frame, which must not pass for a live one), and does not say "camera off"
 * besides. A lowered picture is still live.
 */
export function hidesVideo(fact: VideoFact | undefined): boolean {
  return fact !== undefined && fact !== 'reduced';
}
