import type { Workspace } from '../catalog/workspace.ts';
import { openStore, openStoreForReading } from '../store/open.ts';
import type { Store } from '../store/store.ts';

/**
 * The workspace's store for scoring, status and report. A workspace that has never ingested anything has no database:
 * the figures are then computed over an empty store in memory (no file is created).
 */
export async function openWorkspaceStore(ws: Workspace): Promise<{ db: Store; exists: boolean }> {
  const db = await openStoreForReading(ws.dbPath);
  return db ? { db, exists: true } : { db: await openStore(':memory:'), exists: false };
}
