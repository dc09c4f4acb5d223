// Browsers may refuse to start audio without a user gesture (autoplay
// policy; Safari on iOS above all). Remote audio elements register here so a
// single "turn on sound" click can start them all.
type Listener = (blocked: boolean) => void;

const elements = new Set<HTMLAudioElement>();
const listeners = new Set<Listener>();
let blocked = false;

function setBlocked(value: boolean): void {
  if (blocked === value) return;
  blocked = value;
  for (const listener of listeners) listener(blocked);
}

export function playRemoteAudio(element: HTMLAudioElement): () => void {
  elements.add(element);
  element.play().catch(() => setBlocked(true));
  return () => elements.delete(element);
}

export function resumeAllAudio(): void {
  setBlocked(false);
  for (const element of elements) element.play().catch(() => setBlocked(true));
}

export function subscribeAudioBlocked(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isAudioBlocked(): boolean {
  return blocked;
}
