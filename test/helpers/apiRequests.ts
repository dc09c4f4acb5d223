// JSON requests to the HTTP API as the doctor (session cookie), a link holder
// (invite token) or a live participant (token and proof), with the answer parsed.
import { headersFor, type Credentials } from './documentRequests';

export interface ApiAnswer<T> {
  status: number;
  body: T;
  /** The refusal's code, when the answer is one. */
  code: string | undefined;
}

export async function apiRequest<T>(port: number, credentials: Credentials, method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  const response = await fetch(`http://127.0.0.1:${port}/api${path}`, {
    method,
    headers: { ...headersFor(credentials), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : undefined) as T;
  const code = (parsed as { error?: { code?: string } } | undefined)?.error?.code;
  return { status: response.status, body: parsed, code };
}
