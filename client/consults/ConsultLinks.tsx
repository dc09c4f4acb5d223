import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultDetails, ConsultSummary, CreatedInviteLink, InviteRole } from '../../shared/api';
import { FormError } from '../accounts/formParts';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf } from '../api/requestFailure';
import { InviteLinkItem } from './InviteLinkItem';

/**
 * A consult's invite links: one per person, as a short link to copy, e-mail
 * or paste into a message in their language, and to withdraw. Withdrawn and
 * expired links leave the list; only their number is kept in view.
 */
export function ConsultLinks({ consult, doctorName }: { consult: ConsultSummary; doctorName: string }) {
  const { t } = useTranslation();
  const [details, setDetails] = useState<ConsultDetails>();
  const [freshLinkId, setFreshLinkId] = useState<string>();
  const [error, setError] = useState<string>();

  const load = useCallback(() => {
    apiRequest<ConsultDetails>('GET', `/consults/${consult.id}`)
      .then(setDetails)
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  }, [consult.id]);
  useEffect(load, [load]);

  const create = (role: InviteRole) => {
    setError(undefined);
    apiRequest<CreatedInviteLink>('POST', `/consults/${consult.id}/links`, { role })
      .then((created) => {
        setFreshLinkId(created.link.id);
        load();
      })
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  };

  const withdraw = (linkId: string) => {
    setError(undefined);
    apiRequest('DELETE', `/consults/${consult.id}/links/${linkId}`)
      .then(load)
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  };

  const roles: InviteRole[] = consult.interpretation ? ['patient', 'interpreter'] : ['patient'];
  const usable = details?.links.filter((link) => link.code !== null) ?? [];
  const unusable = (details?.links.length ?? 0) - usable.length;

  return (
    <div className="consult-links">
      <div className="button-row">
        {roles.map((role) => (
          <button key={role} type="button" onClick={() => create(role)} disabled={consult.status === 'past'}>
            {t('consults.createLink', { role: t(`roleInSentence.${role}`) })}
          </button>
        ))}
      </div>
      {details && usable.length === 0 && <p>{t('consults.noLinks')}</p>}
      {usable.length > 0 && (
        <ul className="link-list">
          {usable.map((link) => (
            <InviteLinkItem key={link.id} consult={consult} link={link} doctorName={doctorName} fresh={link.id === freshLinkId} onWithdraw={() => withdraw(link.id)} />
          ))}
        </ul>
      )}
      {unusable > 0 && <p className="field-hint">{t('consults.linksGone', { count: unusable })}</p>}
      <FormError code={error} />
    </div>
  );
}
