/**
 * The store's history: every change of what is in force is an event, a submission can be held, putInForce and
 * diffSubmissions, the journal file beside the archive (what a crash leaves in it is marked void, a cut journal is
 * written again), and a workspace of schema 2 migrating with its history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSubmissions } from '../src/store/diff.ts';
import { APPLICATION_ID } from '../src/store/sqlite/health.ts';
import { MIGRATIONS } from '../src/store/sqlite/schema.ts';
import type { SqliteStore } from '../src/store/sqlite/store.ts';
import { journalPathFor, readJournal } from '../src/store/journal.ts';
import type { NewSubmission, NewValue } from '../src/store/store.ts';
import { acceptedValues, eventsOf, history, openSqlite } from './helpers/sqlite.ts';
import { UserError } from '../src/errors.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-store-history-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });
const dbFile = () => path.join(root, `db${++n}`, 'hoctap.sqlite');

const value = (fieldId: string, num: number | null, text: string | null = null): NewValue => ({
  fieldId, indicatorId: fieldId.split('.').slice(0, 3).join('.'), raw: num === null ? text : String(num), num, text, sheet: 'ChiSo', cell: 'G5', line: null, note: null,
});

function submission(sha: string, over: Partial<NewSubmission> = {}): NewSubmission {
  return {
    unitCode: 'Q1', year: 2024, fileName: `Q1-${sha}.xlsx`, sha256: sha.repeat(64).slice(0, 64), archivePath: `archive/${sha}.xlsx`, sourceKind: 'xlsx',
    catalogVersion: 'c1', templateVersion: '1', receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-02T00:00:00.000Z',
    status: 'accepted', errorCount: 0, warningCount: 0, values: [value('1.1.2-a.m.tu', 700)], messages: [], narratives: [], contact: null,
    user: 'lan', ...over,
  };
}

/** A new store; `db` is its database (the rows the assertions read). */
async function withDb<T>(fn: (s: { db: DatabaseSync; file: string; store: SqliteStore }) => Promise<T>): Promise<T> {
  const file = dbFile();
  const store = openSqlite(file);
  try {
    return await fn({ db: store.db, file, store });
  } finally {
    await store.close();
  }
}

describe('events: every change of what is in force', () => {
  it('a new accepted file is an event (when, who, which in, which out); a rejected or held one is not', async () => {
    await withDb(async ({ db, store }) => {
      await store.recordSubmission(submission('a'));
      await store.recordSubmission(submission('b', { ingestedAt: '2024-12-05T00:00:00.000Z', user: 'minh' }));
      await store.recordSubmission(submission('c', { status: 'rejected', errorCount: 1 }));
      await store.recordSubmission(submission('d', { status: 'held' }));
      expect(eventsOf(db).map((e) => [e.at, e.user, e.reason, e.in_force, e.out_of_force])).toEqual([
        ['2024-12-02T00:00:00.000Z', 'lan', 'file', 1, null],
        ['2024-12-05T00:00:00.000Z', 'minh', 'file', 2, 1],
      ]);
      // Held: kept with its values, not in force; the figures in use are still the second file's.
      expect(history(db, 'Q1', 2024).map((s) => s.status)).toEqual(['superseded', 'accepted', 'rejected', 'held']);
      expect(acceptedValues(db, 2024).map((v) => v.submission_id)).toEqual([2]);
    });
  });

  it('putInForce: confirmation of a held one, restore of an earlier one; each an event; refusals say why', async () => {
    await withDb(async ({ db, store }) => {
      await store.recordSubmission(submission('a'));
      await store.recordSubmission(submission('b', { values: [value('1.1.2-a.m.tu', 800)] }));
      await store.recordSubmission(submission('c', { status: 'rejected', errorCount: 2 }));
      await store.recordSubmission(submission('d', { status: 'held', values: [value('1.1.2-a.m.tu', 900)] }));
      const at = new Date('2024-12-10T03:00:00Z');
      await expect(store.putInForce(99, 'restore', 'lan', at)).rejects.toThrow(/Không có lần nhập #99/);
      await expect(store.putInForce(3, 'restore', 'lan', at)).rejects.toThrow(/đã bị từ chối vì có 2 lỗi/);
      await expect(store.putInForce(1, 'confirmation', 'lan', at)).rejects.toThrow(UserError);
      expect(await store.putInForce(2, 'restore', 'lan', at)).toMatchObject({ changed: false });

      const confirmed = await store.putInForce(4, 'confirmation', 'lan', at);
      expect(confirmed).toMatchObject({ changed: true, in: { id: 4, status: 'accepted' }, out: { id: 2, status: 'superseded', supersededBy: 4 } }); // The store's objects are camelCase (was superseded_by).
      expect(acceptedValues(db, 2024).map((v) => v.value_num)).toEqual([900]);
      const restored = await store.putInForce(1, 'restore', 'minh', new Date('2024-12-11T03:00:00Z'));
      expect(restored).toMatchObject({ changed: true, in: { id: 1, status: 'accepted', supersededBy: null }, out: { id: 4, status: 'superseded' } }); // camelCase (was superseded_by)
      expect(acceptedValues(db, 2024).map((v) => v.value_num)).toEqual([700]);
      expect(eventsOf(db, 'Q1', 2024).slice(2).map((e) => [e.at, e.user, e.reason, e.in_force, e.out_of_force])).toEqual([
        ['2024-12-10T03:00:00.000Z', 'lan', 'confirmation', 4, 2],
        ['2024-12-11T03:00:00.000Z', 'minh', 'restore', 1, 4],
      ]);
      // Nothing is ever deleted.
      expect(history(db, 'Q1', 2024).map((s) => [s.id, s.status])).toEqual([[1, 'accepted'], [2, 'superseded'], [3, 'rejected'], [4, 'superseded']]);
      expect(db.prepare('SELECT count(*) AS n FROM field_values').get()).toEqual({ n: 4 });
    });
  });

  it('diffSubmissions: figures added, changed and removed, per indicator; the same number typed otherwise is no change', async () => {
    await withDb(async ({ store }) => {
      await store.recordSubmission(submission('a', { values: [value('1.1.2-a.m.tu', 700), value('1.1.2-a.m.mau', 1000), value('2.1.1-a.m.tl', 50), value('3.1.1-a.m.xh', null, 'Tăng')] }));
      await store.recordSubmission(submission('b', {
        status: 'held',
        values: [{ ...value('1.1.2-a.m.tu', 700), raw: '700,0' }, value('1.1.2-a.m.mau', 1200), value('3.1.1-a.m.xh', null, 'Giảm'), value('4.2.1-b.m.gt', 5)],
      }));
      const d = await diffSubmissions(store, 1, 2);
      expect(d).toMatchObject({ fromId: 1, toId: 2, added: 1, changed: 2, removed: 1, unchanged: 1 });
      expect(d.indicators.map((i) => [i.indicatorId, i.added.map((f) => f.fieldId), i.changed.map((c) => [c.fieldId, c.from.value, c.to.value]), i.removed.map((f) => f.fieldId)])).toEqual([
        ['1.1.2-a', [], [['1.1.2-a.m.mau', 1000, 1200]], []],
        ['2.1.1-a', [], [], ['2.1.1-a.m.tl']],
        ['3.1.1-a', [], [['3.1.1-a.m.xh', 'Tăng', 'Giảm']], []],
        ['4.2.1-b', ['4.2.1-b.m.gt'], [], []],
      ]);
      // From nothing: everything is added.
      expect(await diffSubmissions(store, null, 2)).toMatchObject({ added: 4, changed: 0, removed: 0, unchanged: 0 });
    });
  });
});

describe('the journal beside the archive', () => {
  it('holds every stored file and event once its transaction commits, fsync\'d, in order', async () => {
    await withDb(async ({ file, store }) => {
      await store.recordSubmission(submission('a'));
      await store.recordUnattributed({ fileName: 'scan.pdf.xlsx', sha256: 'e'.repeat(64), archivePath: 'archive/ee/e.xlsx', receivedAt: 'r', ingestedAt: 'i', code: 'not_a_workbook', reason: 'x', user: 'lan' });
      await store.putInForce(1, 'restore', 'lan');
      const j = readJournal(journalPathFor(file));
      expect(j.entries.map((e) => e.type)).toEqual(['submission', 'event', 'unattributed']);
      expect(j.entries[0]).toMatchObject({ id: 1, unit: 'Q1', year: 2024, status: 'accepted', file: 'Q1-a.xlsx', user: 'lan', archive: 'archive/a.xlsx' });
      expect(store.connection.committedJournalLength()).toBe(fs.statSync(journalPathFor(file)).size);
    });
  });

  it('lines a killed writer appended without committing are marked void, never cut; rebuild\'s reader skips them', async () => {
    await withDb(async ({ file, store }) => {
      await store.recordSubmission(submission('a'));
      const journal = journalPathFor(file);
      const committed = fs.statSync(journal).size;
      // What a writer killed between its append and its commit leaves: whole lines, and one cut in the middle.
      fs.appendFileSync(journal, JSON.stringify({ type: 'submission', id: 2, unit: 'Q9' }) + '\n{"type":"event","id":2,"un');
      const leftover = fs.statSync(journal).size;
      const before = fs.readFileSync(journal, 'utf8');
      await store.recordSubmission(submission('b'));
      const text = fs.readFileSync(journal, 'utf8');
      // Nothing cut: the next line starts after the cut one.
      expect(text.startsWith(before + '\n')).toBe(true);
      const lines = text.trim().split('\n');
      expect(JSON.parse(lines[4])).toMatchObject({ type: 'void', from: committed, to: leftover });
      const j = readJournal(journal);
      expect(j.unreadable).toEqual([]);
      expect(j.entries.map((e) => [e.type, e.id])).toEqual([['submission', 1], ['event', 1], ['submission', 2], ['event', 2]]);
      expect(j.entries.find((e) => e.type === 'submission' && e.id === 2)).toMatchObject({ unit: 'Q1', file: 'Q1-b.xlsx' });
    });
  });

  it('a journal cut shorter than what was committed is kept aside and written again from the database', async () => {
    await withDb(async ({ file, store }) => {
      await store.recordSubmission(submission('a'));
      await store.recordSubmission(submission('b'));
      const journal = journalPathFor(file);
      fs.truncateSync(journal, 40);
      await store.recordSubmission(submission('c'));
      expect(readJournal(journal).entries.map((e) => [e.type, e.id])).toEqual([
        ['submission', 1], ['event', 1], ['submission', 2], ['event', 2], ['submission', 3], ['event', 3],
      ]);
      const cut = fs.readdirSync(path.dirname(journal)).filter((f) => f.startsWith('journal.jsonl.cut-'));
      expect(cut).toHaveLength(1);
      expect(fs.statSync(path.join(path.dirname(journal), cut[0])).size).toBe(40);
    });
  });
});

describe('migration of an existing workspace', () => {
  it('schema 2 with a resubmission: rows and ids kept, held allowed, events and journal lines made from what it holds', async () => {
    const file = dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0]);
    old.exec(MIGRATIONS[1]);
    old.exec('PRAGMA user_version = 2');
    const insert = old.prepare(`INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, received_at, ingested_at, status, value_count, superseded_by)
      VALUES ('Q1', 2023, ?, ?, 'archive/x', 'xlsx', '2023-12-01T00:00:00.000Z', ?, ?, 1, ?)`);
    insert.run('Q1-v1.xlsx', 'a', '2023-12-01T01:00:00.000Z', 'superseded', null);
    insert.run('Q1-v2.xlsx', 'b', '2023-12-05T01:00:00.000Z', 'accepted', null);
    insert.run('Q1-sai.xlsx', 'c', '2023-12-06T01:00:00.000Z', 'rejected', null);
    old.exec('UPDATE submissions SET superseded_by = 2 WHERE id = 1');
    old.prepare(`INSERT INTO field_values (submission_id, field_id, indicator_id, raw, value_num) VALUES (2, '1.1.2-a.m.tu', '1.1.2-a', '5', 5)`).run();
    old.close();

    const store = openSqlite(file);
    const db = store.db;
    try {
      expect(db.prepare('PRAGMA application_id').get()).toEqual({ application_id: APPLICATION_ID });
      expect(history(db, 'Q1', 2023).map((s) => [s.id, s.status, s.superseded_by])).toEqual([[1, 'superseded', 2], [2, 'accepted', null], [3, 'rejected', null]]);
      expect(acceptedValues(db, 2023).map((v) => v.value_num)).toEqual([5]);
      expect(eventsOf(db).map((e) => [e.at, e.user, e.reason, e.in_force, e.out_of_force])).toEqual([
        ['2023-12-01T01:00:00.000Z', null, 'file', 1, null],
        ['2023-12-05T01:00:00.000Z', null, 'file', 2, 1],
      ]);
      expect(readJournal(journalPathFor(file)).entries.map((e) => [e.type, e.id])).toEqual([
        ['submission', 1], ['event', 1], ['submission', 2], ['event', 2], ['submission', 3],
      ]);
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      // The new status is allowed now.
      expect(await store.recordSubmission(submission('d', { year: 2023, status: 'held' }))).toMatchObject({ kind: 'stored', submissionId: 4, supersedes: null });
    } finally {
      await store.close();
    }
  });

  it('a database gone while the journal remains: writing is refused (rebuild first), and no empty database is left', async () => {
    const file = dbFile();
    const store = openSqlite(file);
    await store.recordSubmission(submission('a'));
    await store.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    expect(() => openSqlite(file)).toThrow(/chạy "hoctap rebuild"/);
    expect(fs.existsSync(file)).toBe(false);
  });
});
