/**
 * The workspace files every analyst must see alike, held in the shared store (PostgreSQL, table workspace_files): the
 * config, the rosters and targets, each year's config and snapshot (what was in force when its templates went out) and
 * the signing key. Each command on a shared workspace syncs them before and after it runs (src/cli/commands/store.ts):
 * a file changed here since the last sync goes to the store, one changed in the store comes here, and when both changed
 * the store's wins and this PC's copy is kept beside it (said on stderr). `.hoctap-shared.json` remembers the last sync.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic.ts';
import type { SqlStore } from './sql/store.ts';
import { currentUser } from './user.ts';

const TOP = ['hoctap.config.json', 'roster.csv', 'targets.csv', '.hoctap-key'];
const PER_YEAR = ['config.json', 'roster.csv', 'targets.csv', 'snapshot.json'];
const RECORD = '.hoctap-shared.json';

/** The shared files this workspace has (paths relative to it, with '/'). */
function localFiles(dir: string): string[] {
  const found = TOP.filter((f) => fs.existsSync(path.join(dir, f)));
  const years = path.join(dir, 'years');
  if (fs.existsSync(years)) {
    for (const y of fs.readdirSync(years).filter((d) => /^\d{4}$/.test(d)).sort()) {
      for (const f of PER_YEAR) if (fs.existsSync(path.join(years, y, f))) found.push(`years/${y}/${f}`);
    }
  }
  return found;
}

const isShared = (p: string) => TOP.includes(p) || /^years\/\d{4}\/(config\.json|roster\.csv|targets\.csv|snapshot\.json)$/.test(p);
const hash = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

export interface SyncResult { pushed: string[]; pulled: string[]; keptAside: string[] }

export async function syncSharedFiles(store: SqlStore, dir: string, now = new Date()): Promise<SyncResult> {
  const recordFile = path.join(dir, RECORD);
  const record = fs.existsSync(recordFile) ? (JSON.parse(fs.readFileSync(recordFile, 'utf8')) as Record<string, string>) : {};
  const result: SyncResult = { pushed: [], pulled: [], keptAside: [] };
  await store.transaction(async () => {
    const rows = new Map((await store.session.db.selectFrom('workspace_files').selectAll().execute()).filter((r) => isShared(r.path)).map((r) => [r.path, r]));
    for (const p of [...new Set([...localFiles(dir), ...rows.keys()])].sort()) {
      const file = path.join(dir, ...p.split('/'));
      const local = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      const remote = rows.get(p) ?? null;
      const lh = local === null ? null : hash(local);
      const rh = remote === null ? null : hash(remote.content);
      if (lh !== rh) {
        const push = remote === null || (local !== null && record[p] === rh);
        if (push) {
          const at = fs.statSync(file).mtime.toISOString();
          await store.session.db.insertInto('workspace_files').values({ path: p, content: local!, updated_at: at, updated_by: currentUser() })
            .onConflict((oc) => oc.column('path').doUpdateSet({ content: local!, updated_at: at, updated_by: currentUser() })).execute();
          result.pushed.push(p);
        } else {
          // Both changed since the last sync: this PC's copy is kept beside the store's.
          if (local !== null && record[p] !== undefined && record[p] !== lh) {
            const aside = `${file}.cua-may-nay-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
            fs.copyFileSync(file, aside);
            result.keptAside.push(path.relative(dir, aside));
          }
          fs.mkdirSync(path.dirname(file), { recursive: true });
          writeFileAtomic(file, remote!.content);
          const at = new Date(remote!.updated_at);
          fs.utimesSync(file, at, at);
          // The signing key stays readable by its owner only, as generate-templates makes it.
          if (p === '.hoctap-key') fs.chmodSync(file, 0o600);
          result.pulled.push(p);
        }
      }
      const synced = hash(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
      record[p] = synced;
    }
  });
  writeFileAtomic(recordFile, JSON.stringify(record, null, 2) + '\n');
  return result;
}
