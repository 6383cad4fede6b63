/**
 * On PostgreSQL, a batch's files are written while the next one is read (src/store/sql/batch-record.ts): the store has
 * answered for a file before the server has stored it. When the server then refuses it (here a trigger the Sở's IT might
 * have added, refusing one unit), the analyst is told exactly that: the file is named as not stored, in one Vietnamese
 * line with exit 3; it is not listed as stored; the files before it are stored whole; nothing of it is in the database;
 * the same command run again, once the cause is gone, stores the rest and knows the files stored before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorsForUnit, openWorkspace } from '../src/catalog/workspace.ts';
import { runHoctap } from './helpers/cli.ts';
import { smallCsv, yearView } from './helpers/csv.ts';
import { havePostgres, startPostgres, type PgCluster } from './helpers/pg.ts';
import { halfStored, rows, tableCounts } from './helpers/pg-store.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const YEAR = 2024;

describe.runIf(pgHere)('a file the server refuses after the store answered for it (PostgreSQL)', () => {
  let pg: PgCluster;
  let root: string;
  let inbox: string;
  let units: string[];
  const ws = () => path.join(root, 'ws');
  const ingest = () => runHoctap(['-w', ws(), 'ingest', inbox, '--received-at', '2024-12-01', '--format', 'json']);
  const refuse = (unit: string) => pg.psql(`
    CREATE OR REPLACE FUNCTION hoctap.test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.unit_code = '${unit}' THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'P0001'; END IF; RETURN NEW; END $$;
    DROP TRIGGER IF EXISTS test_refuse ON hoctap.submissions;
    CREATE TRIGGER test_refuse BEFORE INSERT ON hoctap.submissions FOR EACH ROW EXECUTE FUNCTION hoctap.test_refuse();`, { db: 'hoctap' });
  const storedUnits = () => rows(pg, 'hoctap', 'SELECT unit_code FROM hoctap.submissions ORDER BY id');

  beforeAll(() => {
    pg = startPostgres();
    root = tempDir('hoctap-pg-behind-');
    inbox = path.join(root, 'inbox');
    fs.mkdirSync(inbox);
    const seed = openWorkspace(path.join(root, 'mau'));
    const asked = seed.roster.filter((u) => indicatorsForUnit(yearView(seed, YEAR), u).length).slice(0, 4);
    units = asked.map((u) => u.code);
    // Named so that the batch takes them in this order.
    asked.forEach((u, i) => fs.writeFileSync(path.join(inbox, `${i + 1}_${u.code}.csv`), smallCsv(seed, u, YEAR)));
    pg.psql('CREATE DATABASE hoctap;');
    const r = runHoctap(['init', ws(), '--database', pg.url('postgres', 'hoctap')]);
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('names the refused file as not stored, lists only what is stored, keeps the files before it whole; a re-run completes', () => {
    refuse(units[1]);
    const first = ingest();
    expect(first.status, first.stderr).toBe(3);
    const said = first.stderr.trim().split('\n');
    expect(said, first.stderr).toHaveLength(1);
    expect(said[0]).toContain(`Không ghi được tệp 2_${units[1]}.csv vào cơ sở dữ liệu (cơ sở dữ liệu từ chối, mã lỗi P0001)`);
    expect(said[0]).toContain('tệp này chưa được lưu');
    expect(first.stderr).not.toMatch(/refused for the test|at .*\.ts:\d+/);
    // Reported: the first file only (the third was never reached); stored: exactly that, whole.
    expect((JSON.parse(first.stdout).files as { file: string; status: string }[]).map((f) => [f.file, f.status])).toEqual([[`1_${units[0]}.csv`, 'accepted']]);
    expect(storedUnits()).toEqual([units[0]]);
    expect(halfStored(pg, 'hoctap')).toEqual([]);
    expect(tableCounts(pg, 'hoctap')).toMatchObject({ submissions: 1, events: 1, journal: 2 });

    // The last file refused: said when the batch commits; the two before it are kept.
    refuse(units[3]);
    const second = ingest();
    expect(second.status, second.stderr).toBe(3);
    expect(second.stderr).toContain(`Không ghi được tệp 4_${units[3]}.csv`);
    expect((JSON.parse(second.stdout).files as { status: string }[]).map((f) => f.status)).toEqual(['duplicate', 'accepted', 'accepted']);
    expect(storedUnits()).toEqual([units[0], units[1], units[2]]);
    expect(halfStored(pg, 'hoctap')).toEqual([]);

    pg.psql('DROP TRIGGER test_refuse ON hoctap.submissions;', { db: 'hoctap' });
    const third = ingest();
    expect(third.status, third.stderr).toBe(0);
    expect((JSON.parse(third.stdout).files as { status: string }[]).map((f) => f.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'accepted']);
    expect(storedUnits()).toEqual(units);
    expect(halfStored(pg, 'hoctap')).toEqual([]);
    expect(tableCounts(pg, 'hoctap')).toMatchObject({ submissions: 4, events: 4, journal: 8 });
  });
});
