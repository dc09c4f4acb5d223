// What the browser lacks for a video consult, if anything, and which browser
// it is (for permission instructions).

export type BrowserProblem = 'insecure-context' | 'no-webrtc' | 'no-media-devices';
export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'safari' | 'other';

export function browserProblem(): BrowserProblem | undefined {
  if (!window.isSecureContext) return 'insecure-context';
  if (typeof window.RTCPeerConnection !== 'function') return 'no-webrtc';
  if (!navigator.mediaDevices?.getUserMedia) return 'no-media-devices';
  return undefined;
}

export function browserFamily(userAgent = navigator.userAgent): BrowserFamily {
  if (/Edg\//.test(userAgent)) return 'edge';
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrome\/|Chromium\//.test(userAgent)) return 'chrome';
  if (/Safari\//.test(userAgent)) return 'safari';
  return 'other';
}
