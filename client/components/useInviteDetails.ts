// What the invite link says about its consult (GET /api/invite), for the
// link's page: whom the person will meet, when, and in which languages.
import { useEffect, useState } from 'react';
import type { InviteDetails } from '../../shared/api';

export function useInviteDetails(inviteToken: string | undefined): InviteDetails | undefined {
  const [details, setDetails] = useState<InviteDetails>();
  useEffect(() => {
    if (!inviteToken) return;
    let current = true;
    fetch('/api/invite', { headers: { authorization: `Bearer ${inviteToken}` } })
      .then((response) => (response.ok ? (response.json() as Promise<InviteDetails>) : undefined))
      // Without details the page still works; joining reports what is wrong with the link.
      .then((fetched) => current && setDetails(fetched))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [inviteToken]);
  return details;
}
