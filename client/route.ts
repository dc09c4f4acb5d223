// Which screen the address asks for. /c/<consultId>?role=...&name=... joins a
// consult (a stand-in until signed invite links replace role and name).
import { secretTokenSchema } from '../shared/api';
import { consultIdSchema, displayNameSchema, roleSchema } from '../shared/schemas';
import type { JoinDetails } from './call/consultSession';

export type Route =
  | { screen: 'home' }
  | { screen: 'invalid-link' }
  | { screen: 'consult'; join: JoinDetails }
  | { screen: 'register'; firstAccount: boolean; invitationToken: string | undefined }
  | { screen: 'login' }
  | { screen: 'dashboard' };

export function parseRoute(location: Pick<Location, 'pathname' | 'search' | 'hash'>): Route {
  switch (location.pathname) {
    case '/setup':
    case '/register': {
      // Account tokens travel in the fragment so they never reach server logs.
      const token = secretTokenSchema.safeParse(location.hash.replace(/^#/, ''));
      return { screen: 'register', firstAccount: location.pathname === '/setup', invitationToken: token.success ? token.data : undefined };
    }
    case '/login':
      return { screen: 'login' };
    case '/dashboard':
      return { screen: 'dashboard' };
  }
  const match = /^\/c\/([^/]+)\/?$/.exec(location.pathname);
  if (!match) return { screen: 'home' };
  const query = new URLSearchParams(location.search);
  const consultId = consultIdSchema.safeParse(decodeURIComponent(match[1] ?? ''));
  const role = roleSchema.safeParse(query.get('role'));
  const displayName = displayNameSchema.safeParse(query.get('name') ?? '');
  if (!consultId.success || !role.success || !displayName.success) return { screen: 'invalid-link' };
  return { screen: 'consult', join: { consultId: consultId.data, role: role.data, displayName: displayName.data } };
}
