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

/** What the doctor opened under a consult. */
type Panel = 'links' | 'case' | 'opinion' | 'documents';

interface ConsultListProps {
  consults: ConsultSummary[];
  doctorName: string;
  /** The doctor changed where a consult stands (started the review, released the opinion). */
  onChanged: () => void;
}

/** The doctor's consults, live first, then upcoming, then past. */
export function ConsultList({ consults, doctorName, onChanged }: ConsultListProps) {
  const { t } = useTranslation();
  // Kept here, not in each item: a consult that moves to another group (a records review once
  // answered is past) keeps what the doctor had open.
  const [openPanels, setOpenPanels] = useState<Record<string, Panel[]>>({});
  const toggle = (consultId: string, panel: Panel) =>
    setOpenPanels((current) => {
      const open = current[consultId] ?? [];
      return { ...current, [consultId]: open.includes(panel) ? open.filter((other) => other !== panel) : [...open, panel] };
    });
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
                  <ConsultItem
                    key={consult.id}
                    consult={consult}
                    doctorName={doctorName}
                    onChanged={onChanged}
                    open={openPanels[consult.id] ?? []}
                    toggle={(panel) => toggle(consult.id, panel)}
                  />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}

interface ConsultItemProps extends Omit<ConsultListProps, 'consults'> {
  consult: ConsultSummary;
  open: Panel[];
  toggle: (panel: Panel) => void;
}

function ConsultItem({ consult, doctorName, onChanged, open, toggle }: ConsultItemProps) {
  const { t, i18n } = useTranslation();
  const shows = (panel: Panel) => open.includes(panel);
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
            <button type="button" aria-expanded={shows('links')} onClick={() => toggle('links')}>
              {t('consults.inviteLinks')}
            </button>
          </>
        )}
        <button type="button" aria-expanded={shows('case')} onClick={() => toggle('case')}>
          {t('consults.case')}
        </button>
        <button type="button" aria-expanded={shows('opinion')} onClick={() => toggle('opinion')}>
          {t('consults.opinion')}
        </button>
        <button type="button" aria-expanded={shows('documents')} onClick={() => toggle('documents')}>
          {t('consults.documents')}
        </button>
      </div>
      {shows('links') && <ConsultLinks consult={consult} doctorName={doctorName} />}
      {shows('case') && <CaseSection consultId={consult.id} credentials={doctorCredentials} role="doctor" initiallyOpen onReviewStarted={onChanged} />}
      {shows('opinion') && <OpinionEditor consultId={consult.id} onReleased={onChanged} />}
      {shows('documents') && documentsApi && (
        <DocumentsPanel api={documentsApi} version={0} role="doctor" inCall={false} withInterpreter={consult.interpretation !== null} presentation={null} isSelfPresenting={false} />
      )}
    </li>
  );
}
