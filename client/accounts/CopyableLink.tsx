import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A link shown read-only with a copy button; copying is confirmed to screen readers too. */
export function CopyableLink({ url, label, note }: { url: string; label: string; note?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState<boolean>();

  const copy = () => {
    navigator.clipboard
      .writeText(url)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };

  return (
    <div className="copyable-link">
      <label htmlFor={id}>{label}</label>
      <div className="copyable-link-row">
        <input id={id} type="text" readOnly value={url} onFocus={(event) => event.target.select()} />
        <button type="button" onClick={copy}>
          {t('common.copy')}
        </button>
      </div>
      {note && <small>{note}</small>}
      <span role="status" className="copy-status">
        {copied === true ? t('common.copied') : copied === false ? t('common.copyFailed') : ''}
      </span>
    </div>
  );
}
