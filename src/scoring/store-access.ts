import type { DatabaseSync } from 'node:sqlite';
import type { Workspace } from '../catalog/workspace.ts';
import { openDatabase, openForReading } from '../store/db.ts';

/**
 * The workspace's store for scoring, status and report. A workspace that has never ingested anything has no database:
 * the figures are then computed over an empty store in memory (no file is created).
 */
export function openStoreForReading(ws: Workspace): { db: DatabaseSync; exists: boolean } {
  const db = openForReading(ws.dbPath);
  return db ? { db, exists: true } : { db: openDatabase(':memory:'), exists: false };
}
