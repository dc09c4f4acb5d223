import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  diagnosisAssessments,
  opinionTextMaxLength,
  treatmentAssessments,
  urgencies,
  type OpinionContent,
} from '../../shared/opinion';
import type { DocumentInfo } from '../../shared/documents';
import { withoutForbiddenCharacters } from '../../shared/plainText';

type TextPart = 'caseSummary' | 'specialistDiagnosis' | 'treatmentRecommendation' | 'furtherTests' | 'patientExplanation';

interface FieldsProps {
  content: OpinionContent;
  documents: DocumentInfo[] | undefined;
  change: (fields: Partial<OpinionContent>) => void;
}

/** The structured opinion as the doctor writes it, in the order a second opinion answers. */
export function OpinionFields({ content, documents, change }: FieldsProps) {
  const { t } = useTranslation();
  const text = (part: TextPart, label: string, hint?: string, rows = 3) => (
    <TextArea label={label} hint={hint} rows={rows} value={content[part]} onChange={(value) => change({ [part]: value })} />
  );
  return (
    <div className="opinion-fields">
      {text('caseSummary', t('opinion.caseSummary'), t('opinionEditor.caseSummaryHint'), 4)}
      <Choice
        legend={t('opinionEditor.diagnosisQuestion')}
        options={diagnosisAssessments.map((value) => ({ value, label: t(`opinion.diagnosisAssessment.${value}`) }))}
        value={content.diagnosisAssessment}
        onChange={(value) => change({ diagnosisAssessment: value })}
      />
      {text('specialistDiagnosis', t('opinion.specialistDiagnosis'), t('opinionEditor.specialistDiagnosisHint'))}
      <Choice
        legend={t('opinionEditor.treatmentQuestion')}
        options={treatmentAssessments.map((value) => ({ value, label: t(`opinion.treatmentAssessment.${value}`) }))}
        value={content.treatmentAssessment}
        onChange={(value) => change({ treatmentAssessment: value })}
      />
      {text('treatmentRecommendation', t('opinion.treatmentRecommendation'), t('opinionEditor.treatmentRecommendationHint'))}
      {text('furtherTests', t('opinion.furtherTests'))}
      <Choice
        legend={t('opinionEditor.urgencyQuestion')}
        options={urgencies.map((value) => ({ value, label: t(`opinion.urgency.${value}`) }))}
        value={content.urgency}
        onChange={(value) => change({ urgency: value })}
      />
      {text('patientExplanation', t('opinion.patientExplanation'), t('opinionEditor.patientExplanationHint'), 6)}
      <fieldset className="opinion-documents">
        <legend>{t('opinion.reviewedDocuments')}</legend>
        <p className="field-hint">{documents?.length === 0 ? t('opinionEditor.noDocuments') : t('opinionEditor.reviewedDocumentsHint')}</p>
        {documents?.map((document) => (
          <label key={document.id} className="checkbox">
            <input
              type="checkbox"
              checked={content.reviewedDocumentIds.includes(document.id)}
              onChange={(event) =>
                change({
                  reviewedDocumentIds: event.target.checked
                    ? [...content.reviewedDocumentIds, document.id]
                    : content.reviewedDocumentIds.filter((id) => id !== document.id),
                })
              }
            />
            <bdi>{document.name}</bdi>
          </label>
        ))}
      </fieldset>
    </div>
  );
}

function TextArea({ label, hint, rows, value, onChange }: { label: string; hint?: string | undefined; rows: number; value: string; onChange: (value: string) => void }): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        dir="auto"
        maxLength={opinionTextMaxLength}
        value={value}
        onChange={(event) => onChange(withoutForbiddenCharacters(event.target.value, true))}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint && (
        <small id={`${id}-hint`} className="field-hint">
          {hint}
        </small>
      )}
    </div>
  );
}

function Choice<Value extends string>({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: { value: Value; label: string }[];
  value: Value | null;
  onChange: (value: Value) => void;
}): ReactNode {
  const name = useId();
  return (
    <fieldset className="opinion-choice">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="radio">
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}
