/**
 * `store copy` (src/store/copy.ts) keeps what schemas 5 to 8 added: a file's structured items, the analyst's
 * confirmations, review states, year locks and transitions, the outbox and the messages read from the mailbox, with
 * their ids; the copy goes on where the original stopped (the next ids, the revisions).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStoreToPostgres } from '../src/store/copy.ts';
import { openStore } from '../src/store/open.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import type { NewSubmission, Store } from '../src/store/store.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const file = (unitCode: string, sha: string): NewSubmission => ({
  unitCode, year: 2024, fileName: `${unitCode}.xlsx`, sha256: sha.repeat(64), archivePath: `archive/${sha}${sha}/${sha.repeat(64)}.xlsx`, sourceKind: 'xlsx',
  catalogVersion: 'c1', templateVersion: '3', receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-02T00:00:00.000Z', status: 'accepted',
  errorCount: 0, warningCount: 0, values: [], messages: [], narratives: [], contact: null, user: 'lan',
  items: [{ sectionId: 'V.1', item: 'nomination', ordinal: 1, choice: 'TT', choiceText: null, name: `Tập thể ${unitCode}`, text: 'Thành tích', addressee: null, none: false }],
});

/** Everything of schemas 5 to 8 that a store holds, as the interface gives it. */
async function held(db: Store) {
  return {
    items: await db.acceptedItems(2024), confirmations: await db.confirmationsOfYear(2024), reviews: await db.reviewsOfYear(2024),
    lock: await db.yearLock(2024), reviewEvents: await db.reviewEvents(), outbox: await db.outbox(), seen: await db.seenMessages(),
  };
}

describe.runIf(havePostgres())('store copy keeps review, confirmations, mail and items', () => {
  let pg: PgCluster;
  let root: string;

  beforeAll(() => {
    pg = startPostgres();
    pg.psql(itSqlFromDocs());
    root = tempDir('hoctap-copy-review-');
  });
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('copies them with their ids, and the copy goes on from there', async () => {
    const dbFile = path.join(root, 'ws', 'hoctap.sqlite');
    const src = await openStore(dbFile);
    await src.recordSubmission(file('Q1', 'a'));
    await src.recordSubmission(file('Q3', 'b'));
    await src.confirmFigures({ at: '2024-12-03T00:00:00.000Z', user: 'lan', unitCode: 'Q1', year: 2024, indicatorId: '1.1.2-a', reason: 'đã xác minh' });
    await src.changeReview({ action: 'approve', year: 2024, units: [{ unitCode: 'Q1', seenRev: 1 }, { unitCode: 'Q3', seenRev: 1 }], reason: null, user: 'lan' });
    await src.changeYearLock({ action: 'lock', year: 2024, seenRev: 0, reason: null, user: 'lan' });
    const sent = await src.claimOutbox({
      unitCode: 'Q1', year: 2024, kind: 'templates', dedupKey: 'nam', recipients: 'q1@x.vn', subject: 'Biểu mẫu', attachmentName: 'Q1.xlsx',
      attachmentSha256: 'c'.repeat(64), messageId: '<t1@x.vn>', via: 'smtp', owner: 'pc:1', at: '2024-11-01T00:00:00.000Z',
    });
    await src.finishOutbox(sent.entry.id, 'sent', '250 OK', '2024-11-01T00:00:01.000Z');
    const seen = await src.claimSeenMessage({
      messageKey: '<r1@q1.vn>', mailbox: 'INBOX', uid: 7, sender: 'q1@x.vn', subject: 'Re: Biểu mẫu', receivedAt: '2024-12-01T00:00:00.000Z',
      unitCode: 'Q1', year: 2024, owner: 'pc:1', at: '2024-12-01T01:00:00.000Z',
    }, '2024-12-01T00:00:00.000Z');
    await src.finishSeenMessage(seen.seen.id, 'archive/dd/d.eml', 'ok', '2024-12-01T01:00:01.000Z');
    const before = await held(src);
    await src.close();
    expect(before.items).toHaveLength(2);
    expect(before.reviewEvents).toHaveLength(3);

    const url = pg.url('lan', 'hoctap').replace('lan@', 'lan:doi-mat-khau-lan@');
    await copyStoreToPostgres(dbFile, url);
    const db = await openPostgresStore(url);
    try {
      expect(await held(db)).toEqual(before);
      // The year stays locked: a new file of Q1 is refused as on the original.
      await expect(db.recordSubmission(file('Q1', 'e'))).rejects.toThrow(/Năm 2024 đã khóa/);
      // The next rows follow the copied ones.
      const unlocked = await db.changeYearLock({ action: 'unlock', year: 2024, seenRev: 1, reason: 'đính chính', user: 'lan' });
      expect(unlocked.changed && unlocked.event.id).toBe(4);
      const again = await db.claimOutbox({ ...sent.entry, dedupKey: 'khac', messageId: '<t2@x.vn>', owner: 'pc:2', at: '2024-12-09T00:00:00.000Z' });
      expect(again.entry.id).toBe(2);
    } finally {
      await db.close();
    }
  }, 120_000);
});
