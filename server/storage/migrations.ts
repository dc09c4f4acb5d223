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
];
