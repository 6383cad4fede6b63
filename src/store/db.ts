import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { UserError } from '../errors.ts';
import { backfillHistory } from './backfill.ts';
import { damagedError, isDamaged, schemaVersionOf } from './health.ts';
import { appendToJournal, journalPathFor, type JournalEntry } from './journal.ts';
import { MIGRATIONS } from './schema.ts';

export { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';

/** Steps of a migration that are not SQL, run right after it in the same transaction (index as in MIGRATIONS). */
const AFTER_MIGRATION: Record<number, (db: DatabaseSync) => void> = {
  2: (db) => backfillHistory(db, (entry, submissionId) => writeJournal(db, entry, submissionId)),
};

export interface OpenOptions {
  /**
   * The journal file the committed lines are appended to. Default: archive/journal.jsonl beside the database; none for
   * ':memory:'. null: lines are kept in the database only (rebuild's new database, until it is swapped in).
   */
  journal?: string | null;
}

interface Connection { journal: string | null; pending: boolean }
const connections = new WeakMap<DatabaseSync, Connection>();

/**
 * Opens the store for writing: creates the database (and its folder) when there is none, and migrates it. Every
 * command that stores something opens the store through this function. A damaged file or another application's
 * database is refused with a one-line reason (UserError, exit 2).
 */
export function openDatabase(file: string, opts: OpenOptions = {}): DatabaseSync {
  const memory = file === ':memory:';
  const existed = memory || fs.existsSync(file);
  if (!memory && fs.existsSync(path.dirname(file)) && !writable(file)) throw readOnlyWorkspace(file);
  if (!memory) fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { timeout: 30_000 });
  } catch (e) {
    throw new UserError(`Không mở được cơ sở dữ liệu ${file}: ${(e as Error).message}`);
  }
  const journal = opts.journal !== undefined ? opts.journal : memory ? null : journalPathFor(file);
  connections.set(db, { journal, pending: false });
  try {
    // Recognised before anything is written: a database that is not ours is left as it is.
    const version = schemaVersionOf(db, file, MIGRATIONS.length);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
    if (version < MIGRATIONS.length) migrate(db, file);
    return db;
  } catch (e) {
    db.close();
    // The empty database just made beside a journal is not left behind (another process may have made it too: it is
    // empty all the same, and refused all the same).
    if (!existed && e instanceof LostDatabaseError) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    throw isDamaged(e) ? damagedError(file, e) : e;
  }
}

/**
 * Opens the store for reading: nothing (null) when the workspace has no database yet, so that reading never creates
 * one (a mistyped --workspace must not leave a database behind). An existing one is opened like for writing (and
 * migrated) where it can be written; on a read-only disk or folder it is opened read-only, and nothing is written:
 * no journal mode set, no -shm file made (the database is then read as immutable: nobody can write it either).
 */
export function openForReading(file: string): DatabaseSync | null {
  if (fs.existsSync(file)) return writable(file) ? openDatabase(file) : openReadOnly(file);
  return noDatabase(file);
}

/** The store, to change what is in force (restore): like openForReading, but always writable. */
export function openExisting(file: string): DatabaseSync | null {
  return fs.existsSync(file) ? openDatabase(file) : noDatabase(file);
}

function noDatabase(file: string): null {
  // No database, but a journal: it was lost, and showing an empty workspace would hide what the archive holds.
  const journal = journalPathFor(file);
  if (fs.existsSync(journal) && fs.statSync(journal).size > 0) throw lostDatabase(file, journal);
  return null;
}

/** Whether this process may write the database and its folder (not on a read-only disk, nor in another user's folder). */
function writable(file: string): boolean {
  try {
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    if (fs.existsSync(file)) fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readOnlyWorkspace(file: string): UserError {
  return new UserError(`Thư mục làm việc ${path.dirname(file)} chỉ đọc (ổ chỉ đọc, hoặc không có quyền ghi): không ghi được vào ${path.basename(file)}, không có gì được ghi. Các lệnh status, score, history, report (với -o một thư mục ghi được) vẫn đọc được; để nhập tệp, chép thư mục làm việc sang ổ ghi được.`);
}

function openReadOnly(file: string): DatabaseSync {
  const open = (immutable: boolean) => {
    const url = pathToFileURL(file);
    if (immutable) url.searchParams.set('immutable', '1');
    const db = new DatabaseSync(immutable ? url : file, { readOnly: true, timeout: 30_000 });
    try {
      return { db, version: schemaVersionOf(db, file, MIGRATIONS.length) };
    } catch (e) {
      db.close();
      throw e;
    }
  };
  let opened: { db: DatabaseSync; version: number };
  try {
    try {
      opened = open(false);
    } catch (e) {
      // A write-ahead-log database wants its -shm file, which a read-only folder cannot hold. Unless a log was left by a
      // command that was stopped (it would then be ignored), the file is read as it is: immutable.
      const log = `${file}-wal`;
      if ((Number((e as { errcode?: unknown }).errcode) & 0xff) !== 14 || (fs.existsSync(log) && fs.statSync(log).size > 0)) throw e;
      opened = open(true);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw isDamaged(e) ? damagedError(file, e) : new UserError(`Không đọc được cơ sở dữ liệu ${file} trong thư mục chỉ đọc (${(e as Error).message}): chép thư mục làm việc sang ổ ghi được rồi chạy lại.`);
  }
  if (opened.version < MIGRATIONS.length) {
    opened.db.close();
    throw new UserError(`Cơ sở dữ liệu ${file} cần được nâng cấp cho phiên bản hoctap này, nhưng thư mục làm việc chỉ đọc: chép thư mục làm việc sang ổ ghi được, chạy một lệnh hoctap ở đó, rồi đọc lại.`);
  }
  connections.set(opened.db, { journal: null, pending: false });
  return opened.db;
}

class LostDatabaseError extends UserError {}

function lostDatabase(file: string, journal: string): UserError {
  return new LostDatabaseError(`Không có cơ sở dữ liệu ${file} (đã bị xoá hoặc làm trống?) nhưng kho lưu trữ đã có nhật ký ${journal}: chạy "hoctap rebuild" để dựng lại cơ sở dữ liệu từ kho lưu trữ trước khi làm tiếp.`);
}

function migrate(db: DatabaseSync, file: string): void {
  // Migration 3 copies a table that others refer to: foreign keys are checked once at the end instead (this pragma
  // cannot change inside a transaction).
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    // One writer at a time: BEGIN IMMEDIATE takes the write lock before reading the version again.
    db.exec('BEGIN IMMEDIATE');
    try {
      const again = schemaVersionOf(db, file, MIGRATIONS.length);
      const journal = connections.get(db)?.journal;
      if (again === 0 && journal && fs.existsSync(journal) && fs.statSync(journal).size > 0) {
        throw lostDatabase(file, journal);
      }
      for (let v = again; v < MIGRATIONS.length; v++) {
        db.exec(MIGRATIONS[v]);
        AFTER_MIGRATION[v]?.(db);
      }
      if (db.prepare('PRAGMA foreign_key_check').all().length) throw new Error(`Nâng cấp lược đồ ${file}: dữ liệu tham chiếu không khớp`);
      db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
      commitWrite(db);
    } catch (e) {
      if (db.isTransaction) rollbackWrite(db);
      throw e;
    }
  } finally {
    db.exec('PRAGMA foreign_keys = ON');
  }
}

/**
 * Adds a line to the journal, in the current transaction; it reaches the file when the transaction commits.
 * `submissionId`: the submission the line is about (stored, or put in force), if any.
 */
export function writeJournal(db: DatabaseSync, entry: JournalEntry, submissionId: number | null): void {
  statement(db, 'INSERT INTO journal (submission_id, line) VALUES (?, ?)').run(submissionId, JSON.stringify(entry));
  const c = connections.get(db);
  if (c) c.pending = true;
}

/** Opens a write transaction (BEGIN IMMEDIATE: waits for other writers instead of failing). */
export function beginWrite(db: DatabaseSync): void {
  db.exec('BEGIN IMMEDIATE');
}

/**
 * Commits the current transaction. Its journal lines are appended to the journal file (fsync'd) first, and where
 * each ends in the file recorded in the transaction: a crash before COMMIT leaves lines the next writer marks void.
 * Without a journal file (rebuild's new database) the lines wait in the database.
 */
export function commitWrite(db: DatabaseSync): void {
  const c = connections.get(db);
  if (c?.pending && c.journal) {
    const rows = statement(db, 'SELECT seq, line FROM journal WHERE end_offset IS NULL ORDER BY seq').all() as { seq: number; line: string }[];
    if (rows.length) {
      const setOffset = statement(db, 'UPDATE journal SET end_offset = ? WHERE seq = ?');
      const written = appendToJournal(c.journal, committedJournalLength(db), rows.map((r) => r.line), () => {
        // The file was cut: written again from the lines committed before, whose ends move accordingly.
        const committed = db.prepare('SELECT seq, line FROM journal WHERE end_offset IS NOT NULL ORDER BY seq').all() as { seq: number; line: string }[];
        return { lines: committed.map((r) => r.line), ended: (ends: number[]) => committed.forEach((r, i) => setOffset.run(ends[i], r.seq)) };
      });
      rows.forEach((r, i) => setOffset.run(written[i], r.seq));
    }
  }
  db.exec('COMMIT');
  if (c) c.pending = false;
}

/** The journal file's length as the database knows it: where its last committed line ends. */
export function committedJournalLength(db: DatabaseSync): number {
  const last = statement(db, 'SELECT end_offset FROM journal WHERE end_offset IS NOT NULL ORDER BY seq DESC LIMIT 1').get() as { end_offset: number } | undefined;
  return Number(last?.end_offset ?? 0);
}

export function rollbackWrite(db: DatabaseSync): void {
  db.exec('ROLLBACK');
  const c = connections.get(db);
  if (c) c.pending = false;
}

let savepoints = 0;

/**
 * Runs fn in one write transaction. Inside a transaction already open (a WriteBatch), fn runs in a savepoint instead:
 * it is still all or nothing.
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
  beginWrite(db);
  try {
    const result = fn();
    commitWrite(db);
    return result;
  } catch (e) {
    if (db.isTransaction) rollbackWrite(db);
    throw e;
  }
}

/**
 * Groups the writes of consecutive files into one transaction, committed every `maxItems` files or `maxMs`
 * milliseconds, whichever comes first. Each file still writes in its own savepoint (all or nothing), and its
 * "already ingested?" check runs inside the same transaction as its writes; what changes is that a commit (the
 * write to the journal) is paid once per batch instead of once per file. The write lock is held for at most about
 * `maxMs`, so another process ingesting at the same time waits its turn (busy timeout) instead of failing.
 * Made while a transaction is open already (rebuild), the batch leaves that transaction to its owner.
 */
export class WriteBatch {
  private readonly db: DatabaseSync;
  private readonly maxItems: number;
  private readonly maxMs: number;
  private readonly nested: boolean;
  private started = 0;
  private items = 0;

  constructor(db: DatabaseSync, opts: { maxItems?: number; maxMs?: number } = {}) {
    this.db = db;
    this.maxItems = opts.maxItems ?? 200;
    this.maxMs = opts.maxMs ?? 250;
    this.nested = db.isTransaction;
  }

  /** Before a file's work: opens the batch's transaction if none is open. */
  begin(): void {
    if (this.db.isTransaction) return;
    beginWrite(this.db);
    this.started = performance.now();
    this.items = 0;
  }

  /** After a file's work: true when the batch is full or old enough, and should be committed. */
  due(): boolean {
    this.items++;
    return !this.nested && this.db.isTransaction && (this.items >= this.maxItems || performance.now() - this.started >= this.maxMs);
  }

  /** Commits what the batch holds (every file in it has finished its savepoint). */
  commit(): void {
    if (!this.nested && this.db.isTransaction) commitWrite(this.db);
  }

  /**
   * At the end of the run, or when it stopped on an error: what the batch holds is kept (each file that failed midway
   * rolled its own savepoint back, so the rest is complete) or dropped (keep = false: e.g. its archive copies could
   * not be written). A commit that fails drops the batch. Returns whether what it held is now committed.
   */
  finish(keep: boolean): boolean {
    if (this.nested) return false;
    if (!this.db.isTransaction) return true;
    try {
      if (keep) commitWrite(this.db);
      else rollbackWrite(this.db);
      return keep;
    } catch {
      if (this.db.isTransaction) rollbackWrite(this.db);
      return false;
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
