// What an invite link says about itself: which consult and which role. The
// token's payload is not secret (only its signature matters, and the server
// checks that); the page reads it to know where to upload before joining.
import { z } from 'zod';
import { inviteRoles, type InviteRole } from '../../shared/api';
import { consultIdSchema } from '../../shared/schemas';

const claimsSchema = z.object({ sub: consultIdSchema, role: z.enum(inviteRoles), jti: z.string().max(64) });

export function inviteClaims(token: string): { consultId: string; role: InviteRole; linkId: string } | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = claimsSchema.safeParse(JSON.parse(json));
    return claims.success ? { consultId: claims.data.sub, role: claims.data.role, linkId: claims.data.jti } : undefined;
  } catch {
    return undefined;
  }
}
