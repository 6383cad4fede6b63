/**
 * `hoctap store copy --to postgresql://…`: an embedded workspace moved to a shared database. Round trip: what status,
 * history and score said before, they say the same after, now read from PostgreSQL; the original files are untouched;
 * a second copy into a database that holds data, and a copy while another long job runs, are refused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../src/cli/commands/demo.ts';
import { runHoctap } from './helpers/cli.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const LAN = { PGPASSWORD: 'doi-mat-khau-lan' };
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const READS = [['status', '--year', '2024', '--format', 'json'], ['history'], ['score', '--year', '2024', '--format', 'json']];
const same = (out: string) => out.replace(/"generatedAt": "[^"]*"/, '');

describe.runIf(havePostgres())('store copy to PostgreSQL', () => {
  let pg: PgCluster;
  let root: string;
  let ws: string;

  beforeAll(() => {
    pg = startPostgres();
    pg.psql(itSqlFromDocs());
    root = tempDir('hoctap-store-copy-');
    ws = path.join(root, 'ws');
    const inbox = path.join(root, 'nhan-ve');
    fs.mkdirSync(inbox);
    for (const f of ['2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx', '2024_SYT_So-Y-te.xlsx', '2024_SKHCN_xuat-tu-he-thong.csv', '2023_Q5_Uy-ban-nhan-dan-Quan-5.xlsx']) {
      fs.copyFileSync(path.join(FIXTURES_DIR, '2024', 'dot-1', f), path.join(inbox, f));
    }
    expect(runHoctap(['init', ws]).status).toBe(0);
    expect(runHoctap(['-w', ws, 'ingest', inbox, '--year', '2024', '--received-at', '2024-12-06']).status).toBe(1);
  });
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('copies everything, verified, leaves the original as it was, and the workspace reads the same from the copy', () => {
    const before = READS.map((args) => runHoctap(['-w', ws, ...args]).stdout);
    const db = path.join(ws, 'hoctap.sqlite');
    const journal = path.join(ws, 'archive', 'journal.jsonl');
    const hashes = [sha(db), sha(journal)];
    const archived = fs.readdirSync(path.join(ws, 'archive')).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => fs.readdirSync(path.join(ws, 'archive', d)));

    // Another long job on this workspace (its lock held by a running process): refused, nothing written.
    fs.writeFileSync(`${db}.lock`, `${process.pid}\n`);
    const busy = runHoctap(['-w', ws, 'store', 'copy', '--to', pg.url('lan', 'hoctap')], { env: LAN });
    fs.rmSync(`${db}.lock`);
    expect(busy.status).toBe(2);
    expect(busy.stderr).toMatch(/đang chạy trên thư mục làm việc này \(tiến trình \d+\)/);
    expect(fs.existsSync(path.join(ws, 'hoctap.local.json'))).toBe(false);

    const copy = runHoctap(['-w', ws, 'store', 'copy', '--to', pg.url('lan', 'hoctap')], { env: LAN });
    expect(copy.status, copy.stderr).toBe(0);
    expect(copy.stdout).toMatch(/4 lần nhập, .*, 4 tệp lưu trữ .*tổng kiểm tra của từng bảng khớp/);
    expect([sha(db), sha(journal)]).toEqual(hashes);
    expect(pg.psql('SELECT count(*) FROM hoctap.archive_files', { db: 'hoctap' }).trim()).toBe(String(archived.length));

    // Now on the shared database (the journal's lines and every id as they were).
    const after = READS.map((args) => runHoctap(['-w', ws, ...args], { env: LAN }));
    for (const [i, r] of after.entries()) {
      expect(r.stderr).toMatch(/cơ sở dữ liệu chung/);
      expect(same(r.stdout), READS[i].join(' ')).toBe(same(before[i]));
    }
    // Prove the reads come from PostgreSQL: with the database unreachable, they fail.
    const away = runHoctap(['-w', ws, 'history'], { env: { ...LAN, HOCTAP_DATABASE_URL: `postgresql://lan@/hoctap?host=${root}/khong-co` } });
    expect(away.stderr).toMatch(/Không kết nối được máy chủ PostgreSQL/);
  }, 600_000);

  it('rebuild works from the store\'s own journal and archive, and keeps the old schema aside', () => {
    const before = READS.map((args) => runHoctap(['-w', ws, ...args], { env: LAN }).stdout);
    const r = runHoctap(['-w', ws, 'rebuild'], { env: LAN });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/4 lần nhập/);
    expect(pg.psql(`SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'hoctap_bak_%'`, { db: 'hoctap' }).trim()).toBe('1');
    // The archive's bytes written to archive/ for the rebuild are gone again: only the original copies remain.
    expect(fs.readdirSync(path.join(ws, 'archive')).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => fs.readdirSync(path.join(ws, 'archive', d))))
      .toHaveLength(4);
    for (const [i, args] of READS.entries()) expect(same(runHoctap(['-w', ws, ...args], { env: LAN }).stdout), args.join(' ')).toBe(same(before[i]));
  }, 600_000);

  it('refuses to copy into a database that already holds data, and writes nothing', () => {
    const other = path.join(root, 'ws2');
    expect(runHoctap(['init', other]).status).toBe(0);
    expect(runHoctap(['-w', other, 'ingest', path.join(FIXTURES_DIR, '2024', 'dot-1', '2024_SYT_So-Y-te.xlsx'), '--year', '2024']).status).toBe(0);
    const before = pg.psql('SELECT count(*) FROM hoctap.submissions', { db: 'hoctap' });
    const r = runHoctap(['-w', other, 'store', 'copy', '--to', pg.url('lan', 'hoctap')], { env: LAN });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/đã có dữ liệu của hoctap \(4 lần nhập\)/);
    expect(pg.psql('SELECT count(*) FROM hoctap.submissions', { db: 'hoctap' })).toBe(before);
    expect(fs.existsSync(path.join(other, 'hoctap.local.json'))).toBe(false);
  });
});
