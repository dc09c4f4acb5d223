// POST /api/network-check: what the pre-join network check tries. For anyone
// about to join a consult: a patient or interpreter with their invite link
// (Authorization: Bearer), or a signed-in doctor. It opens short-lived
// ICE-only transports on the media server and lists the TURN server's
// addresses, without credentials: those come only with being let in.
import express, { type Router } from 'express';
import type { NetworkCheckPlan } from '../../shared/api';
import { Refusal } from '../../shared/refusals';
import type { AccountStore } from '../accounts/accountStore';
import type { NetworkProbes } from '../media/networkProbes';
import type { JoinAuthorizer } from '../scheduling/joinAuthorizer';
import { turnUrls, type TurnConfig } from '../turn/turnCredentials';
import { sessionTokenOf } from './accountsRouter';
import { perMinuteLimit, sendApiError } from './apiResponses';
import { bearerToken, inviteLinkOf } from './inviteBearer';

export interface NetworkCheckDependencies {
  probes: NetworkProbes;
  turn: TurnConfig | undefined;
  authorizer: JoinAuthorizer;
  accounts: AccountStore;
}

export function createNetworkCheckRouter({ probes, turn, authorizer, accounts }: NetworkCheckDependencies): Router {
  const router = express.Router();
  // A person checks a few times at most (again after changing networks); more is someone probing us.
  const limiter = perMinuteLimit(10, 'too many network checks; wait a minute and try again');
  router.post('/', limiter, async (request, response) => {
    try {
      if (bearerToken(request) !== undefined) {
        const { record } = await inviteLinkOf(request, authorizer);
        if (record.endedAt !== null) throw new Refusal('consult-ended', 'this consult has ended');
      } else {
        const token = sessionTokenOf(request);
        if (!token || !accounts.doctorForSession(token)) throw new Refusal('unauthenticated', 'open your invite link, or sign in');
      }
      const plan: NetworkCheckPlan = {
        direct: await probes.open(),
        relays: turn ? turnUrls(turn) : [],
        expiresInMs: probes.lifetimeMs,
      };
      response.setHeader('Cache-Control', 'no-store');
      response.json(plan);
    } catch (error) {
      if (error instanceof Refusal) return sendApiError(response, error.code, error.message);
      throw error;
    }
  });
  return router;
}
