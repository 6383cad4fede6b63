/**
 * `hoctap rebuild` on the shared PostgreSQL store: the journal is the store's own (table journal), the archive its
 * archive_files. The new store is a schema beside `hoctap` (hoctap_rebuild_<stamp>), filled by re-ingesting, then
 * swapped in by renaming both schemas in one transaction; the old one is kept as hoctap_bak_<stamp>. Re-ingesting
 * reads each file from the workspace's archive/ folder: the bytes are written there for the rebuild and removed after.
 * Only the database's owner can rebuild (it creates a schema). Under the long-job advisory lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { shownUrl } from '../catalog/database-url.ts';
import type { FreshStore } from './fresh.ts';
import type { JournalRead } from './journal.ts';
import { takeAdvisoryLock } from './long-job.ts';
import { grantRoles, openPostgresStore } from './postgres/open.ts';
import { pinGuards } from './postgres/guards.ts';
import { PG_SCHEMA } from './postgres/schema.ts';

export async function readPostgresJournal(url: string): Promise<{ where: string; read: JournalRead | null }> {
  const store = await openPostgresStore(url, { snapshot: true });
  try {
    const entries = await store.journal();
    return { where: `bảng journal của ${shownUrl(url)}`, read: entries.length ? { entries, unreadable: [], size: entries.length } : null };
  } finally {
    await store.close();
  }
}

/** The journal's "length" on PostgreSQL: its number of lines (a line written meanwhile changes it). */
export async function postgresJournalLength(url: string): Promise<number> {
  const store = await openPostgresStore(url);
  try {
    const r = await store.session.db.selectFrom('journal').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await store.close();
  }
}

export async function openFreshPostgres(url: string, workspaceDir: string, stamp: string): Promise<FreshStore> {
  const suffix = stamp.replace(/\W/g, '_');
  const schema = `hoctap_rebuild_${suffix}`;
  const archiveDir = path.join(workspaceDir, 'archive');
  const store = await openPostgresStore(url, { create: true, schema, archiveDir });
  const written: string[] = [];
  const cleanup = () => {
    for (const f of written) {
      fs.rmSync(f, { force: true });
      // Its folder too, when the rebuild made it.
      if (fs.existsSync(path.dirname(f)) && fs.readdirSync(path.dirname(f)).length === 0) fs.rmdirSync(path.dirname(f));
    }
  };
  try {
    await takeAdvisoryLock(store.session, 'rebuild', shownUrl(url));
    const db = store.session.db;
    // The archive and the shared files are the old store's, as they are.
    await sql.raw(`INSERT INTO ${schema}.archive_files SELECT * FROM ${PG_SCHEMA}.archive_files`).execute(db);
    await sql.raw(`INSERT INTO ${schema}.workspace_files SELECT * FROM ${PG_SCHEMA}.workspace_files`).execute(db);
    for (const r of await db.selectFrom('archive_files').select(['sha256', 'ext', 'bytes']).execute()) {
      const file = path.join(archiveDir, r.sha256.slice(0, 2), `${r.sha256}.${r.ext}`);
      if (fs.existsSync(file)) continue;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, r.bytes);
      written.push(file);
    }
  } catch (e) {
    cleanup();
    await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(store.session.db).catch(() => undefined);
    await store.close();
    throw e;
  }
  return {
    store,
    close: () => Promise.resolve(),
    discard: async () => {
      cleanup();
      try {
        await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(store.session.db);
      } finally {
        await store.close();
      }
    },
    install: async () => {
      cleanup();
      const backup = `hoctap_bak_${suffix}`;
      try {
        await store.transaction(async () => {
          await sql.raw(`ALTER SCHEMA ${PG_SCHEMA} RENAME TO ${backup}`).execute(store.session.db);
          await sql.raw(`ALTER SCHEMA ${schema} RENAME TO ${PG_SCHEMA}`).execute(store.session.db);
          await sql.raw(pinGuards(PG_SCHEMA)).execute(store.session.db);
          await grantRoles(store.session, PG_SCHEMA);
        });
      } finally {
        await store.close();
      }
      return { backup: `lược đồ ${backup} của ${shownUrl(url)}` };
    },
  };
}
