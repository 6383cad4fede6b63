/** The store's schema (hoctap.sqlite): its migrations, applied in order by open.ts. */
/**
 * The schema, as an ordered list of migrations. A migration is never edited once released: add a new one.
 * The version applied is kept in PRAGMA user_version.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    archive_path TEXT NOT NULL,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('xlsx', 'csv')),
    catalog_version TEXT,
    template_version TEXT,
    received_at TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'superseded')),
    error_count INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    value_count INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES submissions(id)
  );
  CREATE UNIQUE INDEX submissions_one_accepted ON submissions(unit_code, year) WHERE status = 'accepted';
  CREATE INDEX submissions_unit_year ON submissions(unit_code, year);
  CREATE INDEX submissions_sha ON submissions(sha256);

  CREATE TABLE field_values (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    field_id TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    raw TEXT,
    value_num REAL,
    value_text TEXT,
    sheet TEXT,
    cell TEXT,
    PRIMARY KEY (submission_id, field_id)
  ) WITHOUT ROWID;

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    code TEXT NOT NULL,
    sheet TEXT,
    cell TEXT,
    indicator_id TEXT,
    field_id TEXT,
    value_seen TEXT,
    expected TEXT,
    text TEXT NOT NULL
  );
  CREATE INDEX messages_submission ON messages(submission_id);

  CREATE TABLE narratives (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    section_id TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (submission_id, section_id)
  ) WITHOUT ROWID;

  CREATE TABLE contacts (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    name TEXT, position TEXT, phone TEXT, email TEXT
  );
  `,
  // 2: CSV submissions have lines, not cells; a CSV row may carry a note; files that name no unit are still recorded.
  `
  ALTER TABLE field_values ADD COLUMN line INTEGER;
  ALTER TABLE field_values ADD COLUMN note TEXT;
  ALTER TABLE messages ADD COLUMN line INTEGER;

  CREATE TABLE unattributed_files (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    archive_path TEXT NOT NULL,
    received_at TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL
  );
  `,
  // 3: accepted data is never lost. A submission can be held (kept with its values, not in force); every change of
  // what is in force is an event; the journal (also archive/journal.jsonl) lists every stored file and event. The
  // submissions table is copied to allow the new status (SQLite cannot change a CHECK): every row and id is kept.
  `
  CREATE TABLE submissions_v3 (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    archive_path TEXT NOT NULL,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('xlsx', 'csv')),
    catalog_version TEXT,
    template_version TEXT,
    received_at TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'superseded', 'held')),
    error_count INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    value_count INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES submissions(id)
  );
  INSERT INTO submissions_v3 SELECT id, unit_code, year, file_name, sha256, archive_path, source_kind, catalog_version,
    template_version, received_at, ingested_at, status, error_count, warning_count, value_count, superseded_by FROM submissions;
  DROP TABLE submissions;
  ALTER TABLE submissions_v3 RENAME TO submissions;
  CREATE UNIQUE INDEX submissions_one_accepted ON submissions(unit_code, year) WHERE status = 'accepted';
  CREATE INDEX submissions_unit_year ON submissions(unit_code, year);
  CREATE INDEX submissions_sha ON submissions(sha256);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT,
    reason TEXT NOT NULL CHECK (reason IN ('file', 'confirmation', 'restore')),
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    in_force INTEGER REFERENCES submissions(id),
    out_of_force INTEGER REFERENCES submissions(id)
  );
  CREATE INDEX events_unit_year ON events(unit_code, year);

  -- end_offset: the journal file's length once the line is in it (null until its transaction commits).
  CREATE TABLE journal (
    seq INTEGER PRIMARY KEY,
    submission_id INTEGER REFERENCES submissions(id),
    line TEXT NOT NULL,
    end_offset INTEGER
  );
  CREATE INDEX journal_pending ON journal(seq) WHERE end_offset IS NULL;
  PRAGMA application_id = 1752130420;
  `,
  // 4: a finding is data: its parameters (JSON: src/findings/stored.ts) are kept with its code, and its words are made
  // when it is shown. Rows stored before keep only their sentence (params NULL), which is shown as it was.
  `
  ALTER TABLE messages ADD COLUMN params TEXT;
  `,
  // 5: mail. The outbox: every message to a unit, recorded before it is handed to the mail server (state 'sending')
  // and after ('sent', 'failed'; 'drafted' for a .eml draft), once per unit, year, kind and dedup_key (the round of a
  // kind: the template's year, the feedback copy's sha256, the reminder's day). The messages read from the mailbox
  // (fetch-mail): claimed before their attachments are ingested, done after, once per message_key (Message-ID).
  `
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('templates', 'feedback', 'reminders')),
    dedup_key TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    attachment_name TEXT,
    attachment_sha256 TEXT,
    message_id TEXT NOT NULL UNIQUE,
    via TEXT NOT NULL CHECK (via IN ('smtp', 'draft')),
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'drafted')),
    owner TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    handed_at TEXT NOT NULL,
    done_at TEXT,
    result TEXT,
    UNIQUE (unit_code, year, kind, dedup_key)
  );
  CREATE INDEX outbox_unit_year ON outbox(unit_code, year);

  CREATE TABLE mail_seen (
    id INTEGER PRIMARY KEY,
    message_key TEXT NOT NULL UNIQUE,
    mailbox TEXT NOT NULL,
    uid INTEGER,
    sender TEXT,
    subject TEXT,
    received_at TEXT,
    unit_code TEXT,
    year INTEGER,
    archive_path TEXT,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
    owner TEXT,
    claimed_at TEXT NOT NULL,
    done_at TEXT,
    result TEXT
  );
  `,
  // 6: the analyst confirms a figure a query found impossible (hoctap confirm): with a reason, tied to the submission in
  // force then (a later file of the unit is not confirmed by it). Never deleted; each is a line of the journal too.
  `
  CREATE TABLE confirmations (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT,
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    indicator_id TEXT NOT NULL,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    reason TEXT NOT NULL
  );
  CREATE INDEX confirmations_year ON confirmations(year);
  `,
  // 7: review and approval (docs/review.md). Each unit and year has a revision, raised by every change of what is in
  // force and of its review state (UPDATE … WHERE rev = the revision read: a conflict when another wrote in between);
  // a year can be locked once its units' figures are approved; every transition is a review event. A unit and year with
  // no row is at revision 0, "received". Plain SQL that PostgreSQL also takes (review_events.id: its own identity there).
  `
  CREATE TABLE unit_reviews (
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('received', 'returned', 'approved')),
    reason TEXT,
    changed_at TEXT,
    changed_by TEXT,
    PRIMARY KEY (unit_code, year)
  );
  CREATE TABLE year_locks (
    year INTEGER PRIMARY KEY,
    locked INTEGER NOT NULL CHECK (locked IN (0, 1)),
    rev INTEGER NOT NULL,
    reason TEXT,
    changed_at TEXT,
    changed_by TEXT
  );
  CREATE TABLE review_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL CHECK (action IN ('approve', 'return', 'unapprove', 'lock', 'unlock', 'force')),
    unit_code TEXT,
    year INTEGER NOT NULL,
    reason TEXT,
    rev INTEGER NOT NULL
  );
  CREATE INDEX review_events_year ON review_events(year, unit_code);
  `,
  // 8: the structured items of the narrative sheet (highlights, difficulties, proposals, nominations), one row each.
  `
  CREATE TABLE narrative_items (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    section_id TEXT NOT NULL,
    item TEXT NOT NULL CHECK (item IN ('highlight', 'difficulty', 'proposal', 'nomination')),
    ordinal INTEGER NOT NULL,
    choice TEXT,
    choice_text TEXT,
    name TEXT,
    text TEXT,
    addressee TEXT,
    says_none INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (submission_id, section_id, item, ordinal)
  );
  `,
  // 9: who may approve is enforced by the database on PostgreSQL (its triggers: src/store/postgres/guards.ts, BRANCHES
  // there). The embedded store's approvers are the workspace config's list (src/review/roles.ts), a convenience of one
  // PC, not a protection: nothing changes in hoctap.sqlite, the schema's version only follows.
  `SELECT 1;`,
  // 10: PostgreSQL keeps the archive's bytes uncompressed (they are zip files already: its compression only spent the
  // server's time, src/store/postgres/schema.ts). Nothing for SQLite.
  `SELECT 1;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
