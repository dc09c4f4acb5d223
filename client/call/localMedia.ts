// Camera and microphone access. A consult goes ahead even when one or both
// are missing or refused: the person can still see, hear and be helped.

export type LocalMediaProblem = 'permission-denied' | 'no-camera' | 'no-microphone' | 'no-devices' | 'unavailable';

const videoConstraints: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const audioConstraints: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export interface LocalMedia {
  stream: MediaStream;
  problem: LocalMediaProblem | undefined;
}

export async function acquireLocalMedia(): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: new MediaStream(), problem: 'unavailable' };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: audioConstraints, video: videoConstraints });
    return { stream, problem: undefined };
  } catch (error) {
    if (errorName(error) === 'NotAllowedError') return { stream: new MediaStream(), problem: 'permission-denied' };
  }
  // One of the two is missing or busy: take whichever works.
  const audio = await tryGet({ audio: audioConstraints });
  const video = await tryGet({ video: videoConstraints });
  const stream = new MediaStream([...(audio?.getTracks() ?? []), ...(video?.getTracks() ?? [])]);
  const problem: LocalMediaProblem | undefined =
    !audio && !video ? 'no-devices' : !audio ? 'no-microphone' : !video ? 'no-camera' : undefined;
  return { stream, problem };
}

export async function acquireCamera(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('no camera track');
  return track;
}

async function tryGet(constraints: MediaStreamConstraints): Promise<MediaStream | undefined> {
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch {
    return undefined;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof DOMException ? error.name : undefined;
}
