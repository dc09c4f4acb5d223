// Schema changes, in order. Each runs once, inside a transaction, and the
// database remembers how far it got (PRAGMA user_version). Never edit a
// migration that has shipped: add the next one.
export const migrations: readonly string[] = [
  // 1: doctor accounts, their sessions, and invitations to create an account.
  `
  CREATE TABLE doctors (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  -- Only a hash of the session token is kept: a copy of the database
  -- cannot be used to sign in.
  CREATE TABLE doctor_sessions (
    token_hash TEXT PRIMARY KEY,
    doctor_id TEXT NOT NULL REFERENCES doctors(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX doctor_sessions_by_doctor ON doctor_sessions(doctor_id);

  -- The first-run setup link (invited_by NULL) and colleagues' invitations.
  CREATE TABLE doctor_invitations (
    token_hash TEXT PRIMARY KEY,
    invited_by TEXT REFERENCES doctors(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  `,
  // 2: consults a doctor schedules, their invite links, and the audit log.
  `
  CREATE TABLE consults (
    id TEXT PRIMARY KEY,
    doctor_id TEXT NOT NULL REFERENCES doctors(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    scheduled_at INTEGER NOT NULL,
    patient_name TEXT NOT NULL,
    patient_language TEXT NOT NULL,
    interpreter_needed INTEGER NOT NULL,
    interpretation_from TEXT,
    interpretation_to TEXT,
    created_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX consults_by_doctor ON consults(doctor_id, scheduled_at);

  -- One row per invite link handed out; the signed token names its id.
  CREATE TABLE invite_links (
    id TEXT PRIMARY KEY,
    consult_id TEXT NOT NULL REFERENCES consults(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('patient', 'interpreter')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    revoked_because TEXT
  );
  CREATE INDEX invite_links_by_consult ON invite_links(consult_id);

  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consult_id TEXT NOT NULL REFERENCES consults(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT,
    subject TEXT
  );
  CREATE INDEX audit_events_by_consult ON audit_events(consult_id, at);
  `,
  // 3: chat, kept with the consult.
  `
  CREATE TABLE chat_messages (
    id TEXT PRIMARY KEY,
    consult_id TEXT NOT NULL REFERENCES consults(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    sender_participant_id TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sender_role TEXT NOT NULL,
    -- NULL: everyone admitted to the call; otherwise a private thread between
    -- the doctors and this (waiting) participant.
    thread_participant_id TEXT,
    body TEXT NOT NULL
  );
  CREATE INDEX chat_messages_by_consult ON chat_messages(consult_id, at);
  `,
];
