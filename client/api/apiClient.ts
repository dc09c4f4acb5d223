// JSON requests to our own HTTP API. Refusals arrive as { error: { code } } and
// are thrown as RequestFailure so screens can show a translated message.
import { failureFromResponse, RequestFailure } from './requestFailure';

/** `inviteToken`: a patient's or interpreter's link, which stands in for an account on the endpoints that take one. */
export async function apiRequest<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, { inviteToken }: { inviteToken?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (inviteToken !== undefined) headers['authorization'] = `Bearer ${inviteToken}`;
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
