import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
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

/**
 * Opens the store for writing: creates the database (and its folder) when there is none, and migrates it. Every
 * command that stores something opens the store through this function.
 */
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

/**
 * Opens the store for reading: nothing (null) when the workspace has no database yet, so that reading never creates
 * one (a mistyped --workspace must not leave a database behind). An existing one is migrated like for writing.
 */
export function openForReading(file: string): DatabaseSync | null {
  return fs.existsSync(file) ? openDatabase(file) : null;
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

let savepoints = 0;

/**
 * Runs fn in one write transaction (BEGIN IMMEDIATE: waits for other writers instead of failing). Inside a transaction
 * already open (a WriteBatch), fn runs in a savepoint instead: it is still all or nothing.
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) {
    const name = `hoctap_${++savepoints}`;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const result = fn();
      db.exec(`RELEASE ${name}`);
      return result;
    } catch (e) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      throw e;
    }
  }
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

/**
 * Groups the writes of consecutive files into one transaction, committed every `maxItems` files or `maxMs`
 * milliseconds, whichever comes first. Each file still writes in its own savepoint (all or nothing), and its
 * "already ingested?" check runs inside the same transaction as its writes; what changes is that a commit (the
 * write to the journal) is paid once per batch instead of once per file. The write lock is held for at most about
 * `maxMs`, so another process ingesting at the same time waits its turn (busy timeout) instead of failing.
 */
export class WriteBatch {
  private readonly db: DatabaseSync;
  private readonly maxItems: number;
  private readonly maxMs: number;
  private started = 0;
  private items = 0;

  constructor(db: DatabaseSync, opts: { maxItems?: number; maxMs?: number } = {}) {
    this.db = db;
    this.maxItems = opts.maxItems ?? 200;
    this.maxMs = opts.maxMs ?? 250;
  }

  /** Before a file's work: opens the batch's transaction if none is open. */
  begin(): void {
    if (this.db.isTransaction) return;
    this.db.exec('BEGIN IMMEDIATE');
    this.started = performance.now();
    this.items = 0;
  }

  /** After a file's work: true when the batch is full or old enough, and should be committed. */
  due(): boolean {
    this.items++;
    return this.db.isTransaction && (this.items >= this.maxItems || performance.now() - this.started >= this.maxMs);
  }

  /** Commits what the batch holds (every file in it has finished its savepoint). */
  commit(): void {
    if (this.db.isTransaction) this.db.exec('COMMIT');
  }

  /**
   * At the end of the run, or when it stopped on an error: what the batch holds is kept (each file that failed midway
   * rolled its own savepoint back, so the rest is complete) or dropped (keep = false: e.g. its archive copies could
   * not be written). A commit that fails drops the batch.
   */
  finish(keep: boolean): void {
    if (!this.db.isTransaction) return;
    try {
      this.db.exec(keep ? 'COMMIT' : 'ROLLBACK');
    } catch {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
    }
  }
}

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * A prepared statement, prepared once per connection: ingest runs the same few statements for every file, and
 * preparing them again each time showed in the profile of 3,000 files.
 */
export function statement(db: DatabaseSync, sql: string): StatementSync {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let st = byText.get(sql);
  if (!st) byText.set(sql, (st = db.prepare(sql)));
  return st;
}
