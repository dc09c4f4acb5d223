import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary, PageFailed } from './components/ErrorBoundary';
import { applyDocumentLanguage } from './i18n';
import './styles.css';

applyDocumentLanguage();
const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks #root');
createRoot(container).render(
  <StrictMode>
    <ErrorBoundary fallback={<PageFailed />}>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
