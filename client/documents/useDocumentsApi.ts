import type { ConsultCredentials } from '../api/consultCredentials';
import { useConsultApi } from '../api/useConsultApi';
import { DocumentsApi } from './documentsApi';

export function useDocumentsApi(consultId: string | undefined, credentials: ConsultCredentials): DocumentsApi | undefined {
  return useConsultApi(DocumentsApi, consultId, credentials);
}
