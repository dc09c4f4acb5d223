import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResolvedInviteCode } from '../../shared/api';
import { apiRequest } from '../api/apiClient';
import { failureCodeOf } from '../api/requestFailure';
import { GuestJoinPage } from './GuestJoinPage';

/**
 * /j#<code>: the short link sent by SMS or a messenger. The code is exchanged
 * for the link's signed token, the address becomes /join#<token> (a reload
 * then needs no second exchange), and the join page carries on as if the
 * long link had been opened.
 */
export function ShortLinkPage({ code }: { code: string | undefined }) {
  const { t } = useTranslation();
  const [token, setToken] = useState<string>();
  const [failure, setFailure] = useState<string | undefined>(code ? undefined : 'link-invalid');

  useEffect(() => {
    if (!code) return;
    let current = true;
    apiRequest<ResolvedInviteCode>('POST', '/invite/resolve', { code })
      .then(({ token: resolved }) => {
        if (!current) return;
        window.history.replaceState(null, '', `/join#${resolved}`);
        setToken(resolved);
      })
      .catch((error: unknown) => current && setFailure(failureCodeOf(error)));
    return () => {
      current = false;
    };
  }, [code]);

  if (token) return <GuestJoinPage inviteToken={token} />;
  if (failure) {
    return (
      <main className="notice">
        <h1>{t('link.invalidTitle')}</h1>
        <p role="alert">{t(`failure.${failure}`, { defaultValue: t('failure.generic') })}</p>
      </main>
    );
  }
  return (
    <main className="notice" aria-busy="true">
      <p role="status">{t('link.opening')}</p>
    </main>
  );
}
