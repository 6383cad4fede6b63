/**
 * Storage primitives for `hoctap rebuild` (src/usecases/rebuild.ts): the durable journal as it is now, and a new, empty
 * store made beside the workspace's, filled, then swapped in (the old one kept aside) or thrown away. On PostgreSQL:
 * fresh-postgres.ts. One rebuild at a time: the lock file beside hoctap.sqlite, the advisory lock on PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { journalPathFor, readJournal, type JournalRead } from './journal.ts';
import { databaseUrlOf } from '../catalog/workspace.ts';
import { openFreshPostgres, postgresJournalLength, readPostgresJournal } from './fresh-postgres.ts';
import { takeFileLock } from './long-job.ts';
import { openSqliteStore } from './sqlite/open.ts';
import type { Store } from './store.ts';

/** The shared database of the workspace whose hoctap.sqlite would be `dbFile`, if any. */
const sharedUrl = (dbFile: string) => databaseUrlOf(path.dirname(dbFile));

/** The workspace's journal: where it is, and what it holds (null: there is none). */
export function readStoreJournal(dbFile: string): Promise<{ where: string; read: JournalRead | null }> {
  const url = sharedUrl(dbFile);
  if (url) return readPostgresJournal(url);
  const where = journalPathFor(dbFile);
  return Promise.resolve({ where, read: fs.existsSync(where) ? readJournal(where) : null });
}

/** The journal's length now (bytes; 0 when there is none). */
export function storeJournalLength(dbFile: string): Promise<number> {
  const url = sharedUrl(dbFile);
  if (url) return postgresJournalLength(url);
  const where = journalPathFor(dbFile);
  return Promise.resolve(fs.existsSync(where) ? fs.statSync(where).size : 0);
}

export interface FreshStore {
  /** The new store; its journal lines stay in it until it is swapped in (the journal file is already complete). */
  store: Store;
  /** Done filling it: closes it, ready to be swapped in. */
  close(): Promise<void>;
  /** Puts it in place of the workspace's store; the old one is kept under another name (returned; null if none). */
  install(): Promise<{ backup: string | null }>;
  /** Throws it away (closed first). */
  discard(): Promise<void>;
}

/** A new, empty store beside the workspace's (`stamp` names it, and the old one's backup). */
export async function openFreshStore(dbFile: string, stamp: string): Promise<FreshStore> {
  const url = sharedUrl(dbFile);
  if (url) return openFreshPostgres(url, path.dirname(dbFile), stamp);
  // One rebuild at a time on this workspace (released when the new store is installed or thrown away).
  const release = takeFileLock(dbFile, 'rebuild');
  try {
    return openFreshSqlite(dbFile, stamp, release);
  } catch (e) {
    release();
    throw e;
  }
}

function openFreshSqlite(dbFile: string, stamp: string, release: () => void): FreshStore {
  const newPath = `${dbFile}.rebuild-${stamp}`;
  removeDatabaseFiles(newPath);
  const store = openSqliteStore(newPath, { journal: null, archiveDir: path.join(path.dirname(dbFile), 'archive') });
  const close = () => {
    if (!store.db.isOpen) return;
    try {
      // One file to move: the write-ahead log folded into the database.
      store.db.exec('PRAGMA journal_mode = DELETE');
    } finally {
      store.db.close();
    }
  };
  return {
    store,
    close: () => Promise.resolve(close()),
    discard: () => {
      try {
        if (store.db.isOpen) store.db.close();
      } finally {
        removeDatabaseFiles(newPath);
        release();
      }
      return Promise.resolve();
    },
    install: () => {
      close();
      const backup = fs.existsSync(dbFile) ? `${dbFile}.bak-${stamp}` : null;
      if (backup) {
        fs.renameSync(dbFile, backup);
        // A log left by the old database must not be applied to the new one.
        for (const suffix of ['-wal', '-shm']) if (fs.existsSync(dbFile + suffix)) fs.renameSync(dbFile + suffix, backup + suffix);
      }
      fs.renameSync(newPath, dbFile);
      release();
      return Promise.resolve({ backup });
    },
  };
}

function removeDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}
