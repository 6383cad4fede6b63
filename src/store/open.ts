/**
 * Opening a workspace's store. Every command that reads or writes the store opens it through these functions; they
 * choose the engine (SQLite, hoctap.sqlite in the workspace) and return the Store interface (store.ts).
 */
import { openSqliteExisting, openSqliteForReading, openSqliteStore, type SqliteOpenOptions } from './sqlite/open.ts';
import type { Store } from './store.ts';

export type OpenOptions = SqliteOpenOptions;

/**
 * Opens the store for writing: creates it (and its folder) when there is none, and migrates it. A damaged file or
 * another application's database is refused with a one-line reason (UserError, exit 2); so is a database lost beside
 * its journal (rebuild it), and a read-only workspace. ':memory:': an empty store of the process's own.
 */
export function openStore(file: string, opts: OpenOptions = {}): Promise<Store> {
  return settle(() => openSqliteStore(file, opts));
}

/**
 * Opens the store for reading: null when the workspace has none yet (reading never creates one). On a read-only disk it
 * is opened read-only, and nothing is written.
 */
export function openStoreForReading(file: string): Promise<Store | null> {
  return settle(() => openSqliteForReading(file));
}

/** The store, to change what is in force (restore): null when there is none; always writable. */
export function openExistingStore(file: string): Promise<Store | null> {
  return settle(() => openSqliteExisting(file));
}

function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e as Error);
  }
}
