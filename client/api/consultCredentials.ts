// How a request about one consult says who sends it. Doctors are recognised by
// their session cookie; patients and interpreters send their invite token, and
// once in the consult also the proof that they are that participant.
import { participantProofHeader } from '../../shared/documents';

export interface ConsultCredentials {
  /** From the patient's or interpreter's link. */
  inviteToken?: string | undefined;
  /** Once joined: who they are in the live consult. */
  participant?: { id: string; secret: string } | undefined;
}

export function credentialHeaders(credentials: ConsultCredentials): Record<string, string> {
  const headers: Record<string, string> = {};
  if (credentials.inviteToken) headers['authorization'] = `Bearer ${credentials.inviteToken}`;
  if (credentials.participant) headers[participantProofHeader] = `${credentials.participant.id}.${credentials.participant.secret}`;
  return headers;
}
