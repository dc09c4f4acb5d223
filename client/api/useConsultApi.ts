// One API object per consult and set of credentials, kept while they stay the
// same (what was loaded through it is tied to it).
import { useMemo } from 'react';
import type { ConsultCredentials } from './consultCredentials';

export function useConsultApi<Api>(
  Kind: new (consultId: string, credentials: ConsultCredentials) => Api,
  consultId: string | undefined,
  credentials: ConsultCredentials,
): Api | undefined {
  const { inviteToken, participant } = credentials;
  const participantId = participant?.id;
  const secret = participant?.secret;
  return useMemo(
    () =>
      consultId === undefined
        ? undefined
        : new Kind(consultId, {
            inviteToken,
            participant: participantId !== undefined && secret !== undefined ? { id: participantId, secret } : undefined,
          }),
    [Kind, consultId, inviteToken, participantId, secret],
  );
}
