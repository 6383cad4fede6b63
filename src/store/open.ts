/**
 * Opening a workspace's store. Every command that reads or writes the store opens it through these functions; they
 * choose the engine and return the Store interface (store.ts): the shared PostgreSQL store when the workspace names
 * one (HOCTAP_DATABASE_URL, or hoctap.local.json: src/catalog/workspace.ts), else SQLite, hoctap.sqlite in the workspace.
 */
import path from 'node:path';
import { databaseUrlOf } from '../catalog/workspace.ts';
import { openSqliteExisting, openSqliteForReading, openSqliteStore, type SqliteOpenOptions } from './sqlite/open.ts';
import type { Store } from './store.ts';

export type OpenOptions = SqliteOpenOptions;

/** The shared database of the workspace whose hoctap.sqlite would be `file`, if it has one. */
function sharedDatabase(file: string): string | null {
  return file === ':memory:' ? null : databaseUrlOf(path.dirname(file));
}

// The PostgreSQL client (pg, kysely) is loaded only by a workspace that uses it: the embedded store starts without it.
const openShared = async (url: string, file: string, snapshot = false) => {
  const { openPostgresStore } = await import('./postgres/open.ts');
  return openPostgresStore(url, { archiveDir: path.join(path.dirname(file), 'archive'), snapshot });
};

/**
 * Opens the store for writing: creates it (and its folder) when there is none, and migrates it. A damaged file or
 * another application's database is refused with a one-line reason (UserError, exit 2); so is a database lost beside
 * its journal (rebuild it), and a read-only workspace. ':memory:': an empty store of the process's own. On PostgreSQL
 * the schema must be there (made by `init --database`).
 */
export function openStore(file: string, opts: OpenOptions = {}): Promise<Store> {
  return settle<Store>(() => {
    const url = sharedDatabase(file);
    return url ? openShared(url, file) : openSqliteStore(file, opts);
  });
}

/**
 * Opens the store for reading: null when the workspace has none yet (reading never creates one). On a read-only disk it
 * is opened read-only, and nothing is written. Every read then sees one snapshot of the store until it is closed (or
 * until a write begins), so that scores and reports never mix two states of the data.
 */
export function openStoreForReading(file: string): Promise<Store | null> {
  return settle<Store | null>(() => {
    const url = sharedDatabase(file);
    return url ? openShared(url, file, true) : openSqliteForReading(file, { snapshot: true });
  });
}

/** The store, to change what is in force (restore): null when there is none; always writable. */
export function openExistingStore(file: string): Promise<Store | null> {
  return settle<Store | null>(() => {
    const url = sharedDatabase(file);
    return url ? openShared(url, file) : openSqliteExisting(file);
  });
}

function settle<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e as Error);
  }
}
