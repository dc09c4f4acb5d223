// Scheduled consults and their invite links, in the database.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ConsultKind, CreateConsultRequest, InviteLinkInfo, InviteRole } from '../../shared/api';
import type { Database } from '../storage/database';

export interface ConsultRecord {
  id: string;
  kind: ConsultKind;
  doctorId: string;
  title: string;
  patientDescription: string | null;
  scheduledAt: number;
  patientName: string;
  patientLanguage: string;
  interpretation: { from: string; to: string } | null;
  doctorTimeZone: string | null;
  patientTimeZone: string | null;
  createdAt: number;
  endedAt: number | null;
  /** When the doctor began the review: the patient's case is kept as it is from then on. */
  reviewStartedAt: number | null;
}

export interface InviteLinkRecord {
  id: string;
  consultId: string;
  role: InviteRole;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

interface ConsultRow {
  id: string;
  kind: ConsultKind;
  doctor_id: string;
  title: string;
  patient_description: string | null;
  scheduled_at: number;
  patient_name: string;
  patient_language: string;
  interpreter_needed: number;
  interpretation_from: string | null;
  interpretation_to: string | null;
  doctor_time_zone: string | null;
  patient_time_zone: string | null;
  created_at: number;
  ended_at: number | null;
  review_started_at: number | null;
}

interface LinkRow {
  id: string;
  consult_id: string;
  role: InviteRole;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

function consultOf(row: ConsultRow): ConsultRecord {
  return {
    id: row.id,
    kind: row.kind,
    doctorId: row.doctor_id,
    title: row.title,
    patientDescription: row.patient_description,
    scheduledAt: row.scheduled_at,
    patientName: row.patient_name,
    patientLanguage: row.patient_language,
    interpretation:
      row.interpreter_needed && row.interpretation_from && row.interpretation_to
        ? { from: row.interpretation_from, to: row.interpretation_to }
        : null,
    doctorTimeZone: row.doctor_time_zone,
    patientTimeZone: row.patient_time_zone,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    reviewStartedAt: row.review_started_at,
  };
}

function linkOf(row: LinkRow): InviteLinkRecord {
  return {
    id: row.id,
    consultId: row.consult_id,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** What a doctor sees of a link; `code` only while the link can still be used. */
export function linkInfo(link: InviteLinkRecord, code: string | null): InviteLinkInfo {
  return {
    code,
    id: link.id,
    role: link.role,
    createdAt: new Date(link.createdAt).toISOString(),
    expiresAt: new Date(link.expiresAt).toISOString(),
    revokedAt: link.revokedAt === null ? null : new Date(link.revokedAt).toISOString(),
  };
}

export class ConsultStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** `kind` defaults to a call. */
  create(doctorId: string, request: Omit<CreateConsultRequest, 'kind'> & { kind?: ConsultKind }): ConsultRecord {
    // Consult ids appear in doctors' URLs; unguessable all the same.
    const id = randomBytes(12).toString('base64url');
    this.#db
      .prepare(
        `INSERT INTO consults (id, kind, doctor_id, title, patient_description, scheduled_at, patient_name, patient_language,
           interpreter_needed, interpretation_from, interpretation_to, doctor_time_zone, patient_time_zone, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        request.kind ?? 'call',
        doctorId,
        request.title,
        request.patientDescription ?? null,
        Date.parse(request.scheduledAt),
        request.patientName,
        request.patientLanguage,
        request.interpretation ? 1 : 0,
        request.interpretation?.from ?? null,
        request.interpretation?.to ?? null,
        request.doctorTimeZone,
        request.patientTimeZone,
        this.#now(),
      );
    const created = this.get(id);
    if (!created) throw new Error('consult vanished right after insert');
    return created;
  }

  get(id: string): ConsultRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM consults WHERE id = ?').get(id) as ConsultRow | undefined;
    return row ? consultOf(row) : undefined;
  }

  listForDoctor(doctorId: string): ConsultRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM consults WHERE doctor_id = ? ORDER BY scheduled_at DESC')
      .all(doctorId) as ConsultRow[];
    return rows.map(consultOf);
  }

  markEnded(id: string): void {
    this.#db.prepare('UPDATE consults SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(this.#now(), id);
  }

  /** Marks the review begun (once: the first start is the one that locked the patient's case). */
  startReview(id: string): void {
    this.#db.prepare('UPDATE consults SET review_started_at = ? WHERE id = ? AND review_started_at IS NULL').run(this.#now(), id);
  }

  createLink(consultId: string, role: InviteRole, expiresAt: number): InviteLinkRecord {
    const id = randomUUID();
    this.#db
      .prepare('INSERT INTO invite_links (id, consult_id, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, consultId, role, this.#now(), expiresAt);
    const created = this.getLink(id);
    if (!created) throw new Error('invite link vanished right after insert');
    return created;
  }

  getLink(id: string): InviteLinkRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM invite_links WHERE id = ?').get(id) as LinkRow | undefined;
    return row ? linkOf(row) : undefined;
  }

  listLinks(consultId: string): InviteLinkRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM invite_links WHERE consult_id = ? ORDER BY created_at')
      .all(consultId) as LinkRow[];
    return rows.map(linkOf);
  }

  /** Records the hash of a link's short code (once; the code never changes for a link). */
  recordLinkCodeHash(id: string, codeHash: string): void {
    this.#db.prepare('UPDATE invite_links SET code_hash = ? WHERE id = ? AND code_hash IS NULL').run(codeHash, id);
  }

  linkByCodeHash(codeHash: string): InviteLinkRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM invite_links WHERE code_hash = ?').get(codeHash) as LinkRow | undefined;
    return row ? linkOf(row) : undefined;
  }

  /** Keeps the consult's links that were not withdrawn usable at least until `until` (a new opinion to read). */
  extendLinks(consultId: string, until: number): void {
    this.#db.prepare('UPDATE invite_links SET expires_at = MAX(expires_at, ?) WHERE consult_id = ? AND revoked_at IS NULL').run(until, consultId);
  }

  revokeLink(id: string, because: 'revoked' | 'removed' | 'denied'): void {
    this.#db
      .prepare('UPDATE invite_links SET revoked_at = ?, revoked_because = ? WHERE id = ? AND revoked_at IS NULL')
      .run(this.#now(), because, id);
  }
}
