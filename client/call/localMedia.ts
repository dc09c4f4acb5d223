// Camera and microphone access. A consult goes ahead even when one or both
// are missing or refused: the person can still see, hear and be helped.

export type LocalMediaProblem = 'permission-denied' | 'no-camera' | 'no-microphone' | 'no-devices' | 'unavailable';

const videoConstraints: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const audioConstraints: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export interface LocalMedia {
  stream: MediaStream;
  problem: LocalMediaProblem | undefined;
}

/** Which camera and microphone the person picked; undefined means the browser's default. */
export interface DeviceChoice {
  cameraId?: string | undefined;
  microphoneId?: string | undefined;
}

function withDevice(constraints: MediaTrackConstraints, deviceId: string | undefined): MediaTrackConstraints {
  return deviceId ? { ...constraints, deviceId: { exact: deviceId } } : constraints;
}

export async function acquireLocalMedia(choice: DeviceChoice = {}): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: new MediaStream(), problem: 'unavailable' };
  const audio = withDevice(audioConstraints, choice.microphoneId);
  const video = withDevice(videoConstraints, choice.cameraId);
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio, video });
    return { stream, problem: undefined };
  } catch (error) {
    if (errorName(error) === 'NotAllowedError') return { stream: new MediaStream(), problem: 'permission-denied' };
  }
  // One of the two is missing or busy: take whichever works.
  const audioStream = await tryGet({ audio });
  const videoStream = await tryGet({ video });
  const stream = new MediaStream([...(audioStream?.getTracks() ?? []), ...(videoStream?.getTracks() ?? [])]);
  const problem: LocalMediaProblem | undefined =
    !audioStream && !videoStream ? 'no-devices' : !audioStream ? 'no-microphone' : !videoStream ? 'no-camera' : undefined;
  return { stream, problem };
}

export async function acquireCamera(cameraId?: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: withDevice(videoConstraints, cameraId) });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('no camera track');
  return track;
}

export async function acquireMicrophone(microphoneId?: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: withDevice(audioConstraints, microphoneId) });
  const track = stream.getAudioTracks()[0];
  if (!track) throw new Error('no microphone track');
  return track;
}

/** Cameras and microphones, once permission was given (before that, labels are empty). */
export async function listDevices(): Promise<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }> {
  const devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  return {
    cameras: devices.filter((device) => device.kind === 'videoinput' && device.deviceId),
    microphones: devices.filter((device) => device.kind === 'audioinput' && device.deviceId),
  };
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
