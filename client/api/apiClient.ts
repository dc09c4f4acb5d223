// JSON requests to our own HTTP API. Refusals arrive as { error: { code } } and
// are thrown as RequestFailure so screens can show a translated message.
import { failureFromResponse, RequestFailure } from './requestFailure';

export async function apiRequest<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
