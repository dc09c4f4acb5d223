// Patients and interpreters prove over HTTP which invite link they came with:
// `Authorization: Bearer <invite token>`, checked like a join (signature,
// expiry, link row not withdrawn).
import type { Request } from 'express';
import { inviteTokenSchema } from '../../shared/schemas';
import type { ConsultRecord, InviteLinkRecord } from '../scheduling/consultStore';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { Refusal } from '../../shared/refusals';

/** The request's bearer token, if it sent one (valid or not). */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer (.+)$/.exec(request.get('authorization') ?? '')?.[1];
}

/** The link and consult the request's invite token stands for; refuses with `unauthenticated` otherwise. */
export async function inviteLinkOf(request: Request, authorizer: JoinAuthorizer): Promise<{ link: InviteLinkRecord; record: ConsultRecord }> {
  const token = inviteTokenSchema.safeParse(bearerToken(request));
  if (!token.success) throw new Refusal('unauthenticated', 'open your invite link');
  try {
    return await authorizer.verifyInviteToken(token.data);
  } catch (error) {
    if (error instanceof Refusal) throw new Refusal('unauthenticated', error.message);
    throw error;
  }
}
