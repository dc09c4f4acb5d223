// Doctors, consults and invite links created straight through the server's
// stores, for tests that are about what happens next.
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { InviteRole } from '../../shared/api';
import { sessionCookieName } from '../../server/accounts/accountStore';

/** The stores the fixtures write through: a server's own, or ones opened on its data directory. */
export type FixtureStores = Pick<ConsiliumServer, 'database' | 'accounts' | 'consults' | 'inviteTokens'>;

export interface DoctorFixture {
  id: string;
  displayName: string;
  email: string;
  password: string;
  /** A Cookie header value that signs this doctor in. */
  cookie: string;
  sessionToken: string;
}

let doctorCount = 0;

export async function createDoctor(server: FixtureStores, displayName = 'Dr. Jonas Weber'): Promise<DoctorFixture> {
  doctorCount += 1;
  const existing = server.database.prepare('SELECT id FROM doctors LIMIT 1').get() as { id: string } | undefined;
  const { token } = existing ? server.accounts.createInvitation(existing.id) : server.accounts.createSetupInvitation();
  const email = `doctor${doctorCount}@clinic.example`;
  const password = 'a long enough secret';
  const doctor = await server.accounts.registerDoctor({ invitationToken: token, email, displayName, password });
  const session = server.accounts.createSession(doctor.id);
  return { id: doctor.id, displayName, email, password, cookie: `${sessionCookieName}=${session.token}`, sessionToken: session.token };
}

/**
 * A consult an hour from now. `patientLanguage`: the language the patient's
 * page opens in (English unless a test is about another), and the patient's
 * side of the interpretation pair.
 */
export function createConsult(server: FixtureStores, doctor: DoctorFixture, interpreterNeeded = true, patientLanguage = 'en'): string {
  return server.consults.create(doctor.id, {
    title: 'Second opinion: cardiology',
    patientDescription: null,
    scheduledAt: new Date(Date.now() + 60 * 60 * 1000).toISOString(),
    patientName: 'Amira Haddad',
    patientLanguage,
    interpretation: interpreterNeeded ? { from: patientLanguage, to: 'de' } : null,
    doctorTimeZone: 'Europe/Berlin',
    patientTimeZone: 'Asia/Amman',
  }).id;
}

export async function createInviteToken(
  server: FixtureStores,
  consultId: string,
  role: InviteRole,
  expiresAt = Date.now() + 24 * 60 * 60 * 1000,
): Promise<{ token: string; linkId: string }> {
  const link = server.consults.createLink(consultId, role, expiresAt);
  const token = await server.inviteTokens.sign({ linkId: link.id, consultId, role }, expiresAt);
  return { token, linkId: link.id };
}
