import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary, PageFailed } from './components/ErrorBoundary';
import { prepareFirstLanguage } from './i18n';
import './styles.css';

function render(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html lacks #root');
  createRoot(container).render(
    <StrictMode>
      <ErrorBoundary fallback={<PageFailed />}>
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}

// A person whose language is not English gets its texts first (a small chunk), so the first screen is already theirs.
void prepareFirstLanguage().then(render);
