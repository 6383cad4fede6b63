/**
 * The roles' rights on the tables of review, confirmations, mail and items (migrations 5 to 8) on a throwaway
 * PostgreSQL cluster set up with the IT's SQL as docs/workspace.md writes it: a store made at schema 4 by the owner and
 * migrated by the owner's next run; an analyst who is not the owner then writes to every new table through the store,
 * except what only an approver may write (migration 9's triggers, which the migration gave the old store too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { PG_SCHEMA_VERSION, postgresMigrations } from '../src/store/postgres/schema.ts';
import type { NewSubmission } from '../src/store/store.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';

const pgHere = havePostgres();
const withPassword = (url: string, user: string, password: string) => url.replace(`${user}@`, `${user}:${password}@`);

const file: NewSubmission = {
  unitCode: 'Q1', year: 2024, fileName: 'Q1.xlsx', sha256: 'a'.repeat(64), archivePath: 'archive/aa/a.xlsx', sourceKind: 'xlsx', catalogVersion: 'c1',
  templateVersion: '3', receivedAt: '2024-12-01T00:00:00.000Z', ingestedAt: '2024-12-02T00:00:00.000Z', status: 'accepted', errorCount: 0, warningCount: 0,
  values: [], messages: [], narratives: [], contact: null, user: 'minh',
  items: [{ sectionId: 'III.1', item: 'highlight', ordinal: 1, choice: null, choiceText: null, name: 'Mô hình', text: 'Kết quả', addressee: null, none: false }],
};

describe.runIf(pgHere)('PostgreSQL roles on the tables of schema 5 to 8', () => {
  let pg: PgCluster;
  let lan: string;
  let minh: string;

  beforeAll(() => {
    pg = startPostgres();
    pg.psql(itSqlFromDocs());
    lan = withPassword(pg.url('lan', 'hoctap'), 'lan', 'doi-mat-khau-lan');
    minh = withPassword(pg.url('minh', 'hoctap'), 'minh', 'doi-mat-khau-minh');
  });
  afterAll(() => pg?.stop());

  it('a store of schema 4 migrated by its owner: the analyst writes review, confirmations, mail and items', async () => {
    // The schema as an earlier hoctap made it (4 migrations), by the owner, with the grants of then.
    const v4 = postgresMigrations().slice(0, 4).join('\n');
    pg.psql(`CREATE SCHEMA hoctap; SET search_path = hoctap; CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '4'); ${v4}
      GRANT USAGE ON SCHEMA hoctap TO hoctap_analyst; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA hoctap TO hoctap_analyst;`,
    { db: 'hoctap', user: 'lan', password: 'doi-mat-khau-lan' });
    // The analyst cannot bring it up to date: one line says who must, and nothing changed.
    await expect(openPostgresStore(minh)).rejects.toThrow(/có lược đồ 4, cũ hơn phiên bản hoctap này .*người sở hữu cơ sở dữ liệu chạy một lệnh/);
    expect(pg.psql(`SELECT value FROM hoctap.meta WHERE key = 'schema_version'`, { db: 'hoctap' }).trim()).toBe('4');
    const owner = await openPostgresStore(lan);
    await owner.close();
    expect(pg.psql(`SELECT value FROM hoctap.meta WHERE key = 'schema_version'`, { db: 'hoctap' }).trim()).toBe(String(PG_SCHEMA_VERSION));
    // Migration 9 gave the old store its guards: one trigger on each table of review and of the figures in force.
    expect(pg.psql(`SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'hoctap' AND t.tgname = 'hoctap_guard' AND t.tgenabled = 'O'`, { db: 'hoctap' }).trim())
      .toBe('archive_files events journal review_events submissions unit_reviews year_locks');
    for (const table of ['outbox', 'mail_seen', 'confirmations', 'unit_reviews', 'year_locks', 'review_events', 'narrative_items']) {
      expect(pg.psql(`SELECT has_table_privilege('minh', 'hoctap.${table}', 'SELECT, INSERT, UPDATE')`, { db: 'hoctap' }).trim(), table).toBe('t');
      // Nothing is ever deleted: not even an analyst's own rows.
      expect(pg.psql(`SELECT has_table_privilege('minh', 'hoctap.${table}', 'DELETE')`, { db: 'hoctap' }).trim(), table).toBe('f');
    }

    const db = await openPostgresStore(minh);
    try {
      await db.recordSubmission(file);
      expect((await db.acceptedItems(2024)).map((i) => i.name)).toEqual(['Mô hình']);
      await db.confirmFigures({ at: '2024-12-03T00:00:00.000Z', user: 'minh', unitCode: 'Q1', year: 2024, indicatorId: '1.1.2-a', reason: 'đã xác minh' });
      expect(await db.confirmationsOfYear(2024)).toHaveLength(1);
      // Approving and locking are the approver's (migration 9, docs/review.md): the analyst may write review's tables
      // only as their own work does, so the database refuses minh and nothing is written; lan, the approver, does it.
      await expect(db.changeReview({ action: 'approve', year: 2024, units: [{ unitCode: 'Q1', seenRev: 1 }], reason: null, user: 'minh' }))
        .rejects.toThrow(/từ chối: tên đăng nhập "minh" không có vai trò hoctap_approver/);
      expect(await db.reviewEvents({ year: 2024 })).toEqual([]);
      const approver = await openPostgresStore(lan);
      try {
        await approver.changeReview({ action: 'approve', year: 2024, units: [{ unitCode: 'Q1', seenRev: 1 }], reason: null, user: 'lan' });
        await approver.changeYearLock({ action: 'lock', year: 2024, seenRev: 0, reason: null, user: 'lan' });
      } finally {
        await approver.close();
      }
      expect((await db.reviewEvents({ year: 2024 })).map((e) => e.action)).toEqual(['approve', 'lock']);
      expect(await db.yearLock(2024)).toMatchObject({ locked: true, rev: 1 });
      const claim = await db.claimOutbox({
        unitCode: 'Q1', year: 2024, kind: 'feedback', dedupKey: 'x', recipients: 'q1@x.vn', subject: 'S', attachmentName: null, attachmentSha256: null,
        messageId: '<m@x.vn>', via: 'smtp', owner: 'pc:1', at: '2024-12-04T00:00:00.000Z',
      });
      await db.finishOutbox(claim.entry.id, 'sent', '250 OK', '2024-12-04T00:00:01.000Z');
      const seen = await db.claimSeenMessage({
        messageKey: '<r@x.vn>', mailbox: 'INBOX', uid: 1, sender: null, subject: null, receivedAt: null, unitCode: 'Q1', year: 2024, owner: 'pc:1', at: '2024-12-05T00:00:00.000Z',
      }, '2024-12-04T23:00:00.000Z');
      await db.finishSeenMessage(seen.seen.id, null, 'ok', '2024-12-05T00:00:01.000Z');
      expect((await db.outbox()).map((e) => e.state)).toEqual(['sent']);
      expect((await db.seenMessages()).map((m) => m.state)).toEqual(['done']);
    } finally {
      await db.close();
    }
  }, 120_000);
});
