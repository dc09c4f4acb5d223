import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultDetails, CreatedInviteLink, InviteRole } from '../../shared/api';
import { CopyableLink } from '../accounts/CopyableLink';
import { FormError } from '../accounts/formParts';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf } from '../api/requestFailure';

/** A consult's invite links: create one per role (shown once, to copy), see and revoke them. */
export function ConsultLinks({ consultId }: { consultId: string }) {
  const { t, i18n } = useTranslation();
  const [details, setDetails] = useState<ConsultDetails>();
  const [fresh, setFresh] = useState<{ role: InviteRole; url: string }>();
  const [error, setError] = useState<string>();
  const [copiedLinkId, setCopiedLinkId] = useState<string>();

  const load = useCallback(() => {
    apiRequest<ConsultDetails>('GET', `/consults/${consultId}`)
      .then(setDetails)
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  }, [consultId]);
  useEffect(load, [load]);

  const create = (role: InviteRole) => {
    setError(undefined);
    apiRequest<CreatedInviteLink>('POST', `/consults/${consultId}/links`, { role })
      .then((created) => {
        setFresh({ role, url: `${window.location.origin}/join#${created.token}` });
        load();
      })
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  };

  /** Copies an existing link again: the server signs a fresh token for the same link. */
  const copyAgain = (linkId: string) => {
    setError(undefined);
    apiRequest<CreatedInviteLink>('POST', `/consults/${consultId}/links/${linkId}/token`)
      .then((again) => navigator.clipboard.writeText(`${window.location.origin}/join#${again.token}`))
      .then(() => setCopiedLinkId(linkId))
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  };

  const revoke = (linkId: string) => {
    apiRequest('DELETE', `/consults/${consultId}/links/${linkId}`)
      .then(load)
      .catch((failure: unknown) => setError(failureCodeOf(failure)));
  };

  const formatDate = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const roles: InviteRole[] = details?.interpretation ? ['patient', 'interpreter'] : ['patient'];

  return (
    <div className="consult-links">
      <div className="button-row">
        {roles.map((role) => (
          <button key={role} type="button" onClick={() => create(role)} disabled={details?.status === 'past'}>
            {t('consults.createLink', { role: t(`roleInSentence.${role}`) })}
          </button>
        ))}
      </div>
      {fresh && (
        <CopyableLink url={fresh.url} label={t('consults.freshLinkLabel', { role: t(`roleInSentence.${fresh.role}`) })} note={t('consults.freshLinkNote')} />
      )}
      {details && details.links.length > 0 && (
        <ul className="link-list">
          {details.links.map((link) => (
            <li key={link.id}>
              <span>
                {t(`role.${link.role}`)} ·{' '}
                {link.revokedAt
                  ? t('consults.linkRevoked', { date: formatDate(link.revokedAt) })
                  : t('consults.linkExpires', { date: formatDate(link.expiresAt) })}
              </span>
              {!link.revokedAt && (
                <span className="button-row">
                  <button type="button" onClick={() => copyAgain(link.id)} aria-label={t('consults.copyNamed', { role: t(`roleInSentence.${link.role}`) })}>
                    {t('common.copy')}
                  </button>
                  <button type="button" onClick={() => revoke(link.id)} aria-label={t('consults.revokeNamed', { role: t(`roleInSentence.${link.role}`) })}>
                    {t('consults.revoke')}
                  </button>
                </span>
              )}
              {copiedLinkId === link.id && (
                <span role="status" className="copy-status">
                  {t('common.copied')}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError code={error} />
    </div>
  );
}
