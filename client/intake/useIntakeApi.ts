import type { ConsultCredentials } from '../api/consultCredentials';
import { useConsultApi } from '../api/useConsultApi';
import { IntakeApi } from './intakeApi';

export function useIntakeApi(consultId: string | undefined, credentials: ConsultCredentials): IntakeApi | undefined {
  return useConsultApi(IntakeApi, consultId, credentials);
}
