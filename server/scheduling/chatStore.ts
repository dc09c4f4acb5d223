// Chat messages, kept with the consult in the database.
import { randomUUID } from 'node:crypto';
import type { ChatMessage, Role } from '../../shared/protocol';
import type { Database } from '../storage/database';

interface ChatRow {
  id: string;
  at: number;
  sender_participant_id: string;
  sender_name: string;
  sender_role: Role;
  thread_participant_id: string | null;
  care_team: number;
  body: string;
}

function messageOf(row: ChatRow): ChatMessage {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    from: { participantId: row.sender_participant_id, displayName: row.sender_name, role: row.sender_role },
    thread: row.thread_participant_id,
    careTeam: row.care_team === 1,
    text: row.body,
  };
}

/** Who a message is for: a waiting person's private thread, or the call (the care team only, before the patient joins). */
export type ChatAudience = Pick<ChatMessage, 'thread' | 'careTeam'>;

export class ChatStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  add(consultId: string, from: ChatMessage['from'], audience: ChatAudience, text: string): ChatMessage {
    const row: ChatRow = {
      id: randomUUID(),
      at: this.#now(),
      sender_participant_id: from.participantId,
      sender_name: from.displayName,
      sender_role: from.role,
      thread_participant_id: audience.thread,
      care_team: audience.careTeam ? 1 : 0,
      body: text,
    };
    this.#db
      .prepare(
        `INSERT INTO chat_messages (id, consult_id, at, sender_participant_id, sender_name, sender_role, thread_participant_id, care_team, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        consultId,
        row.at,
        row.sender_participant_id,
        row.sender_name,
        row.sender_role,
        row.thread_participant_id,
        row.care_team,
        row.body,
      );
    return messageOf(row);
  }

  list(consultId: string): ChatMessage[] {
    const rows = this.#db.prepare('SELECT * FROM chat_messages WHERE consult_id = ? ORDER BY at, rowid').all(consultId) as ChatRow[];
    return rows.map(messageOf);
  }
}
