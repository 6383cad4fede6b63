/**
 * The power cord pulled in the middle of a batch: `hoctap ingest` is killed (SIGKILL, no chance to clean up) while it
 * stores a few hundred files. The database must still pass its integrity check with no half-stored submission, the
 * archive must hold no half-written file once hoctap runs again, running the batch again must store every file
 * exactly once, and the journal must still rebuild the same database.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorsForUnit, openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { committedJournalLength } from './helpers/sqlite.ts';
import { readJournal } from '../src/store/journal.ts';
import { BIN, runHoctap } from './helpers/cli.ts';
import { smallCsv, yearView } from './helpers/csv.ts';
import { tempDir } from './helpers/tools.ts';

const FILES = 300;
let root: string;
let ws: Workspace;
let inbox: string;
const shaOf = new Map<string, string>();

beforeAll(() => {
  root = tempDir('hoctap-crash-');
  ws = openWorkspace(path.join(root, 'ws'));
  inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  // Every unit for enough years: one file per unit and year (a unit twice in a batch would be refused).
  let n = 0;
  for (let year = 2016; n < FILES; year++) {
    for (const unit of ws.roster) {
      if (n === FILES) break;
      // Units asked no indicator that year (the 2024 roster's universities and others, issue 23) have no figures to send.
      if (!indicatorsForUnit(yearView(ws, year), unit).length) continue;
      const text = smallCsv(ws, unit, year);
      fs.writeFileSync(path.join(inbox, `${year}_${unit.code}.csv`), text);
      shaOf.set(`${unit.code}|${year}`, crypto.createHash('sha256').update(text).digest('hex'));
      n++;
    }
  }
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function count(db: DatabaseSync, sql: string): number {
  return Number((db.prepare(sql).get() as { n: number }).n);
}

/** Starts the batch and kills it (SIGKILL) as soon as some files are committed; returns how many were then. */
async function ingestAndKill(): Promise<{ signal: string | null; seen: number }> {
  const child = spawn(process.execPath, [BIN, '-w', ws.dir, 'ingest', inbox, '--received-at', '2024-12-01', '--format', 'json'], {
    env: { ...process.env, HOCTAP_WORKSPACE: '', FORCE_COLOR: '0' }, stdio: 'ignore',
  });
  const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let seen = 0;
  let db: DatabaseSync | null = null;
  const deadline = Date.now() + 60_000;
  while (child.exitCode === null && Date.now() < deadline) {
    try {
      db ??= new DatabaseSync(ws.dbPath, { readOnly: true });
      seen = count(db, 'SELECT count(*) AS n FROM submissions');
    } catch {
      // Not created or migrated yet.
    }
    if (seen >= 20) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  db?.close();
  return { signal: await exited, seen };
}

function archiveFiles(): string[] {
  return fs.readdirSync(ws.archiveDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describe('ingest killed in the middle of a batch of 300 files', () => {
  it('leaves a sound store; running the batch again stores every file exactly once; the journal still rebuilds it', async () => {
    const { signal, seen } = await ingestAndKill();
    expect(signal, 'the batch must still be running when killed').toBe('SIGKILL');

    // A normal connection, as the next command opens it (it recovers the write-ahead log).
    const db = new DatabaseSync(ws.dbPath);
    let stored: number;
    try {
      expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      stored = count(db, 'SELECT count(*) AS n FROM submissions');
      expect(stored).toBeGreaterThanOrEqual(seen);
      expect(stored, 'killed before the end').toBeLessThan(FILES);
      // No half-stored submission: each has all its values and messages, and its event; nothing without its submission.
      const half = db.prepare(`SELECT s.id FROM submissions s WHERE s.value_count = 0
        OR s.value_count <> (SELECT count(*) FROM field_values v WHERE v.submission_id = s.id)
        OR s.warning_count <> (SELECT count(*) FROM messages m WHERE m.submission_id = s.id)
        OR NOT EXISTS (SELECT 1 FROM events e WHERE e.in_force = s.id)`).all();
      expect(half).toEqual([]);
      for (const t of ['field_values', 'messages', 'narratives', 'contacts']) {
        expect(count(db, `SELECT count(*) AS n FROM ${t} WHERE submission_id NOT IN (SELECT id FROM submissions)`), t).toBe(0);
      }
      // The journal file holds at least every committed line.
      expect(fs.statSync(path.join(ws.archiveDir, 'journal.jsonl')).size).toBeGreaterThanOrEqual(committedJournalLength(db));
      expect(count(db, 'SELECT count(*) AS n FROM journal WHERE end_offset IS NULL')).toBe(0);
    } finally {
      db.close();
    }

    const again = runHoctap(['-w', ws.dir, 'ingest', inbox, '--received-at', '2024-12-01', '--format', 'json']);
    expect(again.status, again.stderr).toBe(0);
    const statuses = (JSON.parse(again.stdout).files as { status: string }[]).map((f) => f.status);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(stored);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(FILES - stored);

    const after = new DatabaseSync(ws.dbPath, { readOnly: true });
    try {
      expect(after.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      const rows = after.prepare(`SELECT unit_code, year, sha256, status FROM submissions`).all() as { unit_code: string; year: number; sha256: string; status: string }[];
      expect(rows).toHaveLength(FILES);
      expect(new Set(rows.map((r) => `${r.unit_code}|${r.year}`)).size).toBe(FILES);
      for (const r of rows) {
        expect(r.sha256).toBe(shaOf.get(`${r.unit_code}|${r.year}`));
        expect(r.status).toBe('accepted');
      }
      expect(count(after, 'SELECT count(*) AS n FROM events')).toBe(FILES);
    } finally {
      after.close();
    }
    // Every content archived once, none half-written.
    const archived = archiveFiles();
    expect(archived.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(archived.filter((f) => f.endsWith('.csv'))).toHaveLength(FILES);
    const journal = readJournal(path.join(ws.archiveDir, 'journal.jsonl'));
    expect(journal.entries.filter((e) => e.type === 'submission').map((e) => e.id).sort((a, b) => a - b)).toEqual(Array.from({ length: FILES }, (_, i) => i + 1));
    expect(journal.unreadable.filter((u) => !u.last)).toEqual([]);

    // What the killed run left in the journal is skipped: the rebuilt database is the same.
    const before = runHoctap(['-w', ws.dir, 'history', '--format', 'json']).stdout;
    const rebuilt = runHoctap(['-w', ws.dir, 'rebuild', '--format', 'json']);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ submissions: FILES, differences: [] });
    expect(runHoctap(['-w', ws.dir, 'history', '--format', 'json']).stdout).toBe(before);
  }, 180_000);

  it('a temporary archive file of a process that died is removed by the next ingest; one of a live process is kept', () => {
    const dir = path.join(ws.archiveDir, 'ff');
    fs.mkdirSync(dir, { recursive: true });
    // A process id that no longer runs: one that just ended.
    const gone = spawnAndWait();
    const orphan = path.join(dir, `${'f'.repeat(64)}.csv.${gone}-1.tmp`);
    const live = path.join(dir, `${'f'.repeat(64)}.csv.${process.pid}-1.tmp`);
    fs.writeFileSync(orphan, 'nửa tệp');
    fs.writeFileSync(live, 'đang ghi');
    const r = runHoctap(['-w', ws.dir, 'ingest', path.join(inbox, fs.readdirSync(inbox)[0]), '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    fs.rmSync(live);
  });
});

function spawnAndWait(): number {
  const r = runHoctap(['--version']);
  return r.pid!;
}
