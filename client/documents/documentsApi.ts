// The consult's documents over HTTP. Doctors are recognised by their session
// cookie; patients and interpreters send their invite token, and once in the
// consult also the proof that they are that participant.
import type { DicomManifest, DocumentInfo, DocumentListResponse } from '../../shared/documents';
import { credentialHeaders, type ConsultCredentials } from '../api/consultCredentials';
import { failureFromResponse, RequestFailure } from '../api/requestFailure';

export interface UploadResult {
  document: DocumentInfo;
  /** Files in a study archive that were not DICOM images. */
  skippedFiles: number;
}

export interface UploadHandle {
  done: Promise<UploadResult>;
  cancel(): void;
}

export class DocumentsApi {
  readonly consultId: string;
  readonly #base: string;
  readonly #credentials: ConsultCredentials;

  constructor(consultId: string, credentials: ConsultCredentials) {
    this.consultId = consultId;
    this.#base = `/api/consults/${encodeURIComponent(consultId)}/documents`;
    this.#credentials = credentials;
  }

  list(): Promise<DocumentListResponse> {
    return this.#json('GET', '');
  }

  manifest(documentId: string): Promise<DicomManifest> {
    return this.#json('GET', `/${documentId}/series`);
  }

  setInterpreterAllowed(documentId: string, interpreterAllowed: boolean): Promise<DocumentInfo> {
    return this.#json('PATCH', `/${documentId}`, { interpreterAllowed });
  }

  async remove(documentId: string): Promise<void> {
    await this.#json('DELETE', `/${documentId}`);
  }

  /** The file itself (PDF or image), or one image of a DICOM study. */
  async bytes(documentId: string, instance?: number): Promise<ArrayBuffer> {
    const path = instance === undefined ? `/${documentId}/content` : `/${documentId}/instances/${instance}`;
    const response = await this.#fetch('GET', path);
    return response.arrayBuffer();
  }

  /** Saves the file as uploaded to the person's device (audited as a download). */
  async download(document: DocumentInfo): Promise<void> {
    const blob = await (await this.#fetch('GET', `/${document.id}/content?download=1`)).blob();
    const url = URL.createObjectURL(blob);
    const link = Object.assign(window.document.createElement('a'), { href: url, download: document.name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /**
   * Sends one file, reporting progress (fetch cannot report upload progress,
   * so this uses XMLHttpRequest).
   */
  upload(file: File, onProgress: (fraction: number) => void): UploadHandle {
    const request = new XMLHttpRequest();
    const done = new Promise<UploadResult>((resolve, reject) => {
      request.open('POST', `${this.#base}?name=${encodeURIComponent(file.name)}`);
      request.setRequestHeader('content-type', 'application/octet-stream');
      for (const [name, value] of Object.entries(credentialHeaders(this.#credentials))) request.setRequestHeader(name, value);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      request.onload = () => {
        const payload = parseJson(request.responseText);
        if (request.status === 201) resolve(payload as UploadResult);
        else reject(errorFrom(payload, request.status));
      };
      request.onerror = () => reject(new RequestFailure('network', 'the upload did not get through'));
      request.onabort = () => reject(new RequestFailure('network', 'cancelled'));
      request.send(file);
    });
    return { done, cancel: () => request.abort() };
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.#fetch(method, path, body);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async #fetch(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        credentials: 'same-origin',
        headers: { ...credentialHeaders(this.#credentials), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new RequestFailure('network', String(error));
    }
    if (!response.ok) throw errorFrom(await response.json().catch(() => undefined), response.status);
    return response;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A refusal from the documents API; a 413 without one came from a proxy's own size limit. */
function errorFrom(payload: unknown, status: number): RequestFailure {
  return failureFromResponse(payload, status, status === 413 ? 'file-too-large' : 'internal-error');
}
