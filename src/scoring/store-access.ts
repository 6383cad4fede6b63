import fs from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import type { Workspace } from '../catalog/workspace.ts';
import { openDatabase } from '../store/db.ts';

/**
 * The workspace's store for reading. A workspace that has never ingested anything has no database: an empty one is
 * used in memory rather than creating a file (a mistyped --workspace must not leave a database behind).
 */
export function openStoreForReading(ws: Workspace): { db: DatabaseSync; exists: boolean } {
  const exists = fs.existsSync(ws.dbPath);
  return { db: openDatabase(exists ? ws.dbPath : ':memory:'), exists };
}
