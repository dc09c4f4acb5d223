import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { opinionTextMaxLength, translatedParts, type TranslatedPart } from '../../shared/opinion';
import { withoutForbiddenCharacters } from '../../shared/plainText';
import type { ConsultCredentials } from '../api/consultCredentials';
import { useConsultApi } from '../api/useConsultApi';
import { languageName } from '../consults/languages';
import { SaveStatusLine } from '../review/SaveStatusLine';
import { OpinionApi } from './opinionApi';
import { useOpinionTranslation } from './useOpinionDraft';

const partLabels: Record<TranslatedPart, string> = {
  patientExplanation: 'opinion.patientExplanation',
  specialistDiagnosis: 'opinion.specialistDiagnosis',
  treatmentRecommendation: 'opinion.treatmentRecommendation',
  furtherTests: 'opinion.furtherTests',
};

/**
 * The interpreter translates the parts of the written opinion the patient
 * reads, beside the specialist's words, saved as they type. They see only
 * these parts. `signedAs`: their name (in the call, or as typed on the join page).
 */
export function OpinionTranslator({ consultId, credentials, signedAs }: { consultId: string; credentials: ConsultCredentials; signedAs: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const api = useConsultApi(OpinionApi, consultId, credentials);
  const name = signedAs.trim();
  const editor = useOpinionTranslation(api, name);
  const view = editor.view;
  if (!view?.source) return null;
  const source = view.source.parts;
  const written = translatedParts.filter((part) => source[part].trim() !== '');
  return (
    <details className="intake panel opinion-translator" open>
      <summary>
        <span className="intake-title">{t('opinionTranslator.title')}</span>
      </summary>
      <p>{t('opinionTranslator.intro', { language: languageName(view.patientLanguage, i18n.language) })}</p>
      {name === '' && <p className="field-hint">{t('intake.translatorName')}</p>}
      <SaveStatusLine status={editor.status} merged={editor.merged} />
      {view.translation && !view.translation.current && <p className="save-merged">{t('opinionTranslator.outdated')}</p>}
      {written.map((part) => (
        <div className="field intake-translate-field" key={part}>
          <p className="intake-original-label">{t(partLabels[part])}</p>
          <p dir="auto" className="intake-original">
            {source[part]}
          </p>
          <label htmlFor={`${id}-${part}`}>{t('opinionTranslator.part', { part: t(partLabels[part]) })}</label>
          <textarea
            id={`${id}-${part}`}
            lang={view.patientLanguage}
            dir="auto"
            rows={4}
            maxLength={opinionTextMaxLength}
            value={editor.draft?.[part] ?? ''}
            readOnly={name === '' || editor.draft === undefined}
            onChange={(event) => editor.change({ [part]: withoutForbiddenCharacters(event.target.value, true) })}
          />
        </div>
      ))}
    </details>
  );
}
