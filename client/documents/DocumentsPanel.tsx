import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentInfo, PresentationState } from '../../shared/documents';
import type { Role } from '../../shared/schemas';
import { failureCodeOf } from '../api/requestFailure';
import type { DocumentsApi } from './documentsApi';
import { formatBytes } from './formatBytes';
import { UploadControl } from './UploadControl';
import { useDocumentList } from './useDocumentList';
import { ErrorBoundary, SectionFailed } from '../components/ErrorBoundary';
import { lazyPart, Loading } from '../components/LazyPart';

// Fetched when the doctor first opens a document outside a call: the link pages never need it.
const PrivateDocumentViewer = lazyPart(async () => (await import('./PrivateDocumentViewer')).PrivateDocumentViewer);

/**
 * The consult's documents as this person may see them. Before being let in
 * (on the link's page and in the waiting room) that is what they uploaded
 * themselves; in the call it is everything they may see, each one ready to
 * be shown to everyone. The doctor also decides, per file, whether the
 * interpreter may see it, and outside a call (reviewing records) opens any
 * of them in the viewer alone.
 */
export function DocumentsPanel({
  api,
  version,
  role,
  inCall,
  withInterpreter,
  presentation,
  isSelfPresenting,
  onPresent,
  callAhead = true,
}: {
  api: DocumentsApi;
  /** Changes whenever the consult's documents change. */
  version: number;
  role: Role;
  inCall: boolean;
  /** The consult has an interpreter: the doctor decides per document whether they may see it. */
  withInterpreter: boolean;
  presentation: PresentationState | null;
  isSelfPresenting: boolean;
  onPresent?: (documentId: string) => Promise<void>;
  /** A call with the doctor is still to come (not a records review, not after the call): the hint says what changes in it. */
  callAhead?: boolean;
}) {
  const { t } = useTranslation();
  const { list, error, refresh } = useDocumentList(api, version);
  const [actionError, setActionError] = useState<string>();
  const [viewing, setViewing] = useState<DocumentInfo>();
  const isDoctor = role === 'doctor';
  // While someone else presents, only the doctor can take over.
  const canStartPresenting = inCall && onPresent !== undefined && (presentation === null || isSelfPresenting || isDoctor);

  const act = (action: () => Promise<unknown>) => {
    setActionError(undefined);
    action()
      .then(refresh)
      .catch((failure: unknown) => setActionError(failureCodeOf(failure)));
  };

  const documents = list?.documents ?? [];
  // Before the call, patients and interpreters see only what they uploaded themselves.
  const ownOnly = !inCall && !isDoctor;
  return (
    <section className="documents panel" aria-labelledby={`documents-heading-${api.consultId}`}>
      <h2 id={`documents-heading-${api.consultId}`}>{ownOnly ? t('documents.ownTitle') : t('documents.title', { count: documents.length })}</h2>
      {ownOnly && <p className="hint">{t(role === 'interpreter' ? 'documents.interpreterHint' : callAhead ? 'documents.ownHint' : 'documents.ownHintNoCall')}</p>}
      {error && (
        <p className="form-error" role="alert">
          {t(`documents.errors.${error}`, { defaultValue: t('documents.errors.listFailed') })}
        </p>
      )}
      {viewing && (
        <ErrorBoundary fallback={<SectionFailed />} resetKey={viewing.id}>
          <Suspense fallback={<Loading />}>
            <PrivateDocumentViewer api={api} document={viewing} onClose={() => setViewing(undefined)} />
          </Suspense>
        </ErrorBoundary>
      )}
      {documents.length > 0 && (
        <ul className="document-list">
          {documents.map((document) => (
            <DocumentRow
              key={document.id}
              document={document}
              isDoctor={isDoctor}
              withInterpreter={withInterpreter}
              presented={presentation?.document?.id === document.id}
              canPresent={canStartPresenting}
              onPresent={() => act(() => onPresent?.(document.id) ?? Promise.resolve())}
              onView={!inCall && isDoctor ? () => setViewing(document) : undefined}
              onDownload={() => act(() => api.download(document))}
              onShare={(allowed) => act(() => api.setInterpreterAllowed(document.id, allowed))}
              onRemove={() => act(() => api.remove(document.id))}
            />
          ))}
        </ul>
      )}
      {list && documents.length === 0 && <p className="hint">{t(ownOnly ? 'documents.noneOwn' : 'documents.none')}</p>}
      {actionError && (
        <p className="form-error" role="alert">
          {t(`documents.errors.${actionError}`, { defaultValue: t('documents.errors.actionFailed') })}
        </p>
      )}
      {role !== 'interpreter' && <UploadControl api={api} limits={list?.limits} onUploaded={refresh} />}
    </section>
  );
}

function DocumentRow({
  document,
  isDoctor,
  withInterpreter,
  presented,
  canPresent,
  onPresent,
  onView,
  onDownload,
  onShare,
  onRemove,
}: {
  document: DocumentInfo;
  isDoctor: boolean;
  withInterpreter: boolean;
  presented: boolean;
  canPresent: boolean;
  onPresent: () => void;
  /** Opens it in the viewer alone (outside a call); undefined where that is not offered. */
  onView: (() => void) | undefined;
  onDownload: () => void;
  onShare: (allowed: boolean) => void;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const uploaded = new Date(document.uploadedAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <li className="document-row" data-document-id={document.id}>
      <span className="document-name" dir="auto">{document.name}</span>
      <span className="document-meta">
        {t(`documents.kind.${document.kind}`)} · {formatBytes(document.sizeBytes, i18n.language)} ·{' '}
        {t('documents.uploadedBy', { name: document.uploadedBy.displayName, role: t(`role.${document.uploadedBy.role}`), date: uploaded })}
      </span>
      <span className="document-actions">
        {canPresent && !presented && (
          <button type="button" className="primary" aria-label={t('documents.presentNamed', { name: document.name })} onClick={onPresent}>
            {t('documents.present')}
          </button>
        )}
        {presented && <span className="document-presented">{t('documents.beingShown')}</span>}
        {onView && (
          <button type="button" className="primary" aria-label={t('documents.viewNamed', { name: document.name })} onClick={onView}>
            {t('documents.view')}
          </button>
        )}
        <button type="button" aria-label={t('documents.downloadNamed', { name: document.name })} onClick={onDownload}>
          {t('documents.download')}
        </button>
        {isDoctor && withInterpreter && (
          <label className="checkbox">
            <input
              type="checkbox"
              aria-label={t('documents.interpreterMaySeeNamed', { name: document.name })}
              checked={document.interpreterAllowed}
              onChange={(event) => onShare(event.target.checked)}
            />
            {t('documents.interpreterMaySee')}
          </label>
        )}
        {(isDoctor || document.mine) &&
          (confirmingRemove ? (
            <>
              <button type="button" className="danger" onClick={onRemove}>
                {t('documents.removeConfirm', { name: document.name })}
              </button>
              <button type="button" onClick={() => setConfirmingRemove(false)}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <button type="button" aria-label={t('documents.removeNamed', { name: document.name })} onClick={() => setConfirmingRemove(true)}>
              {t('documents.remove')}
            </button>
          ))}
      </span>
    </li>
  );
}
