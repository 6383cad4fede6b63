/**
 * Who may do what on the shared PostgreSQL store (docs/review.md "Ai là người duyệt", docs/workspace.md "Làm việc
 * nhóm"), on a throwaway cluster set up with the IT's SQL as the docs write it: the analyst's login (minh) issuing the
 * SQL of approving, returning, locking and changing approved figures directly is refused by the database itself
 * (SQLSTATE YH401) and nothing changes, where the approver's login (lan) succeeds; a client that skips its own check is
 * refused too, in one Vietnamese line; the CLI as minh is refused before anything starts, as lan it works; an analyst's
 * ordinary work (ingest, a file held for an approved unit) passes; `hoctap users` names each login's role.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { sql } from 'kysely';
import { pgFailure } from '../src/store/postgres/errors.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { postgresMigrations } from '../src/store/postgres/schema.ts';
import { runHoctap } from './helpers/cli.ts';
import { smallCsv } from './helpers/csv.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const YEAR = 2024;
const Y = String(YEAR);
const PASSWORDS = { lan: 'doi-mat-khau-lan', minh: 'doi-mat-khau-minh' } as const;
type Login = keyof typeof PASSWORDS;

describe.runIf(pgHere)('roles enforced by PostgreSQL itself', () => {
  let pg: PgCluster;
  let dir: string;
  let ws: Workspace;
  const storeUrl = (who: Login) => pg.url(who, 'hoctap').replace(`${who}@`, `${who}:${PASSWORDS[who]}@`);
  const hoctap = (who: Login, ...args: string[]) => {
    const r = runHoctap(['-w', dir, ...args], { env: { HOCTAP_DATABASE_URL: pg.url(who, 'hoctap'), PGPASSWORD: PASSWORDS[who] }, timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const csv = (name: string, code: string, seed = YEAR) => {
    const file = path.join(dir, 'nhan-ve', name);
    fs.writeFileSync(file, smallCsv(ws, ws.roster.find((u) => u.code === code)!, YEAR, { seed }));
    return file;
  };
  /** What review and the figures in force are: the unit-years, the locks, the review events, the submissions, the events. */
  const STATE = `SELECT string_agg(unit_code || ':' || state || ':' || rev || ':' || coalesce(changed_by, '-'), ' ' ORDER BY unit_code) FROM unit_reviews;
    SELECT string_agg(year || ':' || locked, ' ') FROM year_locks;
    SELECT string_agg(action || ':' || coalesce(unit_code, '-') || ':' || actor, ' ' ORDER BY id) FROM review_events;
    SELECT string_agg(id || ':' || unit_code || ':' || status, ' ' ORDER BY id) FROM submissions;
    SELECT count(*) FROM events;`;
  /** The figures and words of the submissions too. */
  const CONTENTS = `SELECT string_agg(submission_id || ':' || field_id || '=' || coalesce(raw, ''), ' ' ORDER BY submission_id, field_id) FROM field_values;
    SELECT string_agg(submission_id || ':' || section_id, ' ' ORDER BY submission_id, section_id) FROM narratives;`;
  /** As the IT reads it (its own login). */
  const state = (contents = false) => pg.psql(`SET search_path = hoctap; ${STATE} ${contents ? CONTENTS : ''}`, { db: 'hoctap' });
  /** SQL as a login through psql: its error (with its SQLSTATE), or null when it went through. */
  const asLogin = (who: Login, q: string): string | null => {
    try {
      pg.psql(`\\set VERBOSITY verbose\nSET search_path = hoctap;\n${q}`, { db: 'hoctap', user: who, password: PASSWORDS[who] });
      return null;
    } catch (e) {
      return String((e as { stderr?: string }).stderr);
    }
  };

  beforeAll(() => {
    pg = startPostgres();
    pg.psql(itSqlFromDocs());
    dir = path.join(tempDir('hoctap-pg-roles-'), 'ws');
    const init = runHoctap(['init', dir, '--database', pg.url('lan', 'hoctap')], { env: { PGPASSWORD: PASSWORDS.lan } });
    expect(init.status, init.stderr).toBe(0);
    ws = openWorkspace(dir);
    fs.mkdirSync(path.join(dir, 'nhan-ve'));
  }, 120_000);
  afterAll(() => {
    pg?.stop();
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('an analyst\'s ordinary work passes: minh ingests, the files go in force, each unit at revision 1', () => {
    const r = hoctap('minh', 'ingest', csv('Q1.csv', 'Q1'), csv('Q3.csv', 'Q3'), '--year', Y, '--received-at', '01/12/2024');
    expect(r.code, r.stderr).toBe(0);
    const me = os.userInfo().username;
    expect(state()).toBe(`Q1:received:1:${me} Q3:received:1:${me}\n\n\n1:Q1:accepted 2:Q3:accepted\n2\n`);
  }, 120_000);

  it('the SQL of approving, returning, locking, unapproving, changing approved figures: refused to minh (YH401), nothing changed; lan may', async () => {
    // lan approves Q1 through the store: the database lets the approver's login.
    const lan = await openPostgresStore(storeUrl('lan'));
    try {
      await lan.changeReview({ action: 'approve', year: YEAR, units: [{ unitCode: 'Q1', seenRev: 1 }], reason: null, user: 'lan' });
    } finally {
      await lan.close();
    }
    const before = state(true);
    expect(before).toMatch(/^Q1:approved:2:lan Q3:received:1:\S+\n\napprove:Q1:lan\n/);
    expect(before).toMatch(/\n1:\S+=\S+ /); // Q1's figures, which the statements below would change
    const statements = [
      `UPDATE unit_reviews SET state = 'approved', rev = rev + 1 WHERE unit_code = 'Q3' AND year = 2024`,
      `INSERT INTO unit_reviews VALUES ('Q5', 2024, 1, 'approved', NULL, NULL, 'minh')`,
      `UPDATE unit_reviews SET state = 'returned', reason = 'thiếu số liệu' WHERE unit_code = 'Q3' AND year = 2024`,
      `UPDATE unit_reviews SET state = 'received', reason = 'bỏ duyệt' WHERE unit_code = 'Q1' AND year = 2024`,
      `INSERT INTO year_locks VALUES (2024, 1, 1, NULL, '2024-12-09T00:00:00Z', 'minh')`,
      `INSERT INTO review_events (id, at, actor, action, unit_code, year, reason, rev) VALUES (99, '2024-12-09T00:00:00Z', 'minh', 'approve', 'Q3', 2024, NULL, 2)`,
      `UPDATE review_events SET actor = 'minh'`,
      // What ingest --force does to an approved unit: its file in force steps aside, a new one goes in, an event says so.
      `UPDATE submissions SET status = 'superseded' WHERE unit_code = 'Q1' AND year = 2024 AND status = 'accepted'`,
      `UPDATE submissions SET unit_code = 'Q1', status = 'superseded' WHERE unit_code = 'Q3' AND year = 2024`,
      `INSERT INTO events (id, at, "user", reason, unit_code, year, in_force, out_of_force) VALUES (99, '2024-12-09T00:00:00Z', 'minh', 'file', 'Q1', 2024, 1, NULL)`,
      `UPDATE unit_reviews SET rev = rev + 1, changed_by = 'minh' WHERE unit_code = 'Q1' AND year = 2024`,
      // The approved figures themselves, and the words beside them.
      `UPDATE field_values SET raw = '999', value_num = 999 WHERE submission_id = 1`,
      `UPDATE field_values SET submission_id = 2, field_id = field_id || '-chuyen' WHERE submission_id = 1 AND field_id = (SELECT min(field_id) FROM field_values WHERE submission_id = 1)`,
      `INSERT INTO narratives VALUES (1, 'I.9', 'Thêm một đoạn')`,
      // Tables of the analyst's own named as the guards' (temporary ones, searched first unless a path says otherwise)
      // hide nothing from them: their path is pinned to hoctap, pg_catalog, then pg_temp.
      `CREATE TEMP TABLE unit_reviews (LIKE hoctap.unit_reviews); CREATE TEMP TABLE year_locks (LIKE hoctap.year_locks); SET search_path = pg_temp, hoctap;
       UPDATE hoctap.submissions SET status = 'superseded' WHERE unit_code = 'Q1' AND year = 2024 AND status = 'accepted'`,
      `CREATE TEMP TABLE unit_reviews (LIKE hoctap.unit_reviews); CREATE TEMP TABLE submissions (LIKE hoctap.submissions); SET search_path = pg_temp, hoctap;
       UPDATE hoctap.field_values SET raw = '999', value_num = 999 WHERE submission_id = 1`,
    ];
    for (const q of statements) {
      expect(asLogin('minh', q), q).toMatch(/ERROR: {2}YH401: tên đăng nhập "minh" không có vai trò hoctap_approver \(người duyệt\) nên không được /);
      expect(state(true), q).toBe(before);
      // The same statement by the approver's login goes through: what the refusal kept is seen changed inside lan's
      // transaction, rolled back after.
      const asLan = pg.psql(`SET search_path = hoctap; BEGIN; ${q}; ${STATE} ${CONTENTS} ROLLBACK;`, { db: 'hoctap', user: 'lan', password: PASSWORDS.lan });
      expect(asLan, `lan: ${q}`).not.toBe(before);
      expect(state(true), q).toBe(before);
    }
  }, 120_000);

  it('the journal rebuild replays and the archive: a review line or a change of approved figures refused to minh, no line or file changed by anyone', async () => {
    const RECORD = `SELECT count(*) FROM journal; SELECT string_agg(sha256 || ':' || md5(bytes), ' ' ORDER BY sha256) FROM archive_files;`;
    const record = () => pg.psql(`SET search_path = hoctap; ${RECORD}`, { db: 'hoctap' });
    const before = record();
    expect(before).toMatch(/^\d+\n[0-9a-f]{64}:/); // the ingest's lines and files, which the statements below would change
    const review = JSON.stringify({ type: 'review', id: 99, at: '2024-12-09T00:00:00Z', user: 'minh', action: 'approve', unit: 'Q3', year: 2024, reason: null, rev: 2 });
    const event = JSON.stringify({ type: 'event', id: 99, at: '2024-12-09T00:00:00Z', user: 'minh', reason: 'restore', unit: 'Q1', year: 2024, in: 1, out: null });
    const refused: [Login, string, RegExp][] = [
      ['minh', `INSERT INTO journal (submission_id, line) VALUES (NULL, '${review}')`, /không được ghi việc duyệt vào nhật ký/],
      ['minh', `INSERT INTO journal (submission_id, line) VALUES (NULL, '${event}')`, /không được ghi vào nhật ký việc thay số liệu đang dùng đã duyệt .* đơn vị Q1 năm 2024/],
      ['minh', `UPDATE journal SET line = replace(line, 'Q3', 'Q1')`, /không ai được sửa nhật ký/],
      ['lan', `UPDATE journal SET submission_id = NULL`, /không ai được sửa nhật ký/],
      ['minh', `UPDATE archive_files SET bytes = 'x'::bytea`, /không ai được sửa bản lưu tệp đã nhận/],
      ['lan', `UPDATE archive_files SET ext = 'xlsx'`, /không ai được sửa bản lưu tệp đã nhận/],
      ['minh', `INSERT INTO archive_files VALUES ('${'a'.repeat(64)}', 'csv', 1, 'x'::bytea)`, /nội dung ghi vào bản lưu không đúng với mã sha256 a{64}/],
    ];
    for (const [who, q, words] of refused) {
      const error = asLogin(who, q);
      // An approver's act is YH401 (ask an approver); a change of the journal or the archive YH402 (nobody may).
      expect(error, `${who}: ${q}`).toMatch(/không được ghi/.test(words.source) ? /ERROR: {2}YH401: / : /ERROR: {2}YH402: /);
      expect(error, `${who}: ${q}`).toMatch(words);
      expect(record(), q).toBe(before);
    }
    // Said to the user as what it is: nobody may, so no approver to ask (the line of an approver's act would say so).
    const lan = await openPostgresStore(storeUrl('lan'));
    try {
      const refusal = await sql`UPDATE journal SET submission_id = NULL`.execute(lan.session.db).then(() => null, (e: unknown) => e);
      const said = pgFailure(refusal, storeUrl('lan')) as Error;
      expect(said.message).toMatch(/từ chối: không ai được sửa nhật ký: chỉ được ghi thêm; không có gì được ghi\. .*không ai sửa được, kể cả người duyệt/);
      expect(said.message).not.toMatch(/nhờ người duyệt/);
    } finally {
      await lan.close();
    }
    expect(record()).toBe(before);
    // What an analyst's ingest writes passes: a line of a file, a file whose bytes are those its name says.
    const file = JSON.stringify({ type: 'event', id: 98, at: '2024-12-09T00:00:00Z', user: 'minh', reason: 'file', unit: 'Q3', year: 2024, in: 2, out: null });
    expect(asLogin('minh', `BEGIN; INSERT INTO journal (submission_id, line) VALUES (NULL, '${file}');
      INSERT INTO archive_files SELECT encode(sha256('abc'::bytea), 'hex'), 'csv', 3, 'abc'::bytea; ROLLBACK;`)).toBeNull();
  }, 120_000);

  it('a client that skips its own check (the store called as minh) is refused by the database in one Vietnamese line, all or nothing', async () => {
    const before = state();
    const minh = await openPostgresStore(storeUrl('minh'));
    const refusal = /^Cơ sở dữ liệu postgresql:\/\/minh(:\*+)?@\/hoctap\S* từ chối: tên đăng nhập "minh" không có vai trò hoctap_approver \(người duyệt\) nên không được (.*); không có gì được ghi\. Hãy nhờ người duyệt/;
    try {
      await expect(minh.changeReview({ action: 'approve', year: YEAR, units: [{ unitCode: 'Q3', seenRev: 1 }], reason: null, user: 'minh' }))
        .rejects.toThrow(refusal);
      await expect(minh.changeReview({ action: 'return', year: YEAR, units: [{ unitCode: 'Q3', seenRev: 1 }], reason: 'thiếu', user: 'minh' }))
        .rejects.toThrow(/nên không được trả lại báo cáo của đơn vị Q3 năm 2024/);
      // ingest --force of an approved unit, from a client that does not ask: the new file, its event, nothing stays.
      await expect(minh.recordSubmission({
        unitCode: 'Q1', year: YEAR, fileName: 'Q1-ep.csv', sha256: 'e'.repeat(64), archivePath: 'archive/ee/e.csv', sourceKind: 'csv', catalogVersion: null,
        templateVersion: null, receivedAt: '2024-12-05T00:00:00.000Z', ingestedAt: '2024-12-05T00:00:00.000Z', status: 'accepted', errorCount: 0,
        warningCount: 0, values: [], messages: [], narratives: [], contact: null, user: 'minh', force: { reason: 'ép', user: 'minh' },
      })).rejects.toThrow(/nên không được thay số liệu (đã duyệt|đang dùng đã duyệt)/);
      // The session is still usable: the refused transaction was undone, not left open.
      expect((await minh.review('Q3', YEAR)).state).toBe('received');
    } finally {
      await minh.close();
    }
    expect(state()).toBe(before);
    expect(pg.psql(`SELECT count(*) FROM hoctap.journal WHERE line LIKE '%Q1-ep.csv%'`, { db: 'hoctap' }).trim()).toBe('0');
  }, 120_000);

  it('the CLI as minh: approve, lock, unlock, ingest --force refused (exit 2, one line naming the login, the act and lan); as lan they work', async () => {
    const refused = (r: { code: number; stderr: string }, doing: string) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`Tên đăng nhập "minh" không có vai trò người duyệt \\(hoctap_approver\\) trong cơ sở dữ liệu \\S+ nên không được ${doing}\\. Người duyệt: lan\\.`));
    };
    let before = state();
    refused(hoctap('minh', 'approve', 'Q3', '--year', Y), 'duyệt số liệu');
    refused(hoctap('minh', 'return', 'Q3', '--year', Y, '--reason', 'thiếu'), 'trả lại báo cáo cho đơn vị');
    refused(hoctap('minh', 'lock', '--year', Y), 'khóa năm');
    expect(state()).toBe(before);
    // No return notice written either.
    expect(fs.existsSync(path.join(dir, 'feedback')) && fs.readdirSync(path.join(dir, 'feedback'), { recursive: true }).some((f) => String(f).endsWith('.tra-lai.txt'))).toBe(false);

    // A new file of approved Q1 by the analyst: stored, held, nothing in force changed (an analyst's work).
    const later = csv('Q1-gui-lai.csv', 'Q1', 7);
    const held = hoctap('minh', 'ingest', later, '--year', Y, '--format', 'json');
    expect(held.code, held.stderr).toBe(0);
    expect(JSON.parse(held.stdout).files[0]).toMatchObject({ status: 'accepted', held: true });
    expect(state()).toMatch(/ 3:Q1:held\n/);
    before = state();
    refused(hoctap('minh', 'ingest', later, '--year', Y, '--force', '--reason', 'Quận 1 đính chính'), 'dùng --force \\(thay số liệu đã duyệt hoặc của năm đã khóa\\)');
    expect(state()).toBe(before);

    const forced = hoctap('lan', 'ingest', later, '--year', Y, '--force', '--reason', 'Quận 1 đính chính', '--format', 'json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(state()).toMatch(/^Q1:approved:3:\S+ Q3:received:1:\S+\n\napprove:Q1:lan force:Q1:lan\n1:Q1:superseded 2:Q3:accepted 3:Q1:accepted\n3\n$/);
    // lan returns Q3; its new file, ingested by minh, receives it again (the one change of state an analyst's work makes).
    const returned = hoctap('lan', 'return', 'Q3', '--year', Y, '--reason', 'Chỉ số 1.1.2 thiếu số liệu nữ');
    expect(returned.code, returned.stderr).toBe(0);
    expect(state()).toMatch(/ Q3:returned:2:lan\n/);
    const again = hoctap('minh', 'ingest', csv('Q3-gui-lai.csv', 'Q3', 11), '--year', Y);
    expect(again.code, again.stderr).toBe(0);
    expect(state()).toMatch(/ Q3:received:3:\S+\n\napprove:Q1:lan force:Q1:lan return:Q3:lan\n.* 4:Q3:accepted\n/);
    const approved = hoctap('lan', 'approve', 'Q3', '--year', Y);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('Đã duyệt số liệu năm 2024');
    // Every unit approved: the lock's precondition holds, and the database alone refuses minh's store the lock.
    before = state();
    const minh = await openPostgresStore(storeUrl('minh'));
    try {
      await expect(minh.changeYearLock({ action: 'lock', year: YEAR, seenRev: 0, reason: null, user: 'minh' }))
        .rejects.toThrow(/từ chối: tên đăng nhập "minh" không có vai trò hoctap_approver \(người duyệt\) nên không được khóa hoặc mở khóa năm 2024; không có gì được ghi/);
    } finally {
      await minh.close();
    }
    expect(state()).toBe(before);
    const locked = hoctap('lan', 'lock', '--year', Y);
    expect(locked.code, locked.stderr).toBe(0);
    expect(locked.stdout).toContain('Đã khóa số liệu năm 2024 (lan,');
    before = state();
    refused(hoctap('minh', 'unlock', '--year', Y, '--reason', 'mở'), 'mở khóa năm');
    expect(state()).toBe(before);
    expect(before).toMatch(/^Q1:approved:3:\S+ Q3:approved:4:lan\n2024:1\napprove:Q1:lan force:Q1:lan return:Q3:lan approve:Q3:lan lock:-:lan\n/);
  }, 300_000);

  it('hoctap users lists the logins of each role as the database grants them, the current one marked', () => {
    const table = hoctap('minh', 'users');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/lan\s*│\s*Người duyệt\s*│\s*nhập tệp, duyệt, trả lại/);
    expect(table.stdout).toMatch(/minh\s*│\s*Chuyên viên\s*│\s*nhập tệp, xem tình hình nộp.*│\s*bạn/);
    const listed = JSON.parse(hoctap('lan', 'users', '--format', 'json').stdout) as { engine: string; currentUser: string; users: { user: string; role: string; you: boolean; owner: boolean }[] };
    expect(listed.engine).toBe('postgres');
    expect(listed.currentUser).toBe('lan');
    expect(listed.users.map((u) => [u.user, u.role, u.you, u.owner])).toEqual([['lan', 'approver', true, true], ['minh', 'analyst', false, false]]);
    // A login granted the role later, through another role, is listed as the database says it.
    pg.psql(`CREATE ROLE truong_phong NOLOGIN; GRANT hoctap_approver TO truong_phong; CREATE ROLE hoa LOGIN PASSWORD 'x'; GRANT truong_phong TO hoa;`);
    const again = JSON.parse(hoctap('minh', 'users', '--format', 'json').stdout) as typeof listed;
    expect(again.users.map((u) => [u.user, u.role])).toEqual([['hoa', 'approver'], ['lan', 'approver'], ['minh', 'analyst']]);
  }, 120_000);

  it('a store of schema 8 (before the guards) migrated by its owner gets them: what minh could do before is refused after', async () => {
    pg.psql('CREATE DATABASE hoctap8 OWNER lan;');
    const as = (who: Login) => ({ db: 'hoctap8', user: who, password: PASSWORDS[who] });
    // The schema as hoctap made it before (8 migrations), by the owner, with the grants of then.
    pg.psql(`CREATE SCHEMA hoctap; SET search_path = hoctap; CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '8'); ${postgresMigrations().slice(0, 8).join('\n')}
      GRANT USAGE ON SCHEMA hoctap TO hoctap_analyst; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA hoctap TO hoctap_analyst;`, as('lan'));
    const approve = (year: number) => `SET search_path = hoctap; INSERT INTO unit_reviews VALUES ('Q1', ${year}, 1, 'approved', NULL, NULL, 'minh');`;
    // Before: nothing in the database stopped the analyst.
    pg.psql(approve(2023), as('minh'));
    const owner = await openPostgresStore(pg.url('lan', 'hoctap8').replace('lan@', `lan:${PASSWORDS.lan}@`));
    await owner.close();
    expect(pg.psql(`SELECT value FROM hoctap.meta WHERE key = 'schema_version'`, as('lan')).trim()).toBe(String(postgresMigrations().length));
    expect(() => pg.psql(approve(2024), as('minh'))).toThrow(/tên đăng nhập "minh" không có vai trò hoctap_approver \(người duyệt\) nên không được duyệt số liệu của đơn vị Q1 năm 2024/);
    expect(pg.psql(`SELECT string_agg(year::text, ' ') FROM hoctap.unit_reviews`, as('lan')).trim()).toBe('2023');
  }, 120_000);
});
