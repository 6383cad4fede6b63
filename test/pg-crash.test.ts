/**
 * The power cord pulled in the middle of a batch, on the shared PostgreSQL store: an ingest is killed (SIGKILL) while
 * its write transaction holds files not yet committed. Every submission is then whole (all its values, its archive
 * bytes, its journal line, its event) or absent; the files of the open transaction are absent entirely; `hoctap ingest`
 * run again completes the batch, and the database then holds exactly what one clean ingest of the batch holds.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorsForUnit, openWorkspace } from '../src/catalog/workspace.ts';
import { runHoctap } from './helpers/cli.ts';
import { smallCsv, yearView } from './helpers/csv.ts';
import { havePostgres, startPostgres, type PgCluster } from './helpers/pg.ts';
import { halfStored, rows, tableCounts } from './helpers/pg-store.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const KILLER = path.resolve(import.meta.dirname, 'helpers/ingest-kill-mid-batch.ts');
const FILES = 150;
/** Files stored in the transaction still open when the process dies. */
const OPEN = 5;

describe.runIf(pgHere)('ingest killed in the middle of a write batch, on PostgreSQL', () => {
  let pg: PgCluster;
  let root: string;
  let inbox: string;
  const shaOf = new Map<string, string>();
  const ws = (name: string) => path.join(root, name);

  beforeAll(() => {
    pg = startPostgres();
    root = tempDir('hoctap-pg-crash-');
    inbox = path.join(root, 'inbox');
    fs.mkdirSync(inbox);
    const seed = openWorkspace(ws('mau'));
    // One file per unit and year (a unit twice in a batch would be refused), of units asked figures that year.
    let n = 0;
    for (let year = 2020; n < FILES; year++) {
      for (const unit of seed.roster) {
        if (n === FILES) break;
        if (!indicatorsForUnit(yearView(seed, year), unit).length) continue;
        const text = smallCsv(seed, unit, year);
        fs.writeFileSync(path.join(inbox, `${year}_${unit.code}.csv`), text);
        shaOf.set(`${unit.code}|${year}`, crypto.createHash('sha256').update(text).digest('hex'));
        n++;
      }
    }
    for (const db of ['hoctap', 'mot_lan']) {
      pg.psql(`CREATE DATABASE ${db};`);
      const r = runHoctap(['init', ws(db), '--database', pg.url('postgres', db)]);
      expect(r.status, r.stderr).toBe(0);
    }
  });
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('leaves whole submissions or none; the open transaction\'s files are absent; a re-run completes the batch once', () => {
    const killed = spawnSync(process.execPath, [KILLER, ws('hoctap'), inbox, String(OPEN)], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOCTAP_WORKSPACE: '' } });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const { committed, reported } = JSON.parse(killed.stdout) as { committed: number; reported: number };
    expect(reported - committed).toBe(OPEN);
    expect(reported, 'killed before the end').toBeLessThan(FILES);

    // What was committed is there, whole; the files of the open transaction left nothing, not even their bytes.
    expect(halfStored(pg, 'hoctap')).toEqual([]);
    const counts = tableCounts(pg, 'hoctap');
    expect(counts.submissions).toBe(committed);
    expect(counts.archive_files).toBe(committed);
    expect(counts.events).toBe(committed);
    // The killed session's writer lock went with it: nobody waits on it.
    expect(rows(pg, 'hoctap', `SELECT pid FROM pg_locks WHERE locktype = 'advisory'`)).toEqual([]);

    const again = runHoctap(['-w', ws('hoctap'), 'ingest', inbox, '--received-at', '2024-12-01', '--format', 'json']);
    expect(again.status, again.stderr).toBe(0);
    const statuses = (JSON.parse(again.stdout).files as { status: string }[]).map((f) => f.status);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(committed);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(FILES - committed);

    // Nothing doubled: the same rows, table by table, as one ingest of the batch that nobody killed.
    const clean = runHoctap(['-w', ws('mot_lan'), 'ingest', inbox, '--received-at', '2024-12-01', '--format', 'json']);
    expect(clean.status, clean.stderr).toBe(0);
    expect(tableCounts(pg, 'hoctap')).toEqual(tableCounts(pg, 'mot_lan'));
    expect(halfStored(pg, 'hoctap')).toEqual([]);
    const held = rows(pg, 'hoctap', `SELECT unit_code || '|' || year || ' ' || status || ' ' || sha256 FROM hoctap.submissions`);
    expect(held).toHaveLength(FILES);
    for (const line of held) {
      const [key, status, sha] = line.split(' ');
      expect(status, key).toBe('accepted');
      expect(sha, key).toBe(shaOf.get(key));
    }
    // The journal held in the database names every submission once, in order, and rebuilds the same store.
    const journalIds = rows(pg, 'hoctap', `SELECT (line::json->>'id') FROM hoctap.journal WHERE line::json->>'type' = 'submission' ORDER BY seq`).map(Number);
    expect(journalIds).toEqual([...journalIds].sort((a, b) => a - b));
    expect(new Set(journalIds).size).toBe(FILES);
    const before = runHoctap(['-w', ws('hoctap'), 'history', '--format', 'json']).stdout;
    const rebuilt = runHoctap(['-w', ws('hoctap'), 'rebuild', '--format', 'json']);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ submissions: FILES, differences: [] });
    expect(runHoctap(['-w', ws('hoctap'), 'history', '--format', 'json']).stdout).toBe(before);
  }, 180_000);
});
