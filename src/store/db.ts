import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { UserError } from '../errors.ts';

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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(file: string): DatabaseSync {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { timeout: 30_000 });
  } catch (e) {
    throw new UserError(`Không mở được cơ sở dữ liệu ${file}: ${(e as Error).message}`);
  }
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
  migrate(db, file);
  return db;
}

function migrate(db: DatabaseSync, file: string): void {
  const current = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (current > MIGRATIONS.length) {
    throw new UserError(`Cơ sở dữ liệu ${file} được tạo bởi phiên bản hoctap mới hơn (lược đồ ${current}, phiên bản này hiểu tới ${MIGRATIONS.length}). Hãy cập nhật hoctap.`);
  }
  if (current === MIGRATIONS.length) return;
  // One writer at a time: BEGIN IMMEDIATE takes the write lock before reading the version again.
  db.exec('BEGIN IMMEDIATE');
  try {
    const again = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    for (let v = again; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}

/** Runs fn in one write transaction (BEGIN IMMEDIATE: waits for other writers instead of failing). */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}
