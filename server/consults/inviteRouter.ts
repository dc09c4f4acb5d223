// GET /api/invite: what an invite link's holder may know of their consult
// before joining (whom they will meet, when, in which languages), so the
// link's page can say so. The link itself (Authorization: Bearer <token>) is
// the credential; nothing about the patient is sent back.
import express, { type Router } from 'express';
import type { InviteDetails } from '../../shared/api';
import { inviteTokenSchema } from '../../shared/schemas';
import type { AccountStore } from '../accounts/accountStore';
import { sendApiError } from '../http/apiResponses';
import type { JoinAuthorizer } from '../signalling/joinAuthorizer';
import { ProtocolFailure } from '../signalling/protocolFailure';

export function createInviteRouter(authorizer: JoinAuthorizer, accounts: AccountStore): Router {
  const router = express.Router();
  router.get('/', async (request, response) => {
    const token = inviteTokenSchema.safeParse(/^Bearer (.+)$/.exec(request.get('authorization') ?? '')?.[1]);
    if (!token.success) return sendApiError(response, 'unauthenticated', 'open your invite link');
    try {
      const { link, record } = await authorizer.verifyInviteToken(token.data);
      if (record.endedAt !== null) return sendApiError(response, 'consult-ended', 'this consult has ended');
      const details: InviteDetails = {
        role: link.role,
        consult: {
          title: record.title,
          doctorName: accounts.getDoctor(record.doctorId)?.displayName ?? '',
          scheduledAt: new Date(record.scheduledAt).toISOString(),
          doctorTimeZone: record.doctorTimeZone,
          interpretation: record.interpretation,
        },
      };
      response.setHeader('Cache-Control', 'no-store');
      response.json(details);
    } catch (error) {
      if (error instanceof ProtocolFailure) return sendApiError(response, 'unauthenticated', error.message);
      throw error;
    }
  });
  return router;
}
