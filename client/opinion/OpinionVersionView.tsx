import { useTranslation } from 'react-i18next';
import type { OpinionVersionView as Version } from '../../shared/opinion';
import { formatDateTime } from '../i18n/dateTime';
import { languageName } from '../consults/languages';

/** The hash as people can compare it by eye: the first 16 hex digits in groups of four. */
export function shortFingerprint(hash: string): string {
  return hash.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * One released version as a reader sees it. `translated`: show the interpreter's translation of
 * the plain-language parts (the patient's reading); otherwise the specialist's own words.
 */
export function OpinionVersionView({ version, translated }: { version: Version; translated: boolean }) {
  const { t, i18n } = useTranslation();
  const { content } = version;
  const parts = translated && version.translation ? version.translation.parts : content;
  const textLang = translated && version.translation ? version.translation.language : undefined;
  const text = (value: string) =>
    value.trim() === '' ? (
      <p className="intake-unanswered">{t('opinion.notWritten')}</p>
    ) : (
      <p className="opinion-text" dir="auto" lang={textLang}>
        {value}
      </p>
    );
  return (
    <article className="opinion-version">
      <p className="opinion-meta">
        {t('opinion.version', { version: version.version })} · {t('opinion.signed', { name: version.signedBy, date: formatDateTime(version.releasedAt, i18n.language) })}
      </p>
      {version.changeNote && <p className="opinion-change">{t('opinion.changeNote', { previous: version.version - 1, note: version.changeNote })}</p>}
      <h4>{t('opinion.patientExplanation')}</h4>
      {text(parts.patientExplanation)}
      <h4>{t('opinion.diagnosisTitle')}</h4>
      {content.diagnosisAssessment && (
        <p>
          <strong>{t(`opinion.diagnosisAssessment.${content.diagnosisAssessment}`)}.</strong> {t(`opinion.diagnosisMeaning.${content.diagnosisAssessment}`)}
        </p>
      )}
      {parts.specialistDiagnosis.trim() !== '' && (
        <>
          <h5>{t('opinion.specialistDiagnosis')}</h5>
          {text(parts.specialistDiagnosis)}
        </>
      )}
      <h4>{t('opinion.treatmentTitle')}</h4>
      {content.treatmentAssessment && (
        <p>
          <strong>{t(`opinion.treatmentAssessment.${content.treatmentAssessment}`)}.</strong> {t(`opinion.treatmentMeaning.${content.treatmentAssessment}`)}
        </p>
      )}
      {parts.treatmentRecommendation.trim() !== '' && (
        <>
          <h5>{t('opinion.treatmentRecommendation')}</h5>
          {text(parts.treatmentRecommendation)}
        </>
      )}
      <h4>{t('opinion.furtherTests')}</h4>
      {text(parts.furtherTests)}
      <h4>{t('opinion.urgencyTitle')}</h4>
      {content.urgency && <p className={`opinion-urgency urgency-${content.urgency}`}>{t(`opinion.urgency.${content.urgency}`)}</p>}
      {!translated && (
        <>
          <h4>{t('opinion.caseSummary')}</h4>
          {text(content.caseSummary)}
        </>
      )}
      <h4>{t('opinion.reviewedDocuments')}</h4>
      {version.reviewedDocuments.length === 0 ? (
        <p>{t('opinion.noDocuments')}</p>
      ) : (
        <ul>
          {version.reviewedDocuments.map((document) => (
            <li key={document.id} dir="auto">
              {document.name}
            </li>
          ))}
        </ul>
      )}
      {version.translation && translated && (
        <p className="field-hint">{t('opinion.translatedBy', { language: languageName(version.translation.language, i18n.language), name: version.translation.translatorName })}</p>
      )}
      {version.withoutTranslationReason && <p className="field-hint">{t('opinion.withoutTranslation', { reason: version.withoutTranslationReason })}</p>}
      <p className="field-hint opinion-fingerprint">{t('opinion.fingerprint', { hash: shortFingerprint(version.contentHash) })}</p>
    </article>
  );
}
