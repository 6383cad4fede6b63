/**
 * Two analysts ingest the same files at the same moment into one PostgreSQL database (two `hoctap ingest` processes,
 * each from its own workspace folder): both end normally, each file is stored once, and the status and scores are
 * exactly those of one ingest of the same files into another database; no row doubled (direct SQL, table by table).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../src/cli/commands/demo.ts';
import { runHoctap, runHoctapAsync } from './helpers/cli.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { halfStored, rows, tableCounts } from './helpers/pg-store.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const LAN = { PGPASSWORD: 'doi-mat-khau-lan' };
const MINH = { PGPASSWORD: 'doi-mat-khau-minh' };
/** The demo's two batches of 2024: the first with files rejected on purpose, the second with corrected and late ones. */
const BATCHES = [['dot-1', '2024-12-06'], ['dot-2', '2024-12-18']] as const;

interface FileOut { file: string; status: string }

/** The output but for the moment it was made. */
const timeless = (out: string) => out.replace(/"(generatedAt|changedAt)": "[^"]*"/g, '');

describe.runIf(pgHere)('two ingests at once into one PostgreSQL database', () => {
  let pg: PgCluster;
  let root: string;
  const ws = (name: string) => path.join(root, name);

  beforeAll(() => {
    pg = startPostgres();
    root = tempDir('hoctap-pg-race-');
    pg.psql(itSqlFromDocs());
    // The reference: the same files ingested once, by one analyst, into a database of its own.
    pg.psql('CREATE DATABASE mot_lan OWNER lan;');
    for (const [name, user, db, env] of [['lan', 'lan', 'hoctap', LAN], ['minh', 'minh', 'hoctap', MINH], ['mot-lan', 'lan', 'mot_lan', LAN]] as const) {
      const r = runHoctap(['init', ws(name), '--database', pg.url(user, db)], { env });
      expect(r.status, r.stderr).toBe(0);
    }
  });
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const ingestArgs = (dir: string, batch: string, day: string) => ['-w', dir, 'ingest', path.join(FIXTURES_DIR, '2024', batch), '--year', '2024', '--received-at', day, '--format', 'json'];

  it('each batch: every file stored once, by one of the two; the database holds what one ingest holds', async () => {
    for (const [batch, day] of BATCHES) {
      const one = runHoctap(ingestArgs(ws('mot-lan'), batch, day), { env: LAN });
      // 1: the first batch holds files rejected on purpose; the second is all accepted.
      expect(one.status, one.stderr).toBe(batch === 'dot-1' ? 1 : 0);
      const [a, b] = await Promise.all([runHoctapAsync(ingestArgs(ws('lan'), batch, day), { env: LAN }), runHoctapAsync(ingestArgs(ws('minh'), batch, day), { env: MINH })]);
      const outcomes = new Map<string, string[]>();
      for (const r of [a, b]) {
        expect(r.status, r.stderr).toBe(one.status);
        expect(r.stderr).not.toMatch(/Lỗi không mong đợi|deadlock|could not serialize|duplicate key|\n\s+at /);
        for (const f of (JSON.parse(r.stdout) as { files: FileOut[] }).files) outcomes.set(path.basename(f.file), [...outcomes.get(path.basename(f.file)) ?? [], f.status]);
      }
      const single = new Map((JSON.parse(one.stdout) as { files: FileOut[] }).files.map((f) => [path.basename(f.file), f.status]));
      expect([...outcomes.keys()].sort()).toEqual([...single.keys()].sort());
      for (const [file, pair] of outcomes) {
        const alone = single.get(file)!;
        // What one ingest does with the file, one of the two did; the other found it already there (or refused it too).
        if (alone === 'accepted' || alone === 'held') expect(pair.sort(), file).toEqual([alone, 'duplicate'].sort());
        else if (alone === 'rejected') expect(pair.filter((s) => s !== 'rejected' && s !== 'duplicate'), file).toEqual([]);
        else expect(pair, file).toEqual([alone, alone]);
      }
      expect(pg.psql(`SELECT count(*) FROM hoctap.submissions`, { db: 'hoctap' }).trim()).not.toBe('0');
      expect(tableCounts(pg, 'hoctap'), `after ${batch}`).toEqual(tableCounts(pg, 'mot_lan'));
      expect(halfStored(pg, 'hoctap')).toEqual([]);
    }
  }, 240_000);

  it('the same status, scores and history as one ingest, from either analyst\'s folder', () => {
    for (const args of [['status', '--year', '2024', '--format', 'json'], ['score', '--year', '2024', '--format', 'json']]) {
      const alone = runHoctap(['-w', ws('mot-lan'), ...args], { env: LAN });
      expect(alone.status, alone.stderr).toBe(0);
      for (const [name, env] of [['lan', LAN], ['minh', MINH]] as const) {
        const r = runHoctap(['-w', ws(name), ...args], { env });
        expect(r.status, r.stderr).toBe(0);
        expect(timeless(r.stdout), `${name}: ${args[0]}`).toBe(timeless(alone.stdout));
      }
    }
    // Which contents are held, and which unit and year each accepted one is: the same set in both databases.
    const held = (db: string) => rows(pg, db, `SELECT unit_code || ' ' || year || ' ' || status || ' ' || sha256 FROM hoctap.submissions ORDER BY 1`);
    expect(held('hoctap')).toEqual(held('mot_lan'));
    const contents = (db: string) => rows(pg, db, 'SELECT sha256 || md5(bytes) FROM hoctap.archive_files ORDER BY 1');
    expect(contents('hoctap')).toEqual(contents('mot_lan'));
  }, 120_000);
});
