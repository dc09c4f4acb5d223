import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentInfo } from '../../shared/documents';
import { missingForRelease } from '../../shared/opinionRules';
import type { DoctorOpinionView } from '../../shared/opinion';
import type { ConsultCredentials } from '../api/consultCredentials';
import { useConsultApi } from '../api/useConsultApi';
import { languageName } from '../consults/languages';
import { DocumentsApi } from '../documents/documentsApi';
import { SaveStatusLine } from '../review/SaveStatusLine';
import { OpinionApi } from './opinionApi';
import { OpinionFields } from './OpinionFields';
import { OpinionVersionView } from './OpinionVersionView';
import { ReleasePanel } from './ReleasePanel';
import { useOpinionDraft } from './useOpinionDraft';

/** The doctor's cookie is their credential. */
const doctorCredentials: ConsultCredentials = {};

/**
 * The doctor writes the written opinion (saved as they type), sees where its
 * translation stands, signs and releases it, and sees what was released.
 */
export function OpinionEditor({ consultId, onReleased }: { consultId: string; onReleased?: () => void }) {
  const { t } = useTranslation();
  const api = useConsultApi(OpinionApi, consultId, doctorCredentials);
  const documentsApi = useConsultApi(DocumentsApi, consultId, doctorCredentials);
  const editor = useOpinionDraft(api);
  const [documents, setDocuments] = useState<DocumentInfo[]>();
  const view = editor.view;

  useEffect(() => {
    documentsApi?.list().then(
      (list) => setDocuments(list.documents),
      () => setDocuments([]),
    );
  }, [documentsApi]);

  if (!api || !view || !editor.draft) return <SaveStatusLine status={editor.status} merged={false} />;
  return (
    <section className="opinion-editor" aria-label={t('opinionEditor.title')}>
      <p>{t('opinionEditor.intro')}</p>
      <SaveStatusLine status={editor.status} merged={editor.merged} />
      <OpinionFields content={editor.draft} documents={documents} change={editor.change} />
      <TranslationState view={view} />
      <ReleasePanel
        view={view}
        missing={missingForRelease(editor.draft)}
        onRelease={async (request) => {
          const latest = await editor.flush();
          editor.adopt(await api.release({ ...request, draftRevision: latest?.draft.revision ?? 0 }));
          onReleased?.();
        }}
      />
      {view.versions.length > 0 && (
        <details className="opinion-versions">
          <summary>{t('opinionEditor.versionsTitle')}</summary>
          {view.versions.map((version) => (
            <OpinionVersionView key={version.version} version={version} translated={false} />
          ))}
        </details>
      )}
    </section>
  );
}

function TranslationState({ view }: { view: DoctorOpinionView }) {
  const { t, i18n } = useTranslation();
  const language = languageName(view.patientLanguage, i18n.language);
  if (!view.translationNeeded) return <p className="field-hint">{t('opinionEditor.translation.notNeeded')}</p>;
  const translation = view.translation;
  if (!translation) return <p className="opinion-translation-state">{t('opinionEditor.translation.waiting', { language })}</p>;
  return (
    <p className={`opinion-translation-state${translation.current ? '' : ' save-merged'}`}>
      {t(translation.current ? 'opinionEditor.translation.current' : 'opinionEditor.translation.outdated', { language, name: translation.translatorName })}
    </p>
  );
}
