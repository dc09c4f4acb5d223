import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentListResponse } from '../../shared/documents';
import { failureCodeOf } from '../api/requestFailure';
import type { DocumentsApi, UploadHandle } from './documentsApi';
import { formatBytes } from './formatBytes';

type UploadStatus =
  | { state: 'sending'; name: string; fraction: number }
  | { state: 'done'; name: string; skippedFiles: number }
  | { state: 'failed'; name: string; code: string; detail?: string };

/**
 * Choosing files and sending them, one after another, with a progress bar
 * for each and a clear message when one is refused. Files larger than the
 * server accepts are refused here, before anything is sent.
 */
export function UploadControl({ api, limits, onUploaded }: { api: DocumentsApi; limits: DocumentListResponse['limits'] | undefined; onUploaded: () => void }) {
  const { t, i18n } = useTranslation();
  const inputId = useId();
  const [statuses, setStatuses] = useState<UploadStatus[]>([]);
  const [busy, setBusy] = useState(false);
  const current = useRef<UploadHandle | undefined>(undefined);

  const setStatus = (index: number, status: UploadStatus) =>
    setStatuses((previous) => previous.map((existing, at) => (at === index ? status : existing)));

  const onChoose = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length === 0) return;
    setBusy(true);
    setStatuses(files.map((file) => ({ state: 'sending', name: file.name, fraction: 0 })));
    let remaining = limits?.remainingBytes ?? Infinity;
    for (const [index, file] of files.entries()) {
      if (limits && file.size > limits.maxUploadBytes) {
        setStatus(index, { state: 'failed', name: file.name, code: 'file-too-large', detail: formatBytes(limits.maxUploadBytes, i18n.language) });
        continue;
      }
      if (file.size > remaining) {
        setStatus(index, { state: 'failed', name: file.name, code: 'storage-full' });
        continue;
      }
      if (file.size === 0) {
        setStatus(index, { state: 'failed', name: file.name, code: 'empty' });
        continue;
      }
      const upload = api.upload(file, (fraction) => setStatus(index, { state: 'sending', name: file.name, fraction }));
      current.current = upload;
      try {
        const result = await upload.done;
        remaining -= file.size;
        setStatus(index, { state: 'done', name: file.name, skippedFiles: result.skippedFiles });
        onUploaded();
      } catch (error) {
        setStatus(index, { state: 'failed', name: file.name, code: failureCodeOf(error) });
      }
    }
    current.current = undefined;
    setBusy(false);
  };

  return (
    <div className="upload">
      <input id={inputId} className="visually-hidden" type="file" multiple disabled={busy} onChange={(event) => void onChoose(event)} />
      <label htmlFor={inputId} className={busy ? 'button-like disabled' : 'button-like'}>
        {t('documents.addFiles')}
      </label>
      <small className="upload-hint">
        {t('documents.acceptedTypes', { size: limits ? formatBytes(limits.maxUploadBytes, i18n.language) : '…' })}
      </small>
      {busy && (
        <button type="button" onClick={() => current.current?.cancel()}>
          {t('documents.cancelUpload')}
        </button>
      )}
      <ul className="upload-statuses" aria-live="polite">
        {statuses.map((status, index) => (
          <li key={`${status.name}-${index}`} data-upload-state={status.state}>
            {status.state === 'sending' && (
              <>
                <span>
                  {status.fraction < 1
                    ? t('documents.uploading', { name: status.name, percent: Math.round(status.fraction * 100) })
                    : // Sent: the server now checks it (and unpacks a study), which can take a moment.
                      t('documents.checking', { name: status.name })}
                </span>
                <progress value={status.fraction} max={1} aria-label={t('documents.uploadProgress', { name: status.name })} />
              </>
            )}
            {status.state === 'done' && (
              <span>
                {t('documents.uploaded', { name: status.name })}
                {status.skippedFiles > 0 && ` ${t('documents.skippedFiles', { count: status.skippedFiles })}`}
              </span>
            )}
            {status.state === 'failed' && (
              <span className="form-error" role="alert">
                {t(`documents.errors.${status.code}`, { name: status.name, size: status.detail, defaultValue: t('documents.errors.generic', { name: status.name }) })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
