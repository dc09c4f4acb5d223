// JSON requests to our own HTTP API. Refusals arrive as { error: { code } } and
// are thrown as RequestFailure so screens can show a translated message.
import { credentialHeaders, type ConsultCredentials } from './consultCredentials';
import { failureFromResponse, RequestFailure } from './requestFailure';

/** `credentials`: a patient's or interpreter's link (and proof of being in the call), standing in for an account where an endpoint takes one. */
export async function apiRequest<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, credentials: ConsultCredentials = {}): Promise<T> {
  const headers: Record<string, string> = credentialHeaders(credentials);
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new RequestFailure('network', String(error));
  }
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) throw failureFromResponse(payload, response.status);
  return payload as T;
}
