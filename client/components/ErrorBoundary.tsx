// A part of the page that fails to render shows a short notice instead of
// taking everything else down with it: in a call, the video and sound go on
// when, say, a document cannot be drawn.
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ErrorBoundaryProps {
  fallback: ReactNode;
  /** When this changes (another document shown, say), the part is tried again. */
  resetKey?: string | null;
  children: ReactNode;
}

interface ErrorBoundaryState {
  shownFor: string | null | undefined;
  failed: boolean;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false, shownFor: undefined };

  static getDerivedStateFromError(): Partial<ErrorBoundaryState> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: ErrorBoundaryState): Partial<ErrorBoundaryState> | null {
    if (!state.failed) return { shownFor: props.resetKey };
    return props.resetKey !== state.shownFor ? { failed: false, shownFor: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown): void {
    console.error('a part of the page failed to render', error);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** In place of one panel; the rest of the page keeps working. */
export function SectionFailed() {
  const { t } = useTranslation();
  return (
    <div className="panel">
      <p className="form-error" role="alert">
        {t('failure.sectionFailed')}
      </p>
    </div>
  );
}

/** In place of the whole page, with a way out. */
export function PageFailed() {
  const { t } = useTranslation();
  return (
    <main className="notice">
      <h1>{t('app.name')}</h1>
      <p role="alert">{t('failure.pageFailed')}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('failure.reload')}
      </button>
    </main>
  );
}
