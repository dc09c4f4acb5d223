// One DocumentsApi per consult and set of credentials, kept while they stay
// the same (loaded documents are tied to it).
import { useMemo } from 'react';
import { DocumentsApi, type DocumentCredentials } from './documentsApi';

export function useDocumentsApi(consultId: string | undefined, credentials: DocumentCredentials): DocumentsApi | undefined {
  const { inviteToken, participant } = credentials;
  const participantId = participant?.id;
  const secret = participant?.secret;
  return useMemo(
    () =>
      consultId === undefined
        ? undefined
        : new DocumentsApi(consultId, {
            inviteToken,
            participant: participantId !== undefined && secret !== undefined ? { id: participantId, secret } : undefined,
          }),
    [consultId, inviteToken, participantId, secret],
  );
}
