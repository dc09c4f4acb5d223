// Who joined, was admitted, denied, removed, left a consult, which documents
// were uploaded, viewed, downloaded, presented, shared or removed, and when.
// Kept with the consult in the database; the clinic's record of the session.
import type { Database } from '../storage/database';

export type AuditAction =
  | 'link-created'
  | 'link-revoked'
  | 'arrived-waiting'
  | 'joined'
  | 'admitted'
  | 'rejoined'
  | 'denied'
  | 'removed'
  | 'left'
  | 'consult-ended'
  | 'document-uploaded'
  | 'document-viewed'
  | 'document-downloaded'
  | 'document-presented'
  | 'document-shared-with-interpreter'
  | 'document-unshared-with-interpreter'
  | 'document-removed'
  | 'intake-viewed'
  | 'intake-updated'
  | 'intake-translated'
  | 'review-started'
  | 'opinion-drafted'
  | 'opinion-translated'
  | 'opinion-released'
  | 'opinion-amended'
  | 'opinion-viewed'
  | 'opinion-downloaded';

export interface AuditEvent {
  at: number;
  action: AuditAction;
  /** Who did it, e.g. "doctor Dr. Weber". */
  actor: string | null;
  /** Whom it concerned, e.g. "patient Amira Haddad". */
  subject: string | null;
}

export class AuditLog {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  record(consultId: string, action: AuditAction, actor: string | null, subject: string | null = null): void {
    this.#db
      .prepare('INSERT INTO audit_events (consult_id, at, action, actor, subject) VALUES (?, ?, ?, ?, ?)')
      .run(consultId, this.#now(), action, actor, subject);
  }

  list(consultId: string): AuditEvent[] {
    return this.#db
      .prepare('SELECT at, action, actor, subject FROM audit_events WHERE consult_id = ? ORDER BY id')
      .all(consultId) as AuditEvent[];
  }
}
