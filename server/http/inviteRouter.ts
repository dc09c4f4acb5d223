// GET /api/invite: what an invite link's holder may know of their consult
// before joining (whom they will meet, when, in which languages), so the
// link's page can say so, and for a patient's link the name and language the
// doctor recorded for them (the page opens in it, the name field starts with
// it). The link itself (Authorization: Bearer <token>) is the credential; the
// doctor's own title for the consult is never sent.
//
// POST /api/invite/resolve: the short code of /j#<code> exchanged for the
// link's signed token. Codes are 70 bits; the per-address limit makes
// guessing hopeless and shows up in the log when someone tries.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { InviteDetails, ResolvedInviteCode } from '../../shared/api';
import { shortInviteCodeSchema } from '../../shared/schemas';
import type { AccountStore } from '../accounts/accountStore';
import { parseBody, perMinuteLimit, sendApiError } from './apiResponses';
import { inviteLinkOf } from './inviteBearer';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { Refusal } from '../../shared/refusals';

export function createInviteRouter(authorizer: JoinAuthorizer, accounts: AccountStore): Router {
  const router = express.Router();
  router.get('/', async (request, response) => {
    try {
      const { link, record } = await inviteLinkOf(request, authorizer);
      const details: InviteDetails = {
        role: link.role,
        person: link.role === 'patient' ? { name: record.patientName, language: record.patientLanguage } : { name: null, language: null },
        consult: {
          description: record.patientDescription,
          doctorName: accounts.getDoctor(record.doctorId)?.displayName ?? '',
          scheduledAt: new Date(record.scheduledAt).toISOString(),
          doctorTimeZone: record.doctorTimeZone,
          interpretation: record.interpretation,
          kind: record.kind,
          callOver: !authorizer.callOpen(record),
        },
        expiresAt: new Date(link.expiresAt).toISOString(),
      };
      response.setHeader('Cache-Control', 'no-store');
      response.json(details);
    } catch (error) {
      if (error instanceof Refusal) return sendApiError(response, error.code, error.message);
      throw error;
    }
  });

  // A person opens their link a few times (again after a reload, on another device); more is guessing.
  const resolveLimiter = perMinuteLimit(20, 'too many attempts to open a link; wait a minute and try again');
  router.post('/resolve', resolveLimiter, async (request, response) => {
    const body = parseBody(z.strictObject({ code: z.string().max(64) }), request, response);
    if (!body) return;
    try {
      // A code cut short or mistyped (an SMS split in two) is a link that does not work, said as such.
      const code = shortInviteCodeSchema.safeParse(body.code);
      if (!code.success) throw new Refusal('link-invalid', 'this invite link is not complete or not valid');
      // Also after the call: the link opens the written opinion.
      const { token } = await authorizer.tokenForShortCode(code.data);
      const resolved: ResolvedInviteCode = { token };
      response.setHeader('Cache-Control', 'no-store');
      response.json(resolved);
    } catch (error) {
      if (error instanceof Refusal) return sendApiError(response, error.code, error.message);
      throw error;
    }
  });
  return router;
}
