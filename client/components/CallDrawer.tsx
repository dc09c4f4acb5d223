import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './icons';

/** What opens beside (wide screens) or over (phones) the video, one at a time. */
export type DrawerName = 'chat' | 'documents' | 'people' | 'settings';

export interface Drawers {
  open: DrawerName | null;
  toggle: (name: DrawerName) => void;
  /** Closes the open drawer and gives the focus back to the button that opened it. */
  close: () => void;
  /** For the control bar: where the focus returns when a drawer closes. */
  buttonRef: (name: DrawerName) => (element: HTMLButtonElement | null) => void;
  /** The element id of each drawer, for aria-controls. */
  idOf: (name: DrawerName) => string;
}

export function useDrawers(): Drawers {
  const [open, setOpen] = useState<DrawerName | null>(null);
  const buttons = useRef(new Map<DrawerName, HTMLButtonElement>());
  const prefix = useId();

  const close = useCallback(() => {
    // The toggle stays on the page, so it can take the focus at once.
    if (open) buttons.current.get(open)?.focus();
    setOpen(null);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      // A dialog answers its own Escape; so does anything that already used the key.
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('dialog')) return;
      event.preventDefault();
      close();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open, close]);

  const toggle = useCallback((name: DrawerName) => setOpen((current) => (current === name ? null : name)), []);
  const buttonRef = useCallback(
    (name: DrawerName) => (element: HTMLButtonElement | null) => {
      if (element) buttons.current.set(name, element);
      else buttons.current.delete(name);
    },
    [],
  );
  const idOf = useCallback((name: DrawerName) => `${prefix}-${name}`, [prefix]);
  return { open, toggle, close, buttonRef, idOf };
}

/**
 * One drawer. Closed drawers stay mounted (hidden): a half-written message,
 * an upload in progress and the chat's place are kept while the video has
 * the screen.
 */
export function CallDrawer({ name, label, drawers, children }: { name: DrawerName; label: string; drawers: Drawers; children: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  const isOpen = drawers.open === name;

  useEffect(() => {
    // Opened from its button: the focus follows, so a keyboard or screen-reader user lands in it.
    if (isOpen) ref.current?.focus();
  }, [isOpen]);

  return (
    <section ref={ref} id={drawers.idOf(name)} className={`call-drawer drawer-${name}`} aria-label={label} tabIndex={-1} hidden={!isOpen}>
      <button type="button" className="drawer-close" aria-label={t('callScreen.close', { panel: label })} onClick={drawers.close}>
        <Icon name="close" />
      </button>
      {children}
    </section>
  );
}
