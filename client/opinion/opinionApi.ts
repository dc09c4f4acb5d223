// The written opinion over HTTP (server/http/opinionRouter.ts).
import type {
  DoctorOpinionView,
  InterpreterOpinionView,
  OpinionView,
  ReleaseOpinionRequest,
  SaveOpinionDraftRequest,
  SaveOpinionTranslationRequest,
} from '../../shared/opinion';
import { apiRequest } from '../api/apiClient';
import { credentialHeaders, type ConsultCredentials } from '../api/consultCredentials';
import { failureFromResponse, RequestFailure } from '../api/requestFailure';

export class OpinionApi {
  readonly consultId: string;
  readonly #path: string;
  readonly #credentials: ConsultCredentials;

  constructor(consultId: string, credentials: ConsultCredentials) {
    this.consultId = consultId;
    this.#path = `/consults/${encodeURIComponent(consultId)}/opinion`;
    this.#credentials = credentials;
  }

  load(): Promise<OpinionView> {
    return apiRequest('GET', this.#path, undefined, this.#credentials);
  }

  saveDraft(request: SaveOpinionDraftRequest): Promise<DoctorOpinionView> {
    return apiRequest('PUT', `${this.#path}/draft`, request, this.#credentials);
  }

  saveTranslation(request: SaveOpinionTranslationRequest): Promise<InterpreterOpinionView> {
    return apiRequest('PUT', `${this.#path}/translation`, request, this.#credentials);
  }

  release(request: ReleaseOpinionRequest): Promise<DoctorOpinionView> {
    return apiRequest('POST', `${this.#path}/release`, request, this.#credentials);
  }

  /** Saves the version's PDF to the person's device (audited as a download). */
  async downloadPdf(version: number, fileName: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`/api${this.#path}/versions/${version}/pdf`, { credentials: 'same-origin', headers: credentialHeaders(this.#credentials) });
    } catch (error) {
      throw new RequestFailure('network', String(error));
    }
    if (!response.ok) throw failureFromResponse(await response.json().catch(() => undefined), response.status);
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
