/**
 * Opening a workspace's SQLite store (hoctap.sqlite): creating it, migrating it, reading it on a read-only disk, and
 * refusing with one line a damaged file, another application's database, or a database lost beside its journal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { UserError } from '../../errors.ts';
import { journalPathFor } from '../journal.ts';
import { backfillHistory } from './backfill.ts';
import { SqliteConnection } from './connection.ts';
import { damagedError, isDamaged, schemaVersionOf } from './health.ts';
import { MIGRATIONS } from './schema.ts';
import { SqliteStore } from './store.ts';

/** Steps of a migration that are not SQL, run right after it in the same transaction (index as in MIGRATIONS). */
const AFTER_MIGRATION: Record<number, (c: SqliteConnection) => void> = {
  2: (c) => backfillHistory(c.db, (entry, submissionId) => c.writeJournal(entry, submissionId)),
};

export interface SqliteOpenOptions {
  /**
   * The journal file the committed lines are appended to. Default: archive/journal.jsonl beside the database; none for
   * ':memory:'. null: lines are kept in the database only (rebuild's new database, until it is swapped in).
   */
  journal?: string | null;
  /** Where the archived files are. Default: archive/ beside the database; none for ':memory:' unless given. */
  archiveDir?: string | null;
}

/**
 * Opens the store for writing: creates the database (and its folder) when there is none, and migrates it. A damaged
 * file or another application's database is refused with a one-line reason (UserError, exit 2).
 */
export function openSqliteStore(file: string, opts: SqliteOpenOptions = {}): SqliteStore {
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
  const c = new SqliteConnection(db, journal);
  try {
    // Recognised before anything is written: a database that is not ours is left as it is.
    const version = schemaVersionOf(db, file, MIGRATIONS.length);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
    if (version < MIGRATIONS.length) migrate(c, file);
    return new SqliteStore(c, archiveDirOf(file, opts));
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
export function openSqliteForReading(file: string, opts: { snapshot?: boolean } = {}): SqliteStore | null {
  if (!fs.existsSync(file)) return noDatabase(file);
  const store = writable(file) ? openSqliteStore(file) : openReadOnly(file);
  // Every read in one snapshot: another process's ingest meanwhile is seen whole or not at all.
  if (opts.snapshot) store.connection.openReadSnapshot();
  return store;
}

/** The store, to change what is in force (restore): like openSqliteForReading, but always writable. */
export function openSqliteExisting(file: string): SqliteStore | null {
  return fs.existsSync(file) ? openSqliteStore(file) : noDatabase(file);
}

function archiveDirOf(file: string, opts: SqliteOpenOptions): string | null {
  if (opts.archiveDir !== undefined) return opts.archiveDir;
  return file === ':memory:' ? null : path.join(path.dirname(file), 'archive');
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

function openReadOnly(file: string): SqliteStore {
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
  return new SqliteStore(new SqliteConnection(opened.db, null), path.join(path.dirname(file), 'archive'));
}

class LostDatabaseError extends UserError {}

function lostDatabase(file: string, journal: string): UserError {
  return new LostDatabaseError((run) => `Không có cơ sở dữ liệu ${file} (đã bị xoá hoặc làm trống?) nhưng kho lưu trữ đã có nhật ký ${journal}: chạy "${run(['rebuild'])}" để dựng lại cơ sở dữ liệu từ kho lưu trữ trước khi làm tiếp.`);
}

function migrate(c: SqliteConnection, file: string): void {
  const db = c.db;
  // Migration 3 copies a table that others refer to: foreign keys are checked once at the end instead (this pragma
  // cannot change inside a transaction).
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    // One writer at a time: BEGIN IMMEDIATE takes the write lock before reading the version again.
    c.begin();
    try {
      const again = schemaVersionOf(db, file, MIGRATIONS.length);
      const journal = c.journalFile;
      if (again === 0 && journal && fs.existsSync(journal) && fs.statSync(journal).size > 0) {
        throw lostDatabase(file, journal);
      }
      for (let v = again; v < MIGRATIONS.length; v++) {
        db.exec(MIGRATIONS[v]);
        AFTER_MIGRATION[v]?.(c);
      }
      if (db.prepare('PRAGMA foreign_key_check').all().length) throw new Error(`Nâng cấp lược đồ ${file}: dữ liệu tham chiếu không khớp`);
      db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
      c.commit();
    } catch (e) {
      if (db.isTransaction) c.rollback();
      throw e;
    }
  } finally {
    db.exec('PRAGMA foreign_keys = ON');
  }
}
