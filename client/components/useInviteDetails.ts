// What the invite link says about its consult (GET /api/invite), for the
// link's page: whom the person will meet, when, and in which languages.
import { useEffect, useState } from 'react';
import type { InviteDetails } from '../../shared/api';

/** A link whose details do not come in this long is shown without them, rather than loading for ever. */
const detailsTimeoutMs = 15_000;

/**
 * `settled`: the answer came, or will not (the page then works without it). Until then the page
 * cannot know which it is (a call's join page or a records page) nor in which language to speak.
 */
export function useInviteDetails(inviteToken: string | undefined): { invite: InviteDetails | undefined; settled: boolean } {
  const [answer, setAnswer] = useState<{ token: string; invite: InviteDetails | undefined }>();
  useEffect(() => {
    if (!inviteToken) return;
    let current = true;
    const settle = (invite: InviteDetails | undefined) => {
      if (current) setAnswer({ token: inviteToken, invite });
    };
    fetch('/api/invite', { headers: { authorization: `Bearer ${inviteToken}` }, signal: AbortSignal.timeout(detailsTimeoutMs) })
      .then((response) => (response.ok ? (response.json() as Promise<InviteDetails>) : undefined))
      // Without details the page still works; joining reports what is wrong with the link.
      .then(settle, () => settle(undefined));
    return () => {
      current = false;
    };
  }, [inviteToken]);
  const mine = answer?.token === inviteToken ? answer : undefined;
  return { invite: mine?.invite, settled: mine !== undefined || !inviteToken };
}
