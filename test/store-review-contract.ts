/**
 * What any Store engine must do for review and approval (docs/review.md), through the interface only: revisions raised
 * by every change of what is in force and of review, conflicts on a stale revision (all or nothing), approved figures
 * and locked years refused unless forced, the lock's precondition. Runs on node:sqlite (store-review-contract.test.ts)
 * and on every engine added later.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.ts';
import { RevisionConflict, type NewSubmission, type Store } from '../src/store/store.ts';
import type { ContractStore } from './store-contract.ts';

const Y = 2024;

function file(sha: string, unitCode = 'Q1', over: Partial<NewSubmission> = {}): NewSubmission {
  return {
    unitCode, year: Y, fileName: `${unitCode}-${sha}.xlsx`, sha256: sha.repeat(64).slice(0, 64), archivePath: `archive/${sha}.xlsx`,
    sourceKind: 'xlsx', catalogVersion: 'c1', templateVersion: '1', receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-02T00:00:00.000Z',
    status: 'accepted', errorCount: 0, warningCount: 0, user: 'lan', contact: null, messages: [], narratives: [],
    values: [{ fieldId: '1.1.2-a.m.tu', indicatorId: '1.1.2-a', raw: sha, num: null, text: sha, sheet: 'ChiSo', cell: 'G5', line: null, note: null }],
    ...over,
  };
}

const approve = async (db: Store, ...units: string[]) => db.changeReview({
  action: 'approve', year: Y, reason: null, user: 'duyet', units: await Promise.all(units.map(async (u) => ({ unitCode: u, seenRev: (await db.review(u, Y)).rev }))),
});

export function describeReviewContract(name: string, make: () => Promise<ContractStore>): void {
  const withStore = async (fn: (db: Store) => Promise<void>) => {
    const s = await make();
    try {
      await fn(s.store);
    } finally {
      await s.dispose();
    }
  };

  describe(`Store review contract: ${name}`, () => {
    it('a revision per unit and year, raised by a file put in force and by each transition', () => withStore(async (db) => {
      expect(await db.review('Q1', Y)).toEqual({ unitCode: 'Q1', year: Y, rev: 0, state: 'received', reason: null, changedAt: null, changedBy: null });
      await db.recordSubmission(file('a'));
      expect(await db.review('Q1', Y)).toMatchObject({ rev: 1, state: 'received', changedBy: 'lan' });
      const [o] = await approve(db, 'Q1');
      expect(o).toMatchObject({ unitCode: 'Q1', changed: true, event: { action: 'approve', rev: 2, user: 'duyet' } });
      expect((await approve(db, 'Q1'))[0].changed).toBe(false);
      expect((await db.reviewsOfYear(Y)).map((r) => [r.unitCode, r.state, r.rev])).toEqual([['Q1', 'approved', 2]]);
    }));

    it('approved figures change only with an approver\'s confirmation, recorded with its reason', () => withStore(async (db) => {
      await db.recordSubmission(file('a'));
      await approve(db, 'Q1');
      await expect(db.recordSubmission(file('b'))).rejects.toThrow(UserError);
      expect((await db.history()).length).toBe(1);
      expect((await db.inForce('Q1', Y))!.fileName).toBe('Q1-a.xlsx');
      const held = await db.recordSubmission(file('c', 'Q1', { status: 'held' }));
      await expect(db.putInForce((held as { submissionId: number }).submissionId, 'confirmation', 'lan')).rejects.toThrow(UserError);
      await db.recordSubmission(file('b', 'Q1', { force: { reason: 'đính chính', user: 'duyet' } }));
      expect((await db.inForce('Q1', Y))!.fileName).toBe('Q1-b.xlsx');
      expect((await db.reviewEvents({ year: Y })).map((e) => [e.action, e.reason, e.user])).toEqual([['approve', null, 'duyet'], ['force', 'đính chính', 'duyet']]);
      expect((await db.review('Q1', Y)).state).toBe('approved');
    }));

    it('a stale revision is a conflict naming who changed it and when, and nothing of the request is written', () => withStore(async (db) => {
      await db.recordSubmission(file('a', 'Q1'));
      await db.recordSubmission(file('b', 'Q3'));
      const stale = (await db.review('Q3', Y)).rev;
      await db.changeReview({ action: 'return', year: Y, reason: 'thiếu số liệu', user: 'khac', units: [{ unitCode: 'Q3', seenRev: stale }] });
      const q1 = (await db.review('Q1', Y)).rev;
      const attempt = db.changeReview({ action: 'approve', year: Y, reason: null, user: 'duyet', units: [{ unitCode: 'Q1', seenRev: q1 }, { unitCode: 'Q3', seenRev: stale }] });
      await expect(attempt).rejects.toBeInstanceOf(RevisionConflict);
      await expect(attempt).rejects.toThrow(/^Xung đột: đơn vị Q3 năm 2024 vừa được thay đổi bởi khac, /);
      expect((await db.review('Q1', Y)).state).toBe('received');
      expect((await db.reviewEvents()).length).toBe(1);
      // A file stored against the revision read before another change: refused, not stored.
      await expect(db.recordSubmission(file('c', 'Q3', { seenRev: stale }))).rejects.toBeInstanceOf(RevisionConflict);
      expect((await db.history({ unitCode: 'Q3' })).length).toBe(1);
    }));

    it('a returned unit\'s new file is received again', () => withStore(async (db) => {
      await db.recordSubmission(file('a'));
      await db.changeReview({ action: 'return', year: Y, reason: 'sai', user: 'duyet', units: [{ unitCode: 'Q1', seenRev: 1 }] });
      expect((await db.review('Q1', Y)).state).toBe('returned');
      await db.recordSubmission(file('b'));
      expect(await db.review('Q1', Y)).toMatchObject({ state: 'received', reason: null, rev: 3 });
    }));

    it('a year locks only when every unit in force is approved; locked, nothing in force or in review changes', () => withStore(async (db) => {
      await expect(db.changeYearLock({ action: 'lock', year: Y, seenRev: 0, reason: null, user: 'duyet' })).rejects.toThrow(/chưa có số liệu nào đang dùng/);
      await db.recordSubmission(file('a', 'Q1'));
      await db.recordSubmission(file('b', 'Q3'));
      await approve(db, 'Q1');
      await expect(db.changeYearLock({ action: 'lock', year: Y, seenRev: 0, reason: null, user: 'duyet' })).rejects.toThrow(/1\/2 đơn vị .* \(Q3\)/);
      expect((await db.yearLock(Y)).locked).toBe(false);
      await approve(db, 'Q3');
      expect(await db.changeYearLock({ action: 'lock', year: Y, seenRev: 0, reason: null, user: 'duyet' })).toMatchObject({ changed: true, event: { action: 'lock', unitCode: null } });
      await expect(db.changeReview({ action: 'unapprove', year: Y, reason: 'x', user: 'duyet', units: [{ unitCode: 'Q1', seenRev: (await db.review('Q1', Y)).rev }] })).rejects.toThrow(/đã khóa/);
      await expect(db.recordSubmission(file('c', 'Q5'))).rejects.toThrow(/^Năm 2024 đã khóa/);
      await expect(db.changeYearLock({ action: 'unlock', year: Y, seenRev: 1, reason: ' ', user: 'duyet' })).rejects.toThrow(/Cần ghi lý do/);
      await expect(db.changeYearLock({ action: 'unlock', year: Y, seenRev: 0, reason: 'x', user: 'duyet' })).rejects.toBeInstanceOf(RevisionConflict);
      expect(await db.changeYearLock({ action: 'unlock', year: Y, seenRev: 1, reason: 'đính chính', user: 'duyet' })).toMatchObject({ changed: true });
      expect(await db.yearLock(Y)).toMatchObject({ locked: false, rev: 2, reason: 'đính chính' });
    }));
  });
}
