import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { initialDocumentView, type Annotation, type DocumentInfo, type PresentationState } from '../../shared/documents';
import type { DocumentsApi } from './documentsApi';
import { SharedDocument } from './DocumentViewer';
import { privateViewerControls, privateViewerId } from './viewerControls';

/**
 * One document looked at alone, outside a call (the doctor reviewing records,
 * a patient checking what they sent): the same viewer as in the call, with
 * paging, zoom, DICOM series, slices and windowing; nothing is sent to anyone,
 * and notes drawn here stay on this page.
 */
export function PrivateDocumentViewer({ api, document, onClose }: { api: DocumentsApi; document: DocumentInfo; onClose: () => void }) {
  const { t } = useTranslation();
  const [view, setView] = useState(initialDocumentView);
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  const controls = useMemo(() => privateViewerControls(setView, setAnnotations), []);
  const presentation: PresentationState = { presenterId: privateViewerId, presenterName: '', document, view, pointer: null, annotations };
  return (
    <section className="document-viewer panel private-viewer" aria-label={t('documents.viewingAlone', { document: document.name })} data-presenting>
      <header className="viewer-header">
        <h3 dir="auto">{document.name}</h3>
        <button type="button" onClick={onClose}>
          {t('documents.closeViewer')}
        </button>
      </header>
      <SharedDocument key={document.id} controls={controls} presentation={presentation} document={document} presenting isDoctor api={api} />
    </section>
  );
}
