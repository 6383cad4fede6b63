/**
 * hoctap.sqlite damaged or replaced: garbage bytes, a valid SQLite database of another application, a file cut
 * short. Every command says so in one Vietnamese line, with exit 2 and the way out (`hoctap rebuild`), never as an
 * internal error; the file is left as it is, and rebuild recreates the database (keeping the bad file aside).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorsForUnit, openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { UserError } from '../src/errors.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { openSqliteForReading as openForReading } from '../src/store/sqlite/open.ts';
import { history, openDatabase } from './helpers/sqlite.ts';
import { runHoctap } from './helpers/cli.ts';
import { smallCsv, yearView } from './helpers/csv.ts';
import { tempDir } from './helpers/tools.ts';
import { batchExitCode } from '../src/cli/commands/ingest.ts';

let root: string;
let ws: Workspace;
let inbox: string;
let good: Buffer;
let submissions: unknown[];

const damages: Record<string, (file: string) => void> = {
  'garbage bytes': (file) => fs.writeFileSync(file, crypto.randomBytes(8192)),
  'another application\'s database': (file) => {
    fs.rmSync(file);
    const other = new DatabaseSync(file);
    other.exec(`CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.vn');`);
    other.close();
  },
  'a file cut short': (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)),
};

const EXPECTED: Record<string, RegExp> = {
  'garbage bytes': /không phải tệp cơ sở dữ liệu SQLite/,
  'another application\'s database': /là cơ sở dữ liệu của một chương trình khác, không phải của hoctap \(có các bảng moz_places\)/,
  'a file cut short': /bị hỏng \(có thể bị cắt cụt hoặc ghi dở\)/,
};

function snapshotOf(file: string): unknown[] {
  // Not read-only: a read-only connection leaves the write-ahead log behind.
  const db = new DatabaseSync(file);
  try {
    return history(db, undefined, undefined);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  root = tempDir('hoctap-health-');
  fs.mkdirSync(path.join(root, 'ws'));
  ws = openWorkspace(path.join(root, 'ws'));
  inbox = path.join(root, 'inbox');
  fs.mkdirSync(inbox);
  // Enough submissions that the database spans many pages (cutting it in half loses some).
  // Units asked indicators in 2024 only: the 2024 roster's mass organisations are asked narratives alone (issue 23).
  const reporting = ws.roster.filter((u) => indicatorsForUnit(yearView(ws, 2024), u).length);
  for (const u of reporting.slice(0, 20)) fs.writeFileSync(path.join(inbox, `${u.code}.csv`), smallCsv(ws, u, 2024, { indicators: 6 }));
  const r = await ingest(ws, [inbox], { receivedAt: new Date('2024-11-15T00:00:00Z') });
  expect(batchExitCode(r)).toBe(0);
  good = fs.readFileSync(ws.dbPath);
  submissions = snapshotOf(ws.dbPath);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a damaged or foreign hoctap.sqlite', () => {
  for (const [kind, damage] of Object.entries(damages)) {
    it(`${kind}: one line, exit 2, nothing written to it; rebuild recreates the database`, () => {
      fs.writeFileSync(ws.dbPath, good);
      damage(ws.dbPath);
      const bad = fs.readFileSync(ws.dbPath);
      // In-process: the store refuses with a UserError (exit 2), for reading and for writing.
      expect(() => openForReading(ws.dbPath)).toThrow(UserError);
      expect(() => openDatabase(ws.dbPath)).toThrow(EXPECTED[kind]);
      for (const args of [['status', '--year', '2024'], ['ingest', inbox, '--format', 'json']]) {
        const r = runHoctap(['-w', ws.dir, ...args]);
        expect(r.status, `${args[0]}: ${r.stderr}`).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines, args[0]).toHaveLength(1);
        expect(lines[0]).toMatch(EXPECTED[kind]);
        expect(lines[0]).toContain('hoctap rebuild');
        expect(lines[0]).not.toMatch(/Lỗi không mong đợi|lỗi của hoctap|SQLITE|malformed/);
      }
      // Left exactly as it was: no log, no schema of ours added.
      expect(fs.readFileSync(ws.dbPath).equals(bad)).toBe(true);
      expect(fs.existsSync(`${ws.dbPath}-wal`)).toBe(false);

      const r = runHoctap(['-w', ws.dir, 'rebuild', '--format', 'json']);
      expect(r.status, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(fs.readFileSync(result.backup).equals(bad)).toBe(true);
      expect(snapshotOf(ws.dbPath)).toEqual(submissions);
      fs.rmSync(result.backup);
    }, 300_000);
  }
});
