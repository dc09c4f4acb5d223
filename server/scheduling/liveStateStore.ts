// The database side of ConsultMemory: seats, presence and the shown document
// and floor of each live consult (migration 6).
import { randomUUID } from 'node:crypto';
import { documentViewSchema } from '../../shared/documents';
import type { FloorState } from '../../shared/protocol';
import type { ConsultMemory, RememberedSeat, StoredPresentation } from '../live/consultMemory';
import type { Database } from '../storage/database';

interface SeatRow {
  participant_id: string;
  admitted: number;
}

interface LiveStateRow {
  presentation: string | null;
  floor: string | null;
}

/** Someone who was in a consult when the server stopped without saying goodbye. */
export interface LeftoverPresence {
  consultId: string;
  auditName: string;
}

export class LiveStateStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  forConsult(consultId: string): ConsultMemory {
    return {
      seat: (seat) => this.#seat(consultId, seat),
      rememberAdmission: (seat, admitted) => {
        this.#seat(consultId, seat);
        this.#db.prepare('UPDATE consult_seats SET admitted = ? WHERE consult_id = ? AND seat = ?').run(admitted ? 1 : 0, consultId, seat);
      },
      arrived: (participantId, auditName) => {
        this.#db
          .prepare('INSERT OR REPLACE INTO consult_presence (participant_id, consult_id, audit_name, since) VALUES (?, ?, ?, ?)')
          .run(participantId, consultId, auditName, this.#now());
      },
      departed: (participantId) => {
        this.#db.prepare('DELETE FROM consult_presence WHERE participant_id = ?').run(participantId);
      },
      presentation: () => parsePresentation(this.#liveState(consultId)?.presentation ?? null),
      savePresentation: (presentation) => this.#saveLiveState(consultId, 'presentation', presentation && JSON.stringify(presentation)),
      floor: () => parseFloor(this.#liveState(consultId)?.floor ?? null),
      saveFloor: (floor) => this.#saveLiveState(consultId, 'floor', floor && JSON.stringify(floor)),
    };
  }

  /** At start: who was still in a consult when the server last stopped; forgotten once returned. */
  takeLeftoverPresence(): LeftoverPresence[] {
    return this.#db.transaction(() => {
      const rows = this.#db.prepare('SELECT consult_id, audit_name FROM consult_presence ORDER BY since').all() as { consult_id: string; audit_name: string }[];
      this.#db.prepare('DELETE FROM consult_presence').run();
      return rows.map((row) => ({ consultId: row.consult_id, auditName: row.audit_name }));
    })();
  }

  #seat(consultId: string, seat: string): RememberedSeat {
    const find = (): SeatRow | undefined =>
      this.#db.prepare('SELECT participant_id, admitted FROM consult_seats WHERE consult_id = ? AND seat = ?').get(consultId, seat) as SeatRow | undefined;
    let row = find();
    if (!row) {
      this.#db.prepare('INSERT OR IGNORE INTO consult_seats (consult_id, seat, participant_id) VALUES (?, ?, ?)').run(consultId, seat, randomUUID());
      row = find();
    }
    if (!row) throw new Error('seat vanished right after insert');
    return { participantId: row.participant_id, admitted: row.admitted === 1 };
  }

  #liveState(consultId: string): LiveStateRow | undefined {
    return this.#db.prepare('SELECT presentation, floor FROM consult_live_state WHERE consult_id = ?').get(consultId) as LiveStateRow | undefined;
  }

  #saveLiveState(consultId: string, column: 'presentation' | 'floor', value: string | null): void {
    this.#db
      .prepare(
        `INSERT INTO consult_live_state (consult_id, ${column}, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (consult_id) DO UPDATE SET ${column} = excluded.${column}, updated_at = excluded.updated_at`,
      )
      .run(consultId, value, this.#now());
  }
}

/** Stored JSON is read back as carefully as anything else: a damaged value is forgotten, not trusted. */
function parsePresentation(text: string | null): StoredPresentation | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<StoredPresentation>;
    const view = documentViewSchema.safeParse(value.view);
    if (typeof value.presenterId !== 'string' || typeof value.presenterName !== 'string' || typeof value.documentId !== 'string' || !view.success) return null;
    return { presenterId: value.presenterId, presenterName: value.presenterName, documentId: value.documentId, view: view.data };
  } catch {
    return null;
  }
}

function parseFloor(text: string | null): FloorState | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<FloorState>;
    if (typeof value.holderId !== 'string' || typeof value.pauseRequested !== 'boolean' || typeof value.since !== 'string') return null;
    return { holderId: value.holderId, speakerId: typeof value.speakerId === 'string' ? value.speakerId : null, pauseRequested: value.pauseRequested, since: value.since };
  } catch {
    return null;
  }
}
