import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/store/sqlite/schema.ts';
import type { NewSubmission } from '../src/store/store.ts';
import { acceptedValues, history, messagesOf, openDatabase, openSqlite, unattributedFiles, valuesOfSubmission } from './helpers/sqlite.ts';
import { UserError } from '../src/errors.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-store-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });
const dbFile = () => path.join(root, `db${++n}`, 'hoctap.sqlite');

function submission(over: Partial<NewSubmission> = {}): NewSubmission {
  return {
    unitCode: 'Q1', year: 2024, fileName: 'Q1.xlsx', sha256: 'a'.repeat(64), archivePath: 'archive/aa/x.xlsx', sourceKind: 'xlsx',
    catalogVersion: 'c1', templateVersion: '1', receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-02T00:00:00.000Z',
    status: 'accepted', errorCount: 0, warningCount: 0,
    values: [{ fieldId: '1.1.2-a.m.tu', indicatorId: '1.1.2-a', raw: '700', num: 700, text: null, sheet: 'ChiSo', cell: 'G5', line: null, note: null }],
    messages: [], narratives: [{ sectionId: 'chi_dao', text: 'Nội dung' }], contact: { name: 'Lan', position: null, phone: null, email: null },
    ...over,
  };
}

describe('store', () => {
  it('creates the schema on first use, at the latest version', () => {
    const file = dbFile();
    const db = openDatabase(file);
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(SCHEMA_VERSION);
      const cols = (db.prepare('PRAGMA table_info(field_values)').all() as { name: string }[]).map((c) => c.name);
      expect(cols).toEqual(expect.arrayContaining(['raw', 'value_num', 'value_text', 'sheet', 'cell', 'line', 'note']));
    } finally {
      db.close();
    }
  });

  it('upgrades a database of schema 1 without losing its rows', () => {
    const file = dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0]);
    old.exec('PRAGMA user_version = 1');
    old.prepare(`INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, received_at, ingested_at, status)
      VALUES ('Q1', 2023, 'old.xlsx', 'b', 'archive/b', 'xlsx', '2023-12-01', '2023-12-01', 'accepted')`).run();
    old.prepare(`INSERT INTO field_values (submission_id, field_id, indicator_id, raw, value_num) VALUES (1, '1.1.2-a.m.tu', '1.1.2-a', '5', 5)`).run();
    old.close();
    const db = openDatabase(file);
    try {
      expect(acceptedValues(db, 2023).map((v) => [v.field_id, v.value_num])).toEqual([['1.1.2-a.m.tu', 5]]);
      expect(valuesOfSubmission(db, 1)[0]).toMatchObject({ line: null, note: null });
      expect(unattributedFiles(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses a database made by a newer hoctap, with a one-line reason', () => {
    const file = dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(UserError);
    expect(() => openDatabase(file)).toThrow(/phiên bản hoctap mới hơn/);
  });

  it('a new accepted submission supersedes the earlier one; the earlier keeps its values', async () => {
    const store = openSqlite(dbFile());
    const db = store.db;
    try {
      const first = await store.recordSubmission(submission());
      const second = await store.recordSubmission(submission({ sha256: 'b'.repeat(64), fileName: 'Q1-v2.xlsx', values: [{ ...submission().values[0], raw: '800', num: 800 }] }));
      expect(first).toEqual({ kind: 'stored', submissionId: 1, supersedes: null });
      expect(second).toEqual({ kind: 'stored', submissionId: 2, supersedes: { submissionId: 1, file: 'Q1.xlsx' } });
      expect(history(db, 'Q1', 2024).map((s) => [s.id, s.status, s.superseded_by])).toEqual([[1, 'superseded', 2], [2, 'accepted', null]]);
      expect(acceptedValues(db, 2024).map((v) => v.value_num)).toEqual([800]);
      expect(valuesOfSubmission(db, 1)[0].value_num).toBe(700);
    } finally {
      db.close();
    }
  });

  it('the same bytes again are a duplicate; a rejected file that now passes is stored anew', async () => {
    const store = openSqlite(dbFile());
    const db = store.db;
    try {
      await store.recordSubmission(submission());
      expect(await store.recordSubmission(submission({ receivedAt: '2024-12-09T00:00:00.000Z' }))).toMatchObject({ kind: 'duplicate', submissionId: 1, status: 'accepted' });
      const rejected = submission({ sha256: 'c'.repeat(64), status: 'rejected', errorCount: 1, messages: [{ severity: 'error', code: 'unknown_unit', sheet: null, cell: null, line: null, indicatorId: null, fieldId: null, valueSeen: 'Q1', expected: 'x', text: 'Q1.xlsx: lỗi', params: null }] });
      expect(await store.recordSubmission(rejected)).toMatchObject({ kind: 'stored', submissionId: 2, supersedes: null });
      expect(messagesOf(db, 2).map((m) => [m.code, m.line])).toEqual([['unknown_unit', null]]);
      expect(await store.recordSubmission(rejected)).toMatchObject({ kind: 'duplicate', submissionId: 2, status: 'rejected' });
      expect(await store.previewSubmission({ ...rejected, status: 'accepted' })).toEqual({ kind: 'stored', submissionId: null, supersedes: { submissionId: 1, file: 'Q1.xlsx' } });
      expect(await store.recordSubmission({ ...rejected, status: 'accepted', errorCount: 0, messages: [] })).toMatchObject({ kind: 'stored', submissionId: 3 });
      expect(history(db, 'Q1', 2024).map((s) => s.status)).toEqual(['superseded', 'rejected', 'accepted']);
    } finally {
      db.close();
    }
  });

  it('one transaction per file: a write that fails half-way leaves nothing behind, the accepted one stays accepted', async () => {
    const store = openSqlite(dbFile());
    const db = store.db;
    try {
      await store.recordSubmission(submission());
      const broken = submission({ sha256: 'd'.repeat(64), values: [submission().values[0], submission().values[0]] });
      await expect(store.recordSubmission(broken)).rejects.toThrow();
      expect(history(db, 'Q1', 2024).map((s) => [s.id, s.status, s.superseded_by])).toEqual([[1, 'accepted', null]]);
      expect(db.prepare('SELECT count(*) AS n FROM field_values').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('a file that names no unit is recorded once per content', async () => {
    const store = openSqlite(dbFile());
    const db = store.db;
    try {
      const f = { fileName: 'rong.xlsx', sha256: 'e'.repeat(64), archivePath: 'archive/ee/e.xlsx', receivedAt: 'r', ingestedAt: 'i', code: 'empty_file', reason: 'rong.xlsx: tệp rỗng' };
      expect(await store.recordUnattributed(f)).toEqual({ id: 1, duplicate: false });
      expect(await store.recordUnattributed({ ...f, fileName: 'rong-2.xlsx' })).toEqual({ id: 1, duplicate: true });
      expect(unattributedFiles(db).map((u) => u.file_name)).toEqual(['rong.xlsx']);
    } finally {
      db.close();
    }
  });
});
