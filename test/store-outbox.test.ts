/** The store's outbox and seen messages (migration 5): claimed once, finished, retaken only when told or stale. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open.ts';
import type { NewOutboxEntry } from '../src/store/store.ts';

const entry = (over: Partial<NewOutboxEntry> = {}): NewOutboxEntry => ({
  unitCode: 'Q1', year: 2024, kind: 'templates', dedupKey: 'nam', recipients: 'a@x.vn', subject: 'S', attachmentName: 'q1.xlsx',
  attachmentSha256: 'ab', messageId: `<${Math.random()}@x.vn>`, via: 'smtp', owner: 'pc:1', at: '2024-12-01T00:00:00.000Z', ...over,
});

describe('outbox', () => {
  it('a message is claimed once; sent is never claimed again; failed is; sending only when retaken', async () => {
    const db = await openStore(':memory:');
    const first = await db.claimOutbox(entry());
    expect(first.claimed).toBe(true);
    expect(first.entry.state).toBe('sending');
    // Recorded before the handover: a second run sees it 'sending' and does not claim it.
    const second = await db.claimOutbox(entry());
    expect(second).toMatchObject({ claimed: false, entry: { state: 'sending', messageId: first.entry.messageId } });
    const retaken = await db.claimOutbox(entry({ messageId: '<new@x.vn>' }), { retake: true });
    expect(retaken).toMatchObject({ claimed: true, entry: { attempts: 2, messageId: '<new@x.vn>' } });
    await db.finishOutbox(retaken.entry.id, 'sent', '250 OK', '2024-12-01T00:01:00.000Z');
    expect((await db.claimOutbox(entry(), { retake: true })).claimed).toBe(false);
    // Another round of the same kind (a reminder another day) is a message of its own.
    const other = await db.claimOutbox(entry({ kind: 'reminders', dedupKey: '2024-12-02' }));
    await db.finishOutbox(other.entry.id, 'failed', '550 no such user', '2024-12-02T00:00:00.000Z');
    expect((await db.claimOutbox(entry({ kind: 'reminders', dedupKey: '2024-12-02' }))).claimed).toBe(true);
    expect((await db.outbox({ unitCode: 'Q1' })).map((e) => [e.kind, e.state])).toEqual([['templates', 'sent'], ['reminders', 'sending']]);
    expect((await db.outboxByMessageId(['<unknown@x>', '<new@x.vn>']))?.unitCode).toBe('Q1');
    await db.close();
  });

  it('a mailbox message is claimed once; a stale claim is taken over; a done one never', async () => {
    const db = await openStore(':memory:');
    const m = { messageKey: '<m1@u.vn>', mailbox: 'INBOX', uid: 3, sender: 'u@u.vn', subject: 'Re', receivedAt: null, unitCode: 'Q1', year: 2024, owner: 'pc:1', at: '2024-12-01T10:00:00.000Z' };
    const a = await db.claimSeenMessage(m, '2024-12-01T09:45:00.000Z');
    expect(a.claimed).toBe(true);
    expect((await db.claimSeenMessage({ ...m, owner: 'pc:2' }, '2024-12-01T09:50:00.000Z')).claimed).toBe(false);
    // Claimed 10:00 and not done by 10:20: the run stopped; another takes it over.
    expect((await db.claimSeenMessage({ ...m, owner: 'pc:2' }, '2024-12-01T10:05:00.000Z')).claimed).toBe(true);
    await db.finishSeenMessage(a.seen.id, 'archive/ab/abc.eml', 'ok', '2024-12-01T10:21:00.000Z');
    expect((await db.claimSeenMessage({ ...m, owner: 'pc:3' }, '2099-01-01T00:00:00.000Z')).claimed).toBe(false);
    expect((await db.seenMessages({ unitCode: 'Q1' }))[0]).toMatchObject({ state: 'done', archivePath: 'archive/ab/abc.eml', owner: 'pc:2' });
    await db.close();
  });
});
