// The call's icons, drawn here as inline SVG: nothing fetched from elsewhere,
// no icon font (which a screen reader may read out as letters). Each is
// decoration beside a visible label, so hidden from assistive technology.
import type { ReactNode } from 'react';

export type IconName =
  | 'microphone'
  | 'microphone-off'
  | 'camera'
  | 'camera-off'
  | 'chat'
  | 'documents'
  | 'people'
  | 'settings'
  | 'leave'
  | 'end'
  | 'admit'
  | 'close'
  | 'video-paused'
  | 'audio-only'
  | 'video-reduced';

const paths: Record<IconName, ReactNode> = {
  microphone: (
    <>
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" />
    </>
  ),
  'microphone-off': (
    <>
      <path d="M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5" />
      <path d="M5.5 11a6.5 6.5 0 0 0 10.4 5.2M18.5 11a6.5 6.5 0 0 1-.6 2.7M12 17.5V21M8.5 21h7M4 4l16 16" />
    </>
  ),
  camera: (
    <>
      <rect x="3" y="6.5" width="12.5" height="11" rx="2" />
      <path d="M15.5 10.5 21 7.5v9l-5.5-3z" />
    </>
  ),
  'camera-off': (
    <>
      <path d="M8 6.5h5.5a2 2 0 0 1 2 2v3.5M15.5 15.5a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-7a2 2 0 0 1 1.5-1.9" />
      <path d="M15.5 10.5 21 7.5v9l-3.5-1.9M3 3l18 18" />
    </>
  ),
  chat: <path d="M4 5.5h16v10H10l-4.5 4v-4H4z" />,
  documents: (
    <>
      <path d="M6 3h8l4 4v14H6z" />
      <path d="M14 3v4h4M9 12h6M9 16h6" />
    </>
  ),
  people: (
    <>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20a6.5 6.5 0 0 1 13 0" />
      <path d="M15.5 4.8a3.5 3.5 0 0 1 0 6.4M18 14.2a6.5 6.5 0 0 1 3.5 5.8" />
    </>
  ),
  settings: (
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1" />
    </>
  ),
  leave: (
    <>
      <path d="M10 4H5v16h5" />
      <path d="M14 8l4 4-4 4M18 12H9" />
    </>
  ),
  end: (
    <>
      <circle cx="12" cy="12" r="9" />
      <rect x="8.5" y="8.5" width="7" height="7" rx="1" />
    </>
  ),
  admit: (
    <>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20a6.5 6.5 0 0 1 13 0M19 8v6M16 11h6" />
    </>
  ),
  close: <path d="M6 6l12 12M18 6 6 18" />,
  // A camera with a pause sign in it: video held back, not turned off.
  'video-paused': (
    <>
      <rect x="3" y="6.5" width="12.5" height="11" rx="2" />
      <path d="M7.5 10v4M11 10v4M15.5 10.5 21 7.5v9l-5.5-3z" />
    </>
  ),
  // Headphones: sound only.
  'audio-only': (
    <>
      <path d="M4 15.5V12a8 8 0 0 1 16 0v3.5" />
      <rect x="3" y="14" width="4.5" height="6.5" rx="1.5" />
      <rect x="16.5" y="14" width="4.5" height="6.5" rx="1.5" />
    </>
  ),
  // An arrow down: a lower picture.
  'video-reduced': <path d="M12 4.5v14M6 12.5l6 6 6-6" />,
};

/** Icons that point along the reading direction: mirrored in right-to-left layouts. */
const directional = new Set<IconName>(['leave', 'chat']);

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      className={directional.has(name) ? 'icon icon-directional' : 'icon'}
      viewBox="0 0 24 24"
      width="24"
      height="24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name]}
    </svg>
  );
}
