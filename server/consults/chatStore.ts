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
  body: string;
}

function messageOf(row: ChatRow): ChatMessage {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    from: { participantId: row.sender_participant_id, displayName: row.sender_name, role: row.sender_role },
    thread: row.thread_participant_id,
    text: row.body,
  };
}

export class ChatStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  add(consultId: string, from: ChatMessage['from'], thread: string | null, text: string): ChatMessage {
    const row: ChatRow = {
      id: randomUUID(),
      at: this.#now(),
      sender_participant_id: from.participantId,
      sender_name: from.displayName,
      sender_role: from.role,
      thread_participant_id: thread,
      body: text,
    };
    this.#db
      .prepare(
        `INSERT INTO chat_messages (id, consult_id, at, sender_participant_id, sender_name, sender_role, thread_participant_id, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, consultId, row.at, row.sender_participant_id, row.sender_name, row.sender_role, row.thread_participant_id, row.body);
    return messageOf(row);
  }

  list(consultId: string): ChatMessage[] {
    const rows = this.#db.prepare('SELECT * FROM chat_messages WHERE consult_id = ? ORDER BY at, rowid').all(consultId) as ChatRow[];
    return rows.map(messageOf);
  }
}
