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
  // 4: shared documents (records, reports, imaging), their DICOM instances, and annotations.
  `
  -- Files live under the data directory with names the server chose
  -- (stored_name); original_name is only shown.
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    consult_id TEXT NOT NULL REFERENCES consults(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'image', 'dicom')),
    media_type TEXT NOT NULL,
    original_name TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    -- On disk, with the images unpacked from a study archive: counts against the consult's quota.
    stored_bytes INTEGER NOT NULL,
    stored_name TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    uploader_role TEXT NOT NULL,
    uploader_name TEXT NOT NULL,
    -- The invite link it came through; NULL for the doctor.
    uploader_link_id TEXT,
    interpreter_allowed INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX documents_by_consult ON documents(consult_id, uploaded_at);

  -- The images of a DICOM document, in viewing order within each series.
  CREATE TABLE dicom_instances (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    stored_name TEXT NOT NULL,
    series_uid TEXT NOT NULL,
    series_number INTEGER,
    series_description TEXT NOT NULL,
    modality TEXT NOT NULL,
    instance_number INTEGER,
    slice_position REAL,
    rows INTEGER NOT NULL,
    columns INTEGER NOT NULL,
    frames INTEGER NOT NULL,
    PRIMARY KEY (document_id, idx)
  );

  CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    series INTEGER NOT NULL,
    slice INTEGER NOT NULL,
    shape TEXT NOT NULL,
    color TEXT NOT NULL,
    author_participant_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX annotations_by_document ON annotations(document_id, created_at);
  `,
  // 5: chat of the care team (doctor and interpreter while no patient is in the call), and the
  // time zones a consult's time is shown in.
  `
  ALTER TABLE chat_messages ADD COLUMN care_team INTEGER NOT NULL DEFAULT 0;
  -- IANA zones; NULL for consults scheduled before this migration.
  ALTER TABLE consults ADD COLUMN doctor_time_zone TEXT;
  ALTER TABLE consults ADD COLUMN patient_time_zone TEXT;
  `,
  // 6: what a live consult remembers beyond a restart: each person's participant id and whether
  // the doctor let them in, who is in it now (to audit departures a crash cut short), and the
  // document shown and the interpretation floor.
  `
  CREATE TABLE consult_seats (
    consult_id TEXT NOT NULL REFERENCES consults(id) ON DELETE CASCADE,
    seat TEXT NOT NULL,
    participant_id TEXT NOT NULL UNIQUE,
    admitted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (consult_id, seat)
  );

  CREATE TABLE consult_presence (
    participant_id TEXT PRIMARY KEY,
    consult_id TEXT NOT NULL REFERENCES consults(id) ON DELETE CASCADE,
    audit_name TEXT NOT NULL,
    since INTEGER NOT NULL
  );

  CREATE TABLE consult_live_state (
    consult_id TEXT PRIMARY KEY REFERENCES consults(id) ON DELETE CASCADE,
    presentation TEXT,
    floor TEXT,
    updated_at INTEGER NOT NULL
  );
  `,
  // 7: short invite codes (/j#<code>): the hash of each link's code, to find the link by it.
  `
  ALTER TABLE invite_links ADD COLUMN code_hash TEXT;
  CREATE UNIQUE INDEX invite_links_by_code ON invite_links(code_hash) WHERE code_hash IS NOT NULL;
  `,
  // 8: what the patient reads about a consult (the title is the doctor's own).
  `
  ALTER TABLE consults ADD COLUMN patient_description TEXT;
  `,
  // 9: the patient's case (intake), the interpreter's translation of it, and when the doctor began
  // the review (from then on the case is kept as it is).
  `
  CREATE TABLE consult_intakes (
    consult_id TEXT PRIMARY KEY REFERENCES consults(id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    language TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE intake_translations (
    consult_id TEXT PRIMARY KEY REFERENCES consults(id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    language TEXT NOT NULL,
    translator_name TEXT NOT NULL,
    of_revision INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  ALTER TABLE consults ADD COLUMN review_started_at INTEGER;
  `,
  // 10: the written second opinion: the doctor's draft, the interpreter's translation of its
  // plain-language parts (with the wording it translated, to tell when it fell behind), and the
  // released versions, which are never changed.
  `
  CREATE TABLE opinion_drafts (
    consult_id TEXT PRIMARY KEY REFERENCES consults(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE opinion_translations (
    consult_id TEXT PRIMARY KEY REFERENCES consults(id) ON DELETE CASCADE,
    parts TEXT NOT NULL,
    source TEXT NOT NULL,
    language TEXT NOT NULL,
    translator_name TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE opinion_versions (
    consult_id TEXT NOT NULL REFERENCES consults(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    released_at INTEGER NOT NULL,
    PRIMARY KEY (consult_id, version)
  );

  CREATE TRIGGER opinion_versions_never_change BEFORE UPDATE ON opinion_versions
  BEGIN
    SELECT RAISE(ABORT, 'a released opinion is never changed; release an amendment');
  END;
  `,
  // 11: what kind of consult: a video call, or a review of the records alone with no call.
  `
  ALTER TABLE consults ADD COLUMN kind TEXT NOT NULL DEFAULT 'call';
  `,
];
