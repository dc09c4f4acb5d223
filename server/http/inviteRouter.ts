// GET /api/invite: what an invite link's holder may know of their consult
// before joining (whom they will meet, when, in which languages), so the
// link's page can say so. The link itself (Authorization: Bearer <token>) is
// the credential; nothing about the patient is sent back.
import express, { type Router } from 'express';
import type { InviteDetails } from '../../shared/api';
import type { AccountStore } from '../accounts/accountStore';
import { sendApiError } from './apiResponses';
import { inviteLinkOf } from './inviteBearer';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { Refusal } from '../../shared/refusals';

export function createInviteRouter(authorizer: JoinAuthorizer, accounts: AccountStore): Router {
  const router = express.Router();
  router.get('/', async (request, response) => {
    try {
      const { link, record } = await inviteLinkOf(request, authorizer);
      if (record.endedAt !== null) throw new Refusal('consult-ended', 'this consult has ended');
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
      if (error instanceof Refusal) return sendApiError(response, error.code, error.message);
      throw error;
    }
  });
  return router;
}
