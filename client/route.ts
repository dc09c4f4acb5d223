// Which screen the address asks for: /join#<invite token> (or the short
// /j#<code>) for patients and interpreters, /c/<consultId> for the doctor,
// and the account pages.
import { secretTokenSchema } from '../shared/api';
import { consultIdSchema, inviteTokenSchema, shortInviteCodeSchema } from '../shared/schemas';

export type Route =
  | { screen: 'home' }
  | { screen: 'guest-join'; inviteToken: string | undefined }
  | { screen: 'short-link'; code: string | undefined }
  | { screen: 'doctor-consult'; consultId: string }
  | { screen: 'register'; firstAccount: boolean; invitationToken: string | undefined }
  | { screen: 'login' }
  | { screen: 'dashboard' };

/** Secrets travel in the fragment (#...) so they never reach server or proxy logs. */
function fragment(location: Pick<Location, 'hash'>): string {
  return location.hash.replace(/^#/, '');
}

export function parseRoute(location: Pick<Location, 'pathname' | 'hash'>): Route {
  switch (location.pathname) {
    case '/setup':
    case '/register': {
      const token = secretTokenSchema.safeParse(fragment(location));
      return { screen: 'register', firstAccount: location.pathname === '/setup', invitationToken: token.success ? token.data : undefined };
    }
    case '/join': {
      const token = inviteTokenSchema.safeParse(fragment(location));
      return { screen: 'guest-join', inviteToken: token.success ? token.data : undefined };
    }
    case '/j': {
      const code = shortInviteCodeSchema.safeParse(decodeURIComponent(fragment(location)));
      return { screen: 'short-link', code: code.success ? code.data : undefined };
    }
    case '/login':
      return { screen: 'login' };
    case '/dashboard':
      return { screen: 'dashboard' };
  }
  const consult = /^\/c\/([^/]+)\/?$/.exec(location.pathname);
  const consultId = consultIdSchema.safeParse(decodeURIComponent(consult?.[1] ?? ''));
  if (consult && consultId.success) return { screen: 'doctor-consult', consultId: consultId.data };
  return { screen: 'home' };
}
