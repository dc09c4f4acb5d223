// HTTP requests to a consult's documents API as the doctor (session cookie),
// a link holder (invite token) or a live participant (token and proof).
import { request as httpRequest } from 'node:http';
import type { JoinResponse } from '../../shared/protocol';
import { participantProofHeader } from '../../shared/documents';

export type Credentials = { cookie: string } | { token: string; proof?: string } | Record<string, never>;

export function asParticipant(token: string, join: Pick<JoinResponse, 'participantId' | 'resumeToken'>): Credentials {
  return { token, proof: `${join.participantId}.${join.resumeToken}` };
}

export function headersFor(credentials: Credentials): Record<string, string> {
  if ('cookie' in credentials) return { cookie: credentials.cookie };
  if ('token' in credentials) {
    return {
      authorization: `Bearer ${credentials.token}`,
      ...(credentials.proof ? { [participantProofHeader]: credentials.proof } : {}),
    };
  }
  return {};
}

export class DocumentRequests {
  readonly #port: () => number;

  constructor(port: () => number) {
    this.#port = port;
  }

  url(consultId: string, path = ''): string {
    return `http://127.0.0.1:${this.#port()}/api/consults/${consultId}/documents${path}`;
  }

  get(consultId: string, path: string, credentials: Credentials): Promise<Response> {
    return fetch(this.url(consultId, path), { headers: headersFor(credentials) });
  }

  upload(consultId: string, credentials: Credentials, name: string, bytes: Uint8Array): Promise<Response> {
    return fetch(this.url(consultId, `?name=${encodeURIComponent(name)}`), {
      method: 'POST',
      headers: { ...headersFor(credentials), 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
  }

  /** Without Content-Length (chunked), so only counting while streaming can enforce the limit. */
  uploadChunked(consultId: string, credentials: Credentials, name: string, bytes: Buffer): Promise<{ status: number; body: string } | 'closed'> {
    return new Promise((resolve) => {
      const request = httpRequest(this.url(consultId, `?name=${encodeURIComponent(name)}`), {
        method: 'POST',
        headers: { ...headersFor(credentials), 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      });
      request.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      // The server may close the connection while we still send: that is a refusal too.
      request.on('error', () => resolve('closed'));
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) request.write(bytes.subarray(offset, offset + 64 * 1024));
      request.end();
    });
  }

  patch(consultId: string, documentId: string, credentials: Credentials, body: unknown): Promise<Response> {
    return fetch(this.url(consultId, `/${documentId}`), {
      method: 'PATCH',
      headers: { ...headersFor(credentials), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  remove(consultId: string, documentId: string, credentials: Credentials): Promise<Response> {
    return fetch(this.url(consultId, `/${documentId}`), { method: 'DELETE', headers: headersFor(credentials) });
  }
}
