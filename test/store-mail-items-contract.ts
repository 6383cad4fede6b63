/**
 * What any Store engine must do for the outbox, the messages read from the mailbox (schema 5) and the structured items
 * of the narrative sheet (schema 8), through the interface only. Runs on the embedded store
 * (store-mail-items-contract.test.ts) and through the query layer on node:sqlite and PostgreSQL
 * (store-contract-engines.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { NewItem, NewOutboxEntry, NewSubmission, Store } from '../src/store/store.ts';
import type { ContractStore } from './store-contract.ts';

let ids = 0;
const entry = (over: Partial<NewOutboxEntry> = {}): NewOutboxEntry => ({
  unitCode: 'Q1', year: 2024, kind: 'templates', dedupKey: 'nam', recipients: 'a@x.vn', subject: 'S', attachmentName: 'q1.xlsx',
  attachmentSha256: 'ab', messageId: `<m${++ids}@x.vn>`, via: 'smtp', owner: 'pc:1', at: '2024-12-01T00:00:00.000Z', ...over,
});

const item = (over: Partial<NewItem>): NewItem => ({
  sectionId: 'III.1', item: 'highlight', ordinal: 1, choice: null, choiceText: null, name: null, text: null, addressee: null, none: false, ...over,
});

function file(sha: string, items: NewItem[], over: Partial<NewSubmission> = {}): NewSubmission {
  return {
    unitCode: 'Q1', year: 2024, fileName: `Q1-${sha}.xlsx`, sha256: sha.repeat(64).slice(0, 64), archivePath: `archive/${sha}.xlsx`,
    sourceKind: 'xlsx', catalogVersion: 'c1', templateVersion: '3', receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-02T00:00:00.000Z',
    status: 'accepted', errorCount: 0, warningCount: 0, values: [], messages: [], narratives: [], contact: null, user: 'lan', items, ...over,
  };
}

export function describeMailItemsContract(name: string, make: () => Promise<ContractStore>): void {
  const withStore = async (fn: (db: Store) => Promise<void>) => {
    const s = await make();
    try {
      await fn(s.store);
    } finally {
      await s.dispose();
    }
  };

  describe(`Store mail and items contract: ${name}`, () => {
    it('a message is claimed once; sent is never claimed again; failed is; sending only when retaken', () => withStore(async (db) => {
      const first = await db.claimOutbox(entry());
      expect(first).toMatchObject({ claimed: true, entry: { id: 1, state: 'sending', attempts: 1, owner: 'pc:1', doneAt: null } });
      // Recorded before the handover: a second run sees it 'sending' and does not claim it.
      const second = await db.claimOutbox(entry());
      expect(second).toMatchObject({ claimed: false, entry: { state: 'sending', messageId: first.entry.messageId } });
      const retaken = await db.claimOutbox(entry({ messageId: '<new@x.vn>', owner: 'pc:2' }), { retake: true });
      expect(retaken).toMatchObject({ claimed: true, entry: { id: 1, attempts: 2, messageId: '<new@x.vn>', owner: 'pc:2' } });
      await db.finishOutbox(retaken.entry.id, 'sent', '250 OK', '2024-12-01T00:01:00.000Z');
      expect(await db.claimOutbox(entry(), { retake: true })).toMatchObject({ claimed: false, entry: { state: 'sent', result: '250 OK', doneAt: '2024-12-01T00:01:00.000Z' } });
      // Another round of the same kind (a reminder another day) is a message of its own; a failed one is tried again.
      const other = await db.claimOutbox(entry({ kind: 'reminders', dedupKey: '2024-12-02', at: '2024-12-02T00:00:00.000Z' }));
      expect(other.entry.id).toBe(2);
      await db.finishOutbox(other.entry.id, 'failed', '550 no such user', '2024-12-02T00:00:00.000Z');
      expect((await db.claimOutbox(entry({ kind: 'reminders', dedupKey: '2024-12-02', at: '2024-12-02T00:00:00.000Z' }))).claimed).toBe(true);
      await db.claimOutbox(entry({ unitCode: 'Q3', year: 2023 }));
      expect((await db.outbox({ unitCode: 'Q1' })).map((e) => [e.kind, e.state])).toEqual([['templates', 'sent'], ['reminders', 'sending']]);
      expect((await db.outbox({ kind: 'templates' })).map((e) => e.unitCode)).toEqual(['Q1', 'Q3']);
      expect((await db.outbox({ year: 2023 })).map((e) => e.unitCode)).toEqual(['Q3']);
      expect((await db.outboxByMessageId(['<unknown@x>', '<new@x.vn>']))?.unitCode).toBe('Q1');
      expect(await db.outboxByMessageId(['<unknown@x>'])).toBeNull();
    }));

    it('a mailbox message is claimed once; a stale claim is taken over; a done one never', () => withStore(async (db) => {
      const m = { messageKey: '<m1@u.vn>', mailbox: 'INBOX', uid: 3, sender: 'u@u.vn', subject: 'Re', receivedAt: null, unitCode: 'Q1', year: 2024, owner: 'pc:1', at: '2024-12-01T10:00:00.000Z' };
      const a = await db.claimSeenMessage(m, '2024-12-01T09:45:00.000Z');
      expect(a).toMatchObject({ claimed: true, seen: { id: 1, state: 'claimed', uid: 3, year: 2024 } });
      expect((await db.claimSeenMessage({ ...m, owner: 'pc:2' }, '2024-12-01T09:50:00.000Z')).claimed).toBe(false);
      // Claimed 10:00 and not done by 10:05: the run stopped; another takes it over.
      expect((await db.claimSeenMessage({ ...m, owner: 'pc:2', uid: 4 }, '2024-12-01T10:05:00.000Z'))).toMatchObject({ claimed: true, seen: { owner: 'pc:2', uid: 4 } });
      await db.finishSeenMessage(a.seen.id, 'archive/ab/abc.eml', 'ok', '2024-12-01T10:21:00.000Z');
      expect((await db.claimSeenMessage({ ...m, owner: 'pc:3' }, '2099-01-01T00:00:00.000Z')).claimed).toBe(false);
      await db.claimSeenMessage({ ...m, messageKey: '<m2@u.vn>', unitCode: null, year: null }, '2024-12-01T09:45:00.000Z');
      expect(await db.seenMessages({ unitCode: 'Q1' })).toMatchObject([{ state: 'done', archivePath: 'archive/ab/abc.eml', owner: 'pc:2', result: 'ok' }]);
      expect((await db.seenMessages()).map((x) => x.messageKey)).toEqual(['<m1@u.vn>', '<m2@u.vn>']);
    }));

    it('keeps a file\'s structured items with it; those in force are the accepted file\'s, in order', () => withStore(async (db) => {
      const first = [item({ ordinal: 2, name: 'Mô hình B', text: 'Kết quả B' }), item({ name: 'Mô hình A', choice: 'CL1' }),
        item({ sectionId: 'IV.1', item: 'proposal', text: 'Đề nghị', addressee: 'Sở Tài chính', choiceText: 'khác' }), item({ sectionId: 'IV.2', item: 'difficulty', none: true })];
      const a = await db.recordSubmission(file('a', first));
      expect(a.kind === 'stored' && a.submissionId).toBe(1);
      expect(await db.itemsOf(1)).toEqual([first[1], first[0], first[2], first[3]]);
      await db.recordSubmission(file('b', [item({ name: 'Mô hình C' })], { unitCode: 'Q3', fileName: 'Q3-b.xlsx' }));
      await db.recordSubmission(file('c', [item({ name: 'Giữ lại' })], { status: 'held' }));
      expect((await db.acceptedItems(2024)).map((i) => [i.unitCode, i.submissionId, i.sectionId, i.ordinal, i.name, i.none]))
        .toEqual([['Q1', 1, 'III.1', 1, 'Mô hình A', false], ['Q1', 1, 'III.1', 2, 'Mô hình B', false], ['Q1', 1, 'IV.1', 1, null, false],
          ['Q1', 1, 'IV.2', 1, null, true], ['Q3', 2, 'III.1', 1, 'Mô hình C', false]]);
      // The held file in force: its items are those in force now.
      await db.putInForce(3, 'confirmation', 'lan');
      expect((await db.acceptedItems(2024)).filter((i) => i.unitCode === 'Q1').map((i) => i.name)).toEqual(['Giữ lại']);
      expect(await db.acceptedItems(2023)).toEqual([]);
    }));
  });
}
