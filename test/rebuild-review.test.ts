/**
 * `hoctap rebuild` keeps review and mail (issue 24): approvals, a return, a file kept out of force then confirmed by the
 * approver (--force), a file forced in directly, the year's lock, and the outbox of the templates sent are journaled
 * with their transactions; after rebuild status and history say the same (states, revisions, transitions), and
 * `send templates` again sends nothing. On the embedded store and on PostgreSQL (the journal is its table there).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { runHoctap } from './helpers/cli.ts';
import { smallCsv } from './helpers/csv.ts';
import { mailWorkspace } from './helpers/mail-workspace.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const ME = os.userInfo().username;
const Y = '2024';
const root = tempDir('hoctap-rebuild-review-');
let pg: PgCluster | null = null;
afterAll(() => {
  pg?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A workspace of three units with e-mails, its templates drafted (no SMTP: the outbox records them as drafted). */
function prepared(name: string): { ws: string; units: string[]; csv: (file: string, code: string, seed: number) => string } {
  const { ws, units } = mailWorkspace(path.join(root, name), 3, {});
  const config = path.join(ws, 'hoctap.config.json');
  fs.writeFileSync(config, JSON.stringify({ ...JSON.parse(fs.readFileSync(config, 'utf8')), approvers: [ME] }, null, 2));
  const w = openWorkspace(ws);
  const inbox = path.join(ws, '..', 'inbox');
  fs.mkdirSync(inbox, { recursive: true });
  const csv = (file: string, code: string, seed: number) => {
    fs.writeFileSync(path.join(inbox, file), smallCsv(w, w.roster.find((u) => u.code === code)!, 2024, { seed }));
    return path.join(inbox, file);
  };
  return { ws, units, csv };
}

/** Approve, return, receive again, keep out then force, force directly, lock: each through the CLI. */
function review(ws: string, units: string[], csv: (file: string, code: string, seed: number) => string, env: NodeJS.ProcessEnv): void {
  const run = (...args: string[]) => {
    const r = runHoctap(['-w', ws, ...args], { env, timeout: 120_000 });
    expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  const [a, b] = units;
  run('ingest', csv('a1.csv', a, 1), csv('b1.csv', b, 1), '--year', Y, '--received-at', '2024-12-01');
  run('approve', a, '--year', Y);
  run('return', b, '--year', Y, '--reason', 'Thiếu số liệu nữ');
  run('ingest', csv('b2.csv', b, 2), '--year', Y, '--received-at', '2024-12-03');
  run('approve', b, '--year', Y);
  const late = csv('a2.csv', a, 2);
  expect(run('ingest', late, '--year', Y, '--received-at', '2024-12-04').stdout).toContain('Đã lưu, không dùng');
  run('ingest', late, '--year', Y, '--force', '--reason', 'Đính chính theo công văn');
  run('ingest', csv('a3.csv', a, 3), '--year', Y, '--received-at', '2024-12-05', '--force', '--reason', 'Bổ sung lần hai');
  run('lock', '--year', Y);
}

/** What status and history say of review and mail, as JSON and as the table the analyst reads. */
function said(ws: string, env: NodeJS.ProcessEnv) {
  const read = (...args: string[]) => {
    const r = runHoctap(['-w', ws, ...args], { env, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const status = JSON.parse(read('status', '--year', Y, '--format', 'json')) as { locked: boolean; units: { unitCode: string; review: unknown }[] };
  const history = JSON.parse(read('history', '--year', Y, '--format', 'json')) as { reviews: unknown[] };
  return { locked: status.locked, reviews: status.units.map((u) => [u.unitCode, u.review]), transitions: history.reviews, table: read('history', '--year', Y) };
}

function rebuiltTheSame(ws: string, units: string[], env: NodeJS.ProcessEnv): void {
  const before = said(ws, env);
  // Guards that the comparison can fail: the states are not the defaults a store without review would show.
  expect(before.locked).toBe(true);
  expect(before.transitions.map((e) => (e as { action: string }).action)).toEqual(['approve', 'return', 'approve', 'force', 'force', 'lock']);
  expect(before.reviews.find(([c]) => c === units[0])![1]).toMatchObject({ state: 'approved', rev: 4 });
  expect(before.table).toContain('Thư đã gửi (3)');
  const r = runHoctap(['-w', ws, 'rebuild'], { env, timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('Đã dựng lại');
  expect(said(ws, env)).toEqual(before);
  // The outbox came back: the templates are not drafted (sent) a second time.
  const again = runHoctap(['-w', ws, 'send', 'templates', '--year', Y, '--format', 'json'], { env, timeout: 120_000 });
  expect(again.status, again.stderr).toBe(0);
  expect((JSON.parse(again.stdout) as { messages: { state: string }[] }).messages.map((m) => m.state)).toEqual(['already', 'already', 'already']);
}

describe('rebuild keeps review and the outbox', { timeout: 900_000 }, () => {
  it('on the embedded store', () => {
    const { ws, units, csv } = prepared('sqlite');
    expect(runHoctap(['-w', ws, 'send', 'templates', '--year', Y]).status).toBe(0);
    review(ws, units, csv, {});
    const journal = fs.readFileSync(path.join(ws, 'archive', 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"type":"review"');
    rebuiltTheSame(ws, units, {});
  });

  it.runIf(havePostgres())('on PostgreSQL (the journal is the store\'s table)', () => {
    pg = startPostgres();
    pg.psql(itSqlFromDocs());
    const env = { PGPASSWORD: 'doi-mat-khau-lan' };
    const { ws, units, csv } = prepared('pg');
    expect(runHoctap(['-w', ws, 'send', 'templates', '--year', Y]).status).toBe(0);
    const copy = runHoctap(['-w', ws, 'store', 'copy', '--to', pg.url('lan', 'hoctap')], { env });
    expect(copy.status, copy.stderr).toBe(0);
    review(ws, units, csv, env);
    expect(pg.psql(`SELECT count(*) FROM hoctap.journal WHERE line LIKE '{"type":"review"%'`, { db: 'hoctap' }).trim()).toBe('6');
    rebuiltTheSame(ws, units, env);
  });
});
