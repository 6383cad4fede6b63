/**
 * A team on one PostgreSQL database (docs/workspace.md, "Làm việc nhóm"), on a throwaway cluster: the IT's SQL as the
 * docs write it, the owner's `init --database`, an ingest, and a second analyst's workspace on another folder seeing
 * the same status, scores and history; the one-line refusals (server, login, database, schema, password in the URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../src/cli/commands/demo.ts';
import { PG_SCHEMA_VERSION } from '../src/store/postgres/schema.ts';
import { runHoctap } from './helpers/cli.ts';
import { havePostgres, itSqlFromDocs, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

const pgHere = havePostgres();
const LAN = { PGPASSWORD: 'doi-mat-khau-lan' };
const MINH = { PGPASSWORD: 'doi-mat-khau-minh' };

describe.runIf(pgHere)('a team on one PostgreSQL database', () => {
  let pg: PgCluster;
  let root: string;
  let wsLan: string;
  let wsMinh: string;
  const files = ['2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx', '2024_Q3_Uy-ban-nhan-dan-Quan-3.xlsx', '2024_SYT_So-Y-te.xlsx', '2023_Q5_Uy-ban-nhan-dan-Quan-5.xlsx'];

  beforeAll(() => {
    pg = startPostgres();
    root = tempDir('hoctap-pg-team-');
    wsLan = path.join(root, 'may-lan');
    wsMinh = path.join(root, 'may-minh');
    pg.psql(itSqlFromDocs());
    fs.mkdirSync(path.join(root, 'nhan-ve'));
    for (const f of files) fs.copyFileSync(path.join(FIXTURES_DIR, '2024', 'dot-1', f), path.join(root, 'nhan-ve', f));
  });
  afterAll(() => {
    pg?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('an analyst who is not the owner cannot make the schema: one line says who must', () => {
    const r = runHoctap(['init', path.join(root, 'som'), '--database', pg.url('minh', 'hoctap')], { env: MINH });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/chưa có dữ liệu của hoctap: người sở hữu cơ sở dữ liệu chạy/);
    // Nothing written: not the folder, and nothing in the database.
    expect(fs.existsSync(path.join(root, 'som'))).toBe(false);
    expect(pg.psql(`SELECT count(*) FROM pg_namespace WHERE nspname = 'hoctap'`, { db: 'hoctap' }).trim()).toBe('0');
  });

  it('the owner creates it; a second folder with the same database sees the first one\'s ingest', () => {
    const init = runHoctap(['init', wsLan, '--database', pg.url('lan', 'hoctap')], { env: LAN });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/đã tạo dữ liệu của hoctap/);
    expect(fs.readFileSync(path.join(wsLan, 'hoctap.local.json'), 'utf8')).not.toMatch(/doi-mat-khau/);
    expect(pg.psql(`SELECT count(*) FROM hoctap.submissions`, { db: 'hoctap' }).trim()).toBe('0');
    // The year's templates: its snapshot (roster and words then in force) and the signing key go to the database too.
    const gen = runHoctap(['-w', wsLan, 'generate-templates', '--year', '2024'], { env: LAN });
    expect(gen.status, gen.stderr).toBe(0);
    const ing = runHoctap(['-w', wsLan, 'ingest', path.join(root, 'nhan-ve'), '--year', '2024', '--received-at', '2024-12-06'], { env: LAN });
    expect(ing.status, ing.stderr).toBe(1); // the 2023 file is refused for --year 2024, on purpose
    expect(pg.psql(`SELECT count(*) FROM hoctap.submissions WHERE status = 'accepted'`, { db: 'hoctap' }).trim()).toBe('3');
    // The original bytes are in the database, not in a file of this PC.
    expect(pg.psql(`SELECT count(*) FROM hoctap.archive_files`, { db: 'hoctap' }).trim()).toBe('4');
    expect(fs.existsSync(path.join(wsLan, 'archive'))).toBe(false);
    expect(fs.existsSync(path.join(wsLan, 'hoctap.sqlite'))).toBe(false);

    const join = runHoctap(['init', wsMinh, '--database', pg.url('minh', 'hoctap')], { env: MINH });
    expect(join.status, join.stderr).toBe(0);
    expect(join.stdout).toMatch(/dùng chung dữ liệu đã có/);
    for (const f of ['years/2024/snapshot.json', '.hoctap-key']) expect(fs.readFileSync(path.join(wsMinh, f), 'utf8'), f).toBe(fs.readFileSync(path.join(wsLan, f), 'utf8'));
    for (const args of [['status', '--year', '2024', '--format', 'json'], ['score', '--year', '2024', '--format', 'json'], ['history', '--year', '2024']]) {
      const a = runHoctap(['-w', wsLan, ...args], { env: LAN });
      const b = runHoctap(['-w', wsMinh, ...args], { env: MINH });
      expect(a.status, a.stderr).toBe(0);
      // The same output but for the moment it was made.
      const same = (out: string) => out.replace(/"generatedAt": "[^"]*"/, '');
      expect(same(b.stdout), args.join(' ')).toBe(same(a.stdout));
    }
    const status = JSON.parse(runHoctap(['-w', wsMinh, 'status', '--year', '2024', '--format', 'json'], { env: MINH }).stdout) as { units: { unitCode: string; state: string }[] };
    expect(status.units.filter((u) => u.state === 'on_time').map((u) => u.unitCode).sort()).toEqual(['Q1', 'Q3', 'SYT']);
    expect(fs.existsSync(path.join(wsMinh, 'hoctap.sqlite'))).toBe(false);
  }, 600_000);

  it('the second analyst ingesting the same files stores nothing twice', () => {
    const again = runHoctap(['-w', wsMinh, 'ingest', path.join(root, 'nhan-ve'), '--year', '2024', '--received-at', '2024-12-07'], { env: MINH });
    expect(again.status, again.stderr).toBe(1);
    expect(again.stdout).toMatch(/4 đã nhập trước đó/);
    // Three accepted and the 2023 file refused for 2024, as after the first ingest.
    expect(pg.psql(`SELECT count(*) FROM hoctap.submissions`, { db: 'hoctap' }).trim()).toBe('4');
    expect(pg.psql(`SELECT count(*) FROM hoctap.events`, { db: 'hoctap' }).trim()).toBe('3');
  });

  it('says in one line what is wrong: login, database, server, newer schema, a password in the address', () => {
    const line = (r: { status: number | null; stderr: string }) => {
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('Thư mục làm việc'));
      expect(lines).toHaveLength(1);
      return lines[0];
    };
    const status = (env: NodeJS.ProcessEnv) => runHoctap(['-w', wsMinh, 'status', '--year', '2024'], { env });
    expect(line(status({ PGPASSWORD: 'sai' }))).toMatch(/từ chối đăng nhập.*PGPASSWORD/);
    expect(line(status({ ...MINH, HOCTAP_DATABASE_URL: pg.url('minh', 'khong_co') }))).toMatch(/không có cơ sở dữ liệu này/);
    expect(line(status({ ...MINH, HOCTAP_DATABASE_URL: `postgresql://minh@/hoctap?host=${path.join(root, 'khong-co')}` }))).toMatch(/Không kết nối được máy chủ PostgreSQL/);
    expect(line(status({ HOCTAP_DATABASE_URL: pg.url('minh', 'hoctap').replace('minh@', 'minh:doi-mat-khau-minh@') }))).toMatch(/có mật khẩu/);
    const init = runHoctap(['init', path.join(root, 'co-mat-khau'), '--database', pg.url('minh', 'hoctap').replace('minh@', 'minh:x@')], { env: MINH });
    expect(line(init)).toMatch(/không ghi mật khẩu/);
    expect(fs.existsSync(path.join(root, 'co-mat-khau'))).toBe(false);
    pg.psql(`UPDATE hoctap.meta SET value = '99' WHERE key = 'schema_version'`, { db: 'hoctap' });
    try {
      expect(line(status(MINH))).toMatch(/phiên bản hoctap mới hơn \(lược đồ 99/);
    } finally {
      pg.psql(`UPDATE hoctap.meta SET value = '${PG_SCHEMA_VERSION}' WHERE key = 'schema_version'`, { db: 'hoctap' });
    }
  }, 600_000);
});
