import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpinionVersionView as Version } from '../../shared/opinion';
import type { ConsultCredentials } from '../api/consultCredentials';
import { useConsultApi } from '../api/useConsultApi';
import { languageName } from '../consults/languages';
import { OpinionApi } from './opinionApi';
import { OpinionVersionView } from './OpinionVersionView';

/**
 * The patient reads the specialist's written opinion on their link: the
 * current version in their language (the interpreter's translation, where
 * there is one), the specialist's original beside it, a PDF to take to their
 * own doctor, and the earlier versions with what changed. Nothing shows
 * until the specialist released something.
 */
export function OpinionReader({ consultId, credentials }: { consultId: string; credentials: ConsultCredentials }) {
  const { t, i18n } = useTranslation();
  const api = useConsultApi(OpinionApi, consultId, credentials);
  const [view, setView] = useState<{ versions: Version[]; doctorLanguage: string | null }>();
  const [failed, setFailed] = useState(false);
  const [downloadFailed, setDownloadFailed] = useState(false);

  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    api.load().then(
      (view) => {
        if (!cancelled && view.role === 'patient') setView(view);
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  if (failed) return <p className="form-error">{t('opinionReader.loadFailed')}</p>;
  const [current, ...older] = view?.versions ?? [];
  if (!api || !current) return null;
  const download = (version: number) => {
    setDownloadFailed(false);
    api.downloadPdf(version, `second-opinion-v${version}.pdf`).catch(() => setDownloadFailed(true));
  };
  return (
    <section className="opinion-reader panel" aria-labelledby="opinion-reader-title">
      <h2 id="opinion-reader-title">{t('opinionReader.title')}</h2>
      <p className="field-hint">{t('opinionReader.current')}</p>
      <button type="button" className="primary" onClick={() => download(current.version)}>
        {t('opinionReader.download')}
      </button>
      {downloadFailed && (
        <p className="form-error" role="alert">
          {t('opinionReader.downloadFailed')}
        </p>
      )}
      <OpinionVersionView version={current} translated />
      {current.translation && (
        <details className="opinion-original">
          <summary>{t('opinionReader.showOriginal', { language: languageName(view?.doctorLanguage ?? 'en', i18n.language) })}</summary>
          <OpinionVersionView version={current} translated={false} />
        </details>
      )}
      {older.length > 0 && (
        <details className="opinion-older">
          <summary>{t('opinionReader.olderVersions')}</summary>
          {older.map((version, index) => (
            <div key={version.version}>
              <p className="field-hint">{t('opinionReader.superseded', { version: (older[index - 1] ?? current).version })}</p>
              <OpinionVersionView version={version} translated />
              <button type="button" onClick={() => download(version.version)}>
                {t('opinionReader.download')}
              </button>
            </div>
          ))}
        </details>
      )}
    </section>
  );
}
