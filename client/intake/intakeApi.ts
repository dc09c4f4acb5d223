// The patient's case over HTTP (server/http/intakeRouter.ts).
import type { IntakeView, SaveIntakeRequest, SaveIntakeTranslationRequest } from '../../shared/intake';
import { apiRequest } from '../api/apiClient';
import type { ConsultCredentials } from '../api/consultCredentials';

export class IntakeApi {
  readonly consultId: string;
  readonly #path: string;
  readonly #credentials: ConsultCredentials;

  constructor(consultId: string, credentials: ConsultCredentials) {
    this.consultId = consultId;
    this.#path = `/consults/${encodeURIComponent(consultId)}/intake`;
    this.#credentials = credentials;
  }

  load(): Promise<IntakeView> {
    return apiRequest('GET', this.#path, undefined, this.#credentials);
  }

  save(request: SaveIntakeRequest): Promise<IntakeView> {
    return apiRequest('PUT', this.#path, request, this.#credentials);
  }

  saveTranslation(request: SaveIntakeTranslationRequest): Promise<IntakeView> {
    return apiRequest('PUT', `${this.#path}/translation`, request, this.#credentials);
  }
}
