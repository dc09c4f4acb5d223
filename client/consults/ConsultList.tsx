import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultStatus, ConsultSummary } from '../../shared/api';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import { differsFromHere, formatDateTime, formatTimeIn, timeZoneName } from '../i18n/dateTime';
import { useDocumentsApi } from '../documents/useDocumentsApi';
import { CaseSection } from '../intake/CaseSection';
import { OpinionEditor } from '../opinion/OpinionEditor';
import { ConsultLinks } from './ConsultLinks';
import { languageName } from './languages';

/** The doctor's session cookie is their credential: nothing more to send. */
const doctorCredentials = {};

const statusOrder: ConsultStatus[] = ['live', 'upcoming', 'past'];

/** The doctor's consults, live first, then upcoming, then past. */
export function ConsultList({ consults, doctorName }: { consults: ConsultSummary[]; doctorName: string }) {
  const { t } = useTranslation();
  return (
    <>
      {statusOrder.map((status) => {
        const group = consults.filter((consult) => consult.status === status);
        if (status === 'past' && group.length === 0) return null;
        return (
          <section key={status} className="consult-group" aria-labelledby={`consults-${status}`}>
            <h3 id={`consults-${status}`}>{t(`consults.status.${status}`)}</h3>
            {group.length === 0 ? (
              <p>{t('consults.none')}</p>
            ) : (
              <ul className="consult-list">
                {(status === 'past' ? group : [...group].reverse()).map((consult) => (
                  <ConsultItem key={consult.id} consult={consult} doctorName={doctorName} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}

function ConsultItem({ consult, doctorName }: { consult: ConsultSummary; doctorName: string }) {
  const { t, i18n } = useTranslation();
  const [showLinks, setShowLinks] = useState(false);
  const [showDocuments, setShowDocuments] = useState(false);
  const [showCase, setShowCase] = useState(false);
  const [showOpinion, setShowOpinion] = useState(false);
  const documentsApi = useDocumentsApi(consult.id, doctorCredentials);
  const when = formatDateTime(consult.scheduledAt, i18n.language);
  return (
    <li className="consult-item" data-consult-id={consult.id}>
      <div>
        <strong>{consult.title}</strong>{' '}
        <span className={`consult-stage stage-${consult.stage}`}>{t(`consults.stages.${consult.stage}`)}</span>
        {consult.kind === 'records' && <div>{t('consults.kinds.records')}</div>}
        <div>{when}</div>
        {differsFromHere(consult.scheduledAt, consult.patientTimeZone) && (
          <div>
            {t('consults.patientTime', {
              time: formatTimeIn(consult.scheduledAt, i18n.language, consult.patientTimeZone),
              zone: timeZoneName(consult.patientTimeZone, i18n.language, consult.scheduledAt),
            })}
          </div>
        )}
        <div>
          {t('consults.patientLine', { name: consult.patientName, language: languageName(consult.patientLanguage, i18n.language) })}
        </div>
        {consult.interpretation && (
          <div>
            {t('consults.interpretationLine', {
              from: languageName(consult.interpretation.from, i18n.language),
              to: languageName(consult.interpretation.to, i18n.language),
            })}
          </div>
        )}
      </div>
      <div className="button-row">
        {consult.status !== 'past' && (
          <>
            {consult.kind === 'call' && (
              <a className="button primary" href={`/c/${consult.id}`}>
                {t('consults.open')}
              </a>
            )}
            <button type="button" aria-expanded={showLinks} onClick={() => setShowLinks((value) => !value)}>
              {t('consults.inviteLinks')}
            </button>
          </>
        )}
        <button type="button" aria-expanded={showCase} onClick={() => setShowCase((value) => !value)}>
          {t('consults.case')}
        </button>
        <button type="button" aria-expanded={showOpinion} onClick={() => setShowOpinion((value) => !value)}>
          {t('consults.opinion')}
        </button>
        <button type="button" aria-expanded={showDocuments} onClick={() => setShowDocuments((value) => !value)}>
          {t('consults.documents')}
        </button>
      </div>
      {showLinks && <ConsultLinks consult={consult} doctorName={doctorName} />}
      {showCase && <CaseSection consultId={consult.id} credentials={doctorCredentials} role="doctor" initiallyOpen />}
      {showOpinion && <OpinionEditor consultId={consult.id} />}
      {showDocuments && documentsApi && (
        <DocumentsPanel api={documentsApi} version={0} role="doctor" inCall={false} withInterpreter={consult.interpretation !== null} presentation={null} isSelfPresenting={false} />
      )}
    </li>
  );
}
