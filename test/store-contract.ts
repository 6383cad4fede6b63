/**
 * What any implementation of the Store interface (src/store/store.ts) must do, whatever its engine: the same
 * suite runs on node:sqlite (test/store-contract.test.ts) and on every engine added later. Engine-neutral: it goes
 * through the interface only (no SQL, no files).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.ts';
import { RevisionConflict, WriteBehindFailed, type NewMessage, type NewSubmission, type NewValue, type Store } from '../src/store/store.ts';

export interface ContractStore {
  /** A new, empty store (opened, and migrated if the engine needs it). */
  store: Store;
  /** Closes it and opens the same data again; absent for an engine whose data lives only while it is open. */
  reopen?: () => Promise<Store>;
  /** Closes what is open and removes what the store left. */
  dispose: () => Promise<void>;
}

const value = (fieldId: string, num: number | null, text: string | null = null): NewValue => ({
  fieldId, indicatorId: fieldId.split('.').slice(0, 3).join('.'), raw: num === null ? text : String(num), num, text,
  sheet: 'ChiSo', cell: 'G5', line: null, note: null,
});

const warning = (code: string, indicatorId: string | null, text: string): NewMessage => ({
  severity: 'warning', code, sheet: 'ChiSo', cell: 'G5', line: null, indicatorId, fieldId: null, valueSeen: '5', expected: null, text, params: null,
});

function submission(sha: string, over: Partial<NewSubmission> = {}): NewSubmission {
  return {
    unitCode: 'Q1', year: 2024, fileName: `Q1-${sha}.xlsx`, sha256: sha.repeat(64).slice(0, 64), archivePath: `archive/${sha}.xlsx`,
    sourceKind: 'xlsx', catalogVersion: 'c1', templateVersion: '1', receivedAt: '2024-12-01T00:00:00.000Z',
    ingestedAt: '2024-12-02T00:00:00.000Z', status: 'accepted', errorCount: 0, warningCount: 0,
    values: [value('1.1.2-a.m.tu', 700)], messages: [], narratives: [], contact: null, user: 'lan', ...over,
  };
}

export function describeStoreContract(name: string, make: () => Promise<ContractStore>): void {
  /** Runs fn on a new store, disposed of afterwards whatever happens. */
  const withStore = async (fn: (s: ContractStore) => Promise<void>) => {
    const s = await make();
    try {
      await fn(s);
    } finally {
      await s.dispose();
    }
  };

  describe(`Store contract: ${name}`, () => {
    it('opens empty, and keeps what it holds when opened again', () => withStore(async (s) => {
      expect(await s.store.history()).toEqual([]);
      expect(await s.store.yearsWithData()).toEqual([]);
      expect(await s.store.events()).toEqual([]);
      expect(await s.store.journal()).toEqual([]);
      expect(await s.store.unattributedFiles()).toEqual([]);
      await s.store.recordSubmission(submission('a'));
      if (!s.reopen) return;
      const again = await s.reopen();
      expect((await again.history()).map((x) => [x.id, x.fileName, x.status])).toEqual([[1, 'Q1-a.xlsx', 'accepted']]);
      expect((await again.journal()).map((e) => e.type)).toEqual(['submission', 'event']);
    }));

    it('records a submission with its values, findings, narratives and contact, as domain objects', () => withStore(async ({ store }) => {
      const outcome = await store.recordSubmission(submission('a', {
        warningCount: 1, values: [value('1.1.2-a.m.tu', 700), value('3.1.1-a.m.xh', null, 'Tăng')],
        messages: [warning('outlier', '1.1.2-a', 'Q1-a.xlsx: ô G5 tăng nhiều')],
        narratives: [{ sectionId: 'chi_dao', text: 'Nội dung' }], contact: { name: 'Lan', position: 'Chuyên viên', phone: null, email: 'lan@x.vn' },
      }));
      expect(outcome).toEqual({ kind: 'stored', submissionId: 1, supersedes: null });
      expect(await store.submission(1)).toEqual({
        id: 1, unitCode: 'Q1', year: 2024, fileName: 'Q1-a.xlsx', sha256: 'a'.repeat(64), archivePath: 'archive/a.xlsx', sourceKind: 'xlsx',
        catalogVersion: 'c1', templateVersion: '1', receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-02T00:00:00.000Z',
        status: 'accepted', errorCount: 0, warningCount: 1, valueCount: 2, supersededBy: null,
      });
      expect(await store.submission(2)).toBeNull();
      expect(await store.valuesOf(1)).toEqual([value('1.1.2-a.m.tu', 700), value('3.1.1-a.m.xh', null, 'Tăng')]);
      expect(await store.messagesOf(1)).toEqual([{ submissionId: 1, ...warning('outlier', '1.1.2-a', 'Q1-a.xlsx: ô G5 tăng nhiều') }]);
      expect(await store.contactOf(1)).toEqual({ name: 'Lan', position: 'Chuyên viên', phone: null, email: 'lan@x.vn' });
      expect(await store.acceptedNarratives(2024)).toEqual([{ unitCode: 'Q1', sectionId: 'chi_dao', text: 'Nội dung', receivedAt: '2024-12-01T00:00:00.000Z' }]);
      expect(await store.acceptedValues(2024)).toEqual([
        { submissionId: 1, unitCode: 'Q1', fieldId: '1.1.2-a.m.tu', indicatorId: '1.1.2-a', raw: '700', num: 700, text: null, cell: 'G5' },
        { submissionId: 1, unitCode: 'Q1', fieldId: '3.1.1-a.m.xh', indicatorId: '3.1.1-a', raw: 'Tăng', num: null, text: 'Tăng', cell: 'G5' },
      ]);
      expect((await store.acceptedValuesOfUnit('Q1', 2024)).map((v) => v.fieldId).sort()).toEqual(['1.1.2-a.m.tu', '3.1.1-a.m.xh']);
      expect(await store.acceptedValuesOfUnit('Q3', 2024)).toEqual([]);
      expect(await store.acceptedSubmissionCount(2024)).toBe(1);
      expect(await store.acceptedSubmissionCount(2023)).toBe(0);
      expect(await store.yearsWithData()).toEqual([2024]);
    }));

    it('knows the same bytes again: a duplicate, unless rejected before and passing now', () => withStore(async ({ store }) => {
      expect(await store.isStored('a'.repeat(64))).toBe(false);
      await store.recordSubmission(submission('a'));
      expect(await store.isStored('a'.repeat(64))).toBe(true);
      expect(await store.recordSubmission(submission('a', { fileName: 'khac.xlsx', receivedAt: '2024-12-09T00:00:00.000Z' })))
        .toEqual({ kind: 'duplicate', submissionId: 1, status: 'accepted', fileName: 'Q1-a.xlsx', receivedAt: '2024-12-01T00:00:00.000Z' });
      const rejected = submission('b', { status: 'rejected', errorCount: 1 });
      expect(await store.recordSubmission(rejected)).toEqual({ kind: 'stored', submissionId: 2, supersedes: null });
      expect(await store.recordSubmission(rejected)).toMatchObject({ kind: 'duplicate', submissionId: 2, status: 'rejected' });
      // The same bytes for another unit are another submission.
      expect(await store.previewSubmission({ unitCode: 'Q3', year: 2024, sha256: 'a'.repeat(64), status: 'accepted' })).toEqual({ kind: 'stored', submissionId: null, supersedes: null });
      const passing = { ...rejected, status: 'accepted' as const, errorCount: 0 };
      expect(await store.previewSubmission(passing)).toEqual({ kind: 'stored', submissionId: null, supersedes: { submissionId: 1, file: 'Q1-a.xlsx' } });
      expect(await store.recordSubmission(passing)).toEqual({ kind: 'stored', submissionId: 3, supersedes: { submissionId: 1, file: 'Q1-a.xlsx' } });
      expect((await store.history()).map((x) => x.status)).toEqual(['superseded', 'rejected', 'accepted']);
    }));

    it('records a file that names no unit once per content', () => withStore(async ({ store }) => {
      const f = { fileName: 'rong.xlsx', sha256: 'e'.repeat(64), archivePath: 'archive/ee/e.xlsx', receivedAt: 'r', ingestedAt: 'i', code: 'empty_file', reason: 'tệp rỗng', user: 'lan' };
      expect(await store.recordUnattributed(f)).toEqual({ id: 1, duplicate: false });
      expect(await store.recordUnattributed({ ...f, fileName: 'rong-2.xlsx' })).toEqual({ id: 1, duplicate: true });
      const { user: _user, ...stored } = f;
      expect(await store.unattributedFiles()).toEqual([{ id: 1, ...stored }]);
      expect((await store.journal()).map((e) => [e.type, e.id])).toEqual([['unattributed', 1]]);
    }));

    it('supersedes, holds, confirms and restores, each change an event; refusals say why', () => withStore(async ({ store }) => {
      await store.recordSubmission(submission('a'));
      await store.recordSubmission(submission('b', { ingestedAt: '2024-12-05T00:00:00.000Z', user: 'minh', values: [value('1.1.2-a.m.tu', 800)] }));
      await store.recordSubmission(submission('c', { status: 'rejected', errorCount: 2 }));
      await store.recordSubmission(submission('d', { status: 'held', values: [value('1.1.2-a.m.tu', 900)] }));
      expect((await store.inForce('Q1', 2024))?.id).toBe(2);
      expect(await store.inForce('Q3', 2024)).toBeNull();
      expect((await store.history({ unitCode: 'Q1', year: 2024 })).map((x) => [x.id, x.status, x.supersededBy]))
        .toEqual([[1, 'superseded', 2], [2, 'accepted', null], [3, 'rejected', null], [4, 'held', null]]);
      const at = new Date('2024-12-10T03:00:00Z');
      await expect(store.putInForce(99, 'restore', 'lan', at)).rejects.toThrow(UserError);
      await expect(store.putInForce(3, 'restore', 'lan', at)).rejects.toThrow(/2 lỗi/);
      await expect(store.putInForce(1, 'confirmation', 'lan', at)).rejects.toThrow(UserError);
      expect(await store.putInForce(2, 'restore', 'lan', at)).toMatchObject({ changed: false, in: { id: 2 } });
      expect(await store.putInForce(4, 'confirmation', 'lan', at))
        .toMatchObject({ changed: true, in: { id: 4, status: 'accepted' }, out: { id: 2, status: 'superseded', supersededBy: 4 } });
      expect((await store.acceptedValues(2024)).map((v) => v.num)).toEqual([900]);
      expect(await store.putInForce(1, 'restore', 'minh', new Date('2024-12-11T03:00:00Z')))
        .toMatchObject({ changed: true, in: { id: 1, status: 'accepted', supersededBy: null }, out: { id: 4, status: 'superseded' } });
      expect((await store.acceptedValues(2024)).map((v) => v.num)).toEqual([700]);
      expect((await store.events({ unitCode: 'Q1', year: 2024 })).map((e) => [e.at, e.user, e.reason, e.inForce, e.outOfForce])).toEqual([
        ['2024-12-02T00:00:00.000Z', 'lan', 'file', 1, null],
        ['2024-12-05T00:00:00.000Z', 'minh', 'file', 2, 1],
        ['2024-12-10T03:00:00.000Z', 'lan', 'confirmation', 4, 2],
        ['2024-12-11T03:00:00.000Z', 'minh', 'restore', 1, 4],
      ]);
      // Nothing is ever deleted; each one keeps its own figures.
      expect((await store.valuesOf(4)).map((v) => v.num)).toEqual([900]);
      expect((await store.history()).map((x) => [x.id, x.status])).toEqual([[1, 'accepted'], [2, 'superseded'], [3, 'rejected'], [4, 'superseded']]);
    }));

    it('filters history and events by unit and year, and orders them', () => withStore(async ({ store }) => {
      await store.recordSubmission(submission('a', { unitCode: 'Q3' }));
      await store.recordSubmission(submission('b', { year: 2023 }));
      await store.recordSubmission(submission('c'));
      expect((await store.history()).map((x) => [x.unitCode, x.year, x.id])).toEqual([['Q1', 2023, 2], ['Q1', 2024, 3], ['Q3', 2024, 1]]);
      expect((await store.history({ year: 2024 })).map((x) => x.id)).toEqual([3, 1]);
      expect((await store.history({ unitCode: 'Q3' })).map((x) => x.id)).toEqual([1]);
      expect((await store.submissionsOfYear(2024)).map((x) => x.id)).toEqual([3, 1]);
      expect((await store.events({ unitCode: 'Q1' })).map((e) => e.inForce)).toEqual([2, 3]);
      expect((await store.events({ year: 2023 })).map((e) => e.inForce)).toEqual([2]);
      expect(await store.yearsWithData()).toEqual([2023, 2024]);
    }));

    it('writes journal lines only with the transaction that stores what they describe', () => withStore(async ({ store }) => {
      await store.recordSubmission(submission('a'));
      expect((await store.journal()).map((e) => [e.type, e.id])).toEqual([['submission', 1], ['event', 1]]);
      expect((await store.journal())[0]).toMatchObject({ unit: 'Q1', year: 2024, status: 'accepted', file: 'Q1-a.xlsx', user: 'lan', archive: 'archive/a.xlsx' });
      await expect(store.transaction(async (tx) => {
        await tx.recordSubmission(submission('b'));
        await tx.putInForce(1, 'restore', 'lan');
        throw new Error('dừng giữa chừng');
      })).rejects.toThrow('dừng giữa chừng');
      // Rolled back: neither the submission, nor the change, nor their journal lines.
      expect((await store.history()).map((x) => [x.id, x.status])).toEqual([[1, 'accepted']]);
      expect(await store.events()).toHaveLength(1);
      expect((await store.journal()).map((e) => [e.type, e.id])).toEqual([['submission', 1], ['event', 1]]);
      const id = await store.transaction(async (tx) => {
        const r = await tx.recordSubmission(submission('c'));
        return r.kind === 'stored' ? r.submissionId : null;
      });
      expect((await store.journal()).map((e) => [e.type, e.id])).toEqual([['submission', 1], ['event', 1], ['submission', id], ['event', 2]]);
    }));

    it('a batch: each file all or nothing, kept when committed, dropped when finished without keeping', () => withStore(async ({ store }) => {
      const batch = store.writeBatch({ maxItems: 2 });
      await batch.begin();
      await store.recordSubmission(submission('a'));
      // One file's writes fail half-way (the same field twice): that file leaves nothing, the batch goes on. The call
      // says so, or, on an engine that writes a batch's files behind its answers (PostgreSQL), the next use of the store
      // does, once, naming the file.
      const broken = submission('b', { unitCode: 'Q3', values: [value('1.1.2-a.m.tu', 1), value('1.1.2-a.m.tu', 2)] });
      const failure = await store.recordSubmission(broken).then(() => store.inForce('Q3', 2024)).then(() => null, (e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      if (failure instanceof WriteBehindFailed) expect([failure.fileName, failure.exitCode]).toEqual(['Q1-b.xlsx', 3]);
      expect(await store.inForce('Q3', 2024)).toBeNull();
      expect(batch.due()).toBe(false);
      await store.recordSubmission(submission('c', { unitCode: 'Q4' }));
      expect(batch.due()).toBe(true);
      await batch.commit();
      expect((await store.history()).map((x) => x.unitCode)).toEqual(['Q1', 'Q4']);
      await batch.begin();
      await store.recordSubmission(submission('d', { unitCode: 'Q5' }));
      expect(await batch.finish(false)).toBe(false);
      expect((await store.history()).map((x) => x.unitCode)).toEqual(['Q1', 'Q4']);
      expect((await store.journal()).filter((e) => e.type === 'submission').map((e) => e.type === 'submission' && e.unit)).toEqual(['Q1', 'Q4']);
      await batch.begin();
      await store.recordSubmission(submission('d', { unitCode: 'Q5' }));
      expect(await batch.finish(true)).toBe(true);
      expect((await store.history()).map((x) => x.unitCode)).toEqual(['Q1', 'Q4', 'Q5']);
    }));

    it('in a batch, each file sees what the files and changes before it did, as outside one', () => withStore(async ({ store }) => {
      const batch = store.writeBatch({ maxItems: 100 });
      await batch.begin();
      await store.recordSubmission(submission('a'));
      expect(await store.recordSubmission(submission('a'))).toMatchObject({ kind: 'duplicate', submissionId: 1, status: 'accepted' });
      expect(await store.recordSubmission(submission('b', { values: [value('1.1.2-a.m.tu', 800)] })))
        .toMatchObject({ kind: 'stored', submissionId: 2, supersedes: { submissionId: 1 } });
      expect(await store.recordSubmission(submission('d', { status: 'held', values: [value('1.1.2-a.m.tu', 900)] }))).toMatchObject({ submissionId: 3 });
      expect((await store.inForce('Q1', 2024))?.id).toBe(2);
      // A change made another way in the same transaction (a confirmation) is seen by the next file of the batch.
      await store.putInForce(3, 'confirmation', 'lan', new Date('2024-12-03T00:00:00Z'));
      const seen = await store.review('Q1', 2024);
      expect(seen).toMatchObject({ rev: 3, changedBy: 'lan' });
      expect(await store.recordSubmission(submission('e', { seenRev: seen.rev, values: [value('1.1.2-a.m.tu', 1000)] })))
        .toMatchObject({ kind: 'stored', submissionId: 4, supersedes: { submissionId: 3 } });
      // A revision read before the last file: a conflict, nothing of it written, and the batch goes on.
      await expect(store.recordSubmission(submission('f', { seenRev: seen.rev }))).rejects.toThrow(RevisionConflict);
      await store.recordSubmission(submission('g', { unitCode: 'Q3' }));
      await batch.commit();
      expect((await store.history()).map((x) => [x.id, x.unitCode, x.status, x.supersededBy])).toEqual([
        [1, 'Q1', 'superseded', 2], [2, 'Q1', 'superseded', 3], [3, 'Q1', 'superseded', 4], [4, 'Q1', 'accepted', null], [5, 'Q3', 'accepted', null],
      ]);
      expect((await store.acceptedValues(2024)).map((v) => [v.unitCode, v.num])).toEqual([['Q1', 1000], ['Q3', 700]]);
      expect((await store.events()).map((e) => [e.id, e.reason, e.inForce, e.outOfForce])).toEqual([
        [1, 'file', 1, null], [2, 'file', 2, 1], [3, 'confirmation', 3, 2], [4, 'file', 4, 3], [5, 'file', 5, null],
      ]);
      expect((await store.journal()).map((e) => `${e.type}:${e.id}`)).toEqual([
        'submission:1', 'event:1', 'submission:2', 'event:2', 'submission:3', 'event:3', 'submission:4', 'event:4', 'submission:5', 'event:5',
      ]);
      expect(await store.review('Q1', 2024)).toMatchObject({ rev: 4, state: 'received', changedBy: 'lan' });
    }));

    it('gives the queries raised on the files in force, with the units\' answers', () => withStore(async ({ store }) => {
      const answer = (indicatorId: string) => `${indicatorId}.giai_trinh`;
      await store.recordSubmission(submission('a', { warningCount: 1, messages: [warning('query_jump', '1.1.2-a', 'cũ')] }));
      await store.recordSubmission(submission('b', {
        warningCount: 3,
        values: [value('1.1.2-a.m.tu', 900), value('1.1.2-a.giai_trinh', null, '  Mở thêm lớp.  ')],
        messages: [warning('query_jump', '1.1.2-a', 'tăng 30%'), warning('outlier', '1.1.2-a', 'không phải câu hỏi'), warning('query_jump', null, 'không có chỉ số')],
      }));
      await store.recordSubmission(submission('c', { unitCode: 'Q3', warningCount: 1, messages: [warning('query_drop', '2.1.1-a', 'giảm')] }));
      await store.recordSubmission(submission('d', { unitCode: 'Q4', status: 'held', warningCount: 1, messages: [warning('query_jump', '1.1.2-a', 'tạm giữ')] }));
      // A query carries its finding's columns too (place, params), for its words to be made at output.
      expect(await store.queriesOfYear(2024, ['query_jump', 'query_drop'], answer)).toMatchObject([
        { submissionId: 2, unitCode: 'Q1', indicatorId: '1.1.2-a', code: 'query_jump', text: 'tăng 30%', answer: 'Mở thêm lớp.' },
        { submissionId: 3, unitCode: 'Q3', indicatorId: '2.1.1-a', code: 'query_drop', text: 'giảm', answer: null },
      ]);
      expect(await store.queriesOfYear(2024, [], answer)).toEqual([]);
      expect(await store.queriesOfYear(2023, ['query_jump'], answer)).toEqual([]);
    }));

    it('keeps the analyst\'s confirmations of figures, each tied to the file in force then, in the journal too', () => withStore(async ({ store }) => {
      const at = '2024-12-20T03:00:00.000Z';
      await expect(store.confirmFigures({ at, user: 'lan', unitCode: 'Q1', year: 2024, indicatorId: '1.1.2-a', reason: 'đã xác minh' }))
        .rejects.toThrow('chưa có số liệu đang dùng của năm 2024');
      await store.recordSubmission(submission('a'));
      const made = await store.confirmFigures({ at, user: 'lan', unitCode: 'Q1', year: 2024, indicatorId: '1.1.2-a', reason: 'đã xác minh' });
      expect(made).toMatchObject({ submissionId: 1, unitCode: 'Q1', indicatorId: '1.1.2-a', reason: 'đã xác minh', user: 'lan', at });
      // A later file of the unit: the confirmation stays with the file it was made over.
      await store.recordSubmission(submission('b'));
      expect(await store.confirmationsOfYear(2024)).toEqual([made]);
      expect(await store.confirmationsOfYear(2023)).toEqual([]);
      expect((await store.journal()).filter((e) => e.type === 'confirmation')).toMatchObject([{ unit: 'Q1', indicator: '1.1.2-a', submission: 1, reason: 'đã xác minh' }]);
    }));

    it('keeps the archived bytes and reads them back', () => withStore(async ({ store }) => {
      const bytes = Buffer.from('PK\u0003\u0004 nội dung tệp');
      const writer = store.archive.writer();
      // Named by its content's sha256, as ingest names it (PostgreSQL refuses bytes another sha256 names).
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const where = writer.write(bytes, sha256, 'xlsx');
      // The same content again is the same place, written once.
      expect(writer.write(bytes, sha256, 'xlsx')).toBe(where);
      await writer.flush();
      expect(await store.archive.read(where)).toEqual(bytes);
      expect(await store.archive.read('archive/00/khong-co.xlsx')).toBeNull();
    }));
  });
}
