// Doctor accounts, sessions and invitations in the database. Secrets handed
// to people (session and invitation tokens) are random; only their SHA-256
// is stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DoctorProfile, RegisterDoctorRequest } from '../../shared/api';
import type { Database } from '../storage/database';
import { hashPassword, verifyPassword } from './passwords';
import { Refusal } from '../../shared/refusals';

interface DoctorRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
}

/** The cookie that carries a doctor's session token (HTTP and the Socket.IO handshake alike). */
export const sessionCookieName = 'consilium_session';

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;
export const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

// Compared against when the e-mail is unknown, so a wrong address takes as
// long to refuse as a wrong password. Made on first use.
let unknownAccountHash: Promise<string> | undefined;

function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function profileOf(row: DoctorRow): DoctorProfile {
  return { id: row.id, email: row.email, displayName: row.display_name };
}

export class AccountStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  doctorCount(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM doctors').get() as { n: number }).n;
  }

  /**
   * The one-time link that creates the first account. A new one replaces any
   * unused earlier one, so only the link printed last works.
   */
  createSetupInvitation(): { token: string; expiresAt: Date } {
    this.#db.prepare('DELETE FROM doctor_invitations WHERE invited_by IS NULL AND used_at IS NULL').run();
    return this.#insertInvitation(null);
  }

  createInvitation(invitedBy: string): { token: string; expiresAt: Date } {
    return this.#insertInvitation(invitedBy);
  }

  async registerDoctor(request: RegisterDoctorRequest): Promise<DoctorProfile> {
    // Hashing is slow: do it before the (synchronous) transaction.
    const passwordHash = await hashPassword(request.password);
    const hash = tokenHash(request.invitationToken);
    return this.#db.transaction((): DoctorProfile => {
      const invitation = this.#db
        .prepare('SELECT invited_by FROM doctor_invitations WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?')
        .get(hash, this.#now()) as { invited_by: string | null } | undefined;
      if (!invitation) throw new Refusal('invitation-invalid', 'this invitation is unknown, used or expired');
      if (this.#db.prepare('SELECT 1 FROM doctors WHERE email = ?').get(request.email)) {
        throw new Refusal('email-taken', 'an account with this e-mail address exists');
      }
      const row: DoctorRow = {
        id: randomUUID(),
        email: request.email,
        display_name: request.displayName,
        password_hash: passwordHash,
      };
      this.#db
        .prepare('INSERT INTO doctors (id, email, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(row.id, row.email, row.display_name, row.password_hash, this.#now());
      this.#db.prepare('UPDATE doctor_invitations SET used_at = ? WHERE token_hash = ?').run(this.#now(), hash);
      return profileOf(row);
    })();
  }

  getDoctor(id: string): DoctorProfile | undefined {
    const row = this.#db.prepare('SELECT * FROM doctors WHERE id = ?').get(id) as DoctorRow | undefined;
    return row ? profileOf(row) : undefined;
  }

  /** The doctor, when the e-mail and password match; undefined otherwise. */
  async authenticate(email: string, password: string): Promise<DoctorProfile | undefined> {
    const row = this.#db.prepare('SELECT * FROM doctors WHERE email = ?').get(email) as DoctorRow | undefined;
    const matches = await verifyPassword(password, row?.password_hash ?? (await (unknownAccountHash ??= hashPassword(randomBytes(16).toString('hex')))));
    return row && matches ? profileOf(row) : undefined;
  }

  createSession(doctorId: string): { token: string; expiresAt: Date } {
    const token = newSecretToken();
    const now = this.#now();
    const expiresAt = now + sessionLifetimeMs;
    this.#db.prepare('DELETE FROM doctor_sessions WHERE expires_at <= ?').run(now);
    this.#db
      .prepare('INSERT INTO doctor_sessions (token_hash, doctor_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash(token), doctorId, now, expiresAt);
    return { token, expiresAt: new Date(expiresAt) };
  }

  doctorForSession(token: string): DoctorProfile | undefined {
    const row = this.#db
      .prepare(
        `SELECT doctors.* FROM doctor_sessions JOIN doctors ON doctors.id = doctor_sessions.doctor_id
         WHERE doctor_sessions.token_hash = ? AND doctor_sessions.expires_at > ?`,
      )
      .get(tokenHash(token), this.#now()) as DoctorRow | undefined;
    return row ? profileOf(row) : undefined;
  }

  endSession(token: string): void {
    this.#db.prepare('DELETE FROM doctor_sessions WHERE token_hash = ?').run(tokenHash(token));
  }

  #insertInvitation(invitedBy: string | null): { token: string; expiresAt: Date } {
    const token = newSecretToken();
    const now = this.#now();
    const expiresAt = now + invitationLifetimeMs;
    this.#db
      .prepare('INSERT INTO doctor_invitations (token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash(token), invitedBy, now, expiresAt);
    return { token, expiresAt: new Date(expiresAt) };
  }
}
