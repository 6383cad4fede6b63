/** `hoctap status`: every unit of the roster with its state, on a real store and through the CLI. */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { computeStatus } from '../src/scoring/status.ts';
import type { StatusReport, UnitStatus } from '../src/scoring/types.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { tempDir } from './helpers/tools.ts';
import { runHoctap } from './helpers/cli.ts';
import { collectReportInput } from '../src/report/generate.ts';
import { buildReportModel } from '../src/report/model/index.ts';

const run = (args: string[]) => runHoctap(args);

let dir: string;
let ws: Workspace;
let db: DatabaseSync;
let report: StatusReport;
let heldId: number;
const unit = (code: string): UnitStatus => report.units.find((u) => u.unitCode === code)!;

beforeAll(async () => {
  dir = tempDir('hoctap-status-');
  // The HCM profile, 34 units. Its 2024 deadline is 002's 30 December (yearDeadlines, checked in
  // report-consistency.test.ts); these tests of the deadline's mechanics pin 10 December in the workspace's config.
  fs.writeFileSync(path.join(dir, 'hoctap.config.json'), JSON.stringify({ deadline: { month: 12, day: 10 } }));
  ws = openWorkspace(dir);
  db = openDatabase(ws.dbPath);
  const seed = (unitCode: string, receivedAt: string, status: 'accepted' | 'rejected' | 'superseded' | 'held', extra: { errors?: number; fileName?: string; year?: number } = {}) =>
    seedSubmission(db, { unitCode, year: extra.year ?? 2024, receivedAt, status, values: {}, errors: extra.errors, fileName: extra.fileName }, ws.catalog);
  seed('SGDDT', '2024-12-10T16:00:00.000Z', 'accepted'); // the last hour of the deadline day in Vietnam (23:00 UTC+7)
  seed('SNV', '2024-12-10T17:00:01.000Z', 'accepted'); // one second after
  seed('STC', '2024-12-01T08:00:00.000Z', 'rejected', { errors: 5, fileName: 'STC lan 1.xlsx' });
  seed('STC', '2024-12-05T08:00:00.000Z', 'rejected', { errors: 2, fileName: 'STC lan 2.xlsx' });
  seed('Q1', '2024-11-20T08:00:00.000Z', 'superseded', { fileName: 'Q1 cu.xlsx' });
  seed('Q1', '2024-12-01T08:00:00.000Z', 'accepted', { fileName: 'Q1 moi.xlsx' });
  seed('Q3', '2024-11-01T08:00:00.000Z', 'rejected', { errors: 4 });
  seed('Q3', '2024-12-15T08:00:00.000Z', 'accepted', { fileName: 'Q3 sua.xlsx' });
  seed('Q4', '2024-11-10T08:00:00.000Z', 'accepted', { fileName: 'Q4.xlsx' });
  seed('Q4', '2024-12-20T08:00:00.000Z', 'rejected', { errors: 7 }); // a later bad file does not undo the accepted one
  seed('SNNMT', '2023-11-10T08:00:00.000Z', 'accepted', { year: 2023 }); // another year
  // Issue 16: a unit whose only valid file is held (it would remove figures) has sent something; it waits for the analyst.
  seed('Q5', '2024-11-02T08:00:00.000Z', 'rejected', { errors: 3 });
  heldId = seed('Q5', '2024-12-03T08:00:00.000Z', 'held', { fileName: 'Q5 gui lai.xlsx' });
  seed('Q7', '2024-11-05T08:00:00.000Z', 'accepted', { fileName: 'Q7.xlsx' });
  seed('Q7', '2024-12-04T08:00:00.000Z', 'held', { fileName: 'Q7 gui lai.xlsx' }); // figures in force: the held file does not count
  report = await computeStatus(ws, storeOn(db), 2024);
});

afterAll(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('computeStatus', () => {
  it('lists every unit of the roster, in its order, with the deadline of the profile', () => {
    expect(report.year).toBe(2024);
    expect(report.deadline).toBe('2024-12-10');
    expect(report.units.map((u) => u.unitCode)).toEqual(ws.roster.map((u) => u.code));
    expect(report.units).toHaveLength(48); // 48 units since issue 23 (002's Mặt trận, organisations and universities; the 2024 departments apart): 14 more missing.
  });

  it('tells on time from late at the end of the deadline day', () => {
    expect(unit('SGDDT')).toMatchObject({ state: 'on_time', receivedAt: '2024-12-10T16:00:00.000Z', submissions: 1, errors: 0 });
    expect(unit('SNV')).toMatchObject({ state: 'late', receivedAt: '2024-12-10T17:00:01.000Z' });
  });

  it('gives a rejected unit the errors of its latest file', () => {
    expect(unit('STC')).toMatchObject({ state: 'rejected', errors: 2, fileName: 'STC lan 2.xlsx', receivedAt: '2024-12-05T08:00:00.000Z', submissions: 2 });
  });

  it('judges a resubmission by the accepted file', () => {
    expect(unit('Q1')).toMatchObject({ state: 'on_time', fileName: 'Q1 moi.xlsx', submissions: 2 });
    expect(unit('Q3')).toMatchObject({ state: 'late', fileName: 'Q3 sua.xlsx', errors: 0, submissions: 2 });
    expect(unit('Q4')).toMatchObject({ state: 'on_time', fileName: 'Q4.xlsx', submissions: 2 });
  });

  it('marks units with nothing for the year missing, and lists the units to chase', () => {
    expect(unit('SNNMT')).toMatchObject({ state: 'missing', receivedAt: null, fileName: null, submissions: 0 });
    const received = new Set(['SGDDT', 'SNV', 'Q1', 'Q3', 'Q4', 'Q5', 'Q7']);
    expect(report.toChase).toEqual(ws.roster.map((u) => u.code).filter((c) => !received.has(c)));
    expect(report.toChase).toContain('STC');
    expect(report.toChase).toHaveLength(41); // 48 units since issue 23 (002's Mặt trận, organisations and universities; the 2024 departments apart): 14 more missing.
  });

  it('shows a unit whose only valid file is held as waiting for confirmation, not missing, with the file to confirm', () => {
    expect(unit('Q5')).toMatchObject({ state: 'held', fileName: 'Q5 gui lai.xlsx', receivedAt: '2024-12-03T08:00:00.000Z', heldSubmission: heldId, submissions: 2 });
    expect(report.toChase).not.toContain('Q5');
    expect(report.toConfirm).toEqual(['Q5']);
    // A held file beside figures in force changes nothing: the unit is judged by the file in force.
    expect(unit('Q7')).toMatchObject({ state: 'on_time', fileName: 'Q7.xlsx', heldSubmission: null });
  });

  it('takes the deadline from the workspace configuration', async () => {
    const other = tempDir('hoctap-status-cfg-');
    try {
      fs.writeFileSync(path.join(other, 'hoctap.config.json'), JSON.stringify({ deadline: { month: 11, day: 25 } }));
      const ws2 = openWorkspace(other);
      const db2 = openDatabase(ws2.dbPath);
      seedSubmission(db2, { unitCode: 'Q1', year: 2024, receivedAt: '2024-12-01T08:00:00.000Z', values: {} }, ws2.catalog);
      const r = await computeStatus(ws2, storeOn(db2), 2024);
      db2.close();
      expect(r.deadline).toBe('2024-11-25');
      expect(r.units.find((u) => u.unitCode === 'Q1')!.state).toBe('late');
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('hoctap status', () => {
  it('prints the JSON report and exits 0 although units are missing', () => {
    const res = run(['-w', dir, 'status', '--year', '2024', '--format', 'json']);
    expect(res.status).toBe(0);
    const json = JSON.parse(res.stdout) as StatusReport;
    expect(json.toChase).toEqual(report.toChase);
    expect(json.units.find((u) => u.unitCode === 'STC')).toMatchObject({ state: 'rejected', errors: 2 });
  });

  it('prints a table with the deadline, the states and the units to chase', () => {
    const res = run(['-w', dir, 'status', '--year', '2024', '--format', 'table']);
    expect(res.status).toBe(0);
    const out = res.stdout;
    expect(out).toContain('hạn nộp 10/12/2024');
    for (const h of ['Đơn vị', 'Trạng thái', 'Ngày nhận', 'Tệp', 'Lỗi']) expect(out).toContain(h);
    const line = (code: string) => out.split('\n').find((l) => l.includes(`(${code})`)) ?? '';
    expect(line('SGDDT')).toContain('Đã nhận, đúng hạn');
    expect(line('SGDDT')).toContain('10/12/2024');
    expect(line('SNV')).toContain('Đã nhận, trễ hạn');
    expect(line('STC')).toContain('Bị từ chối');
    expect(line('STC')).toMatch(/│\s*2\s*│/);
    expect(line('SNNMT')).toContain('Chưa nộp');
    const chase = out.split('\n').find((l) => l.startsWith('Cần đôn đốc:')) ?? '';
    expect(chase).toContain('Sở Tài chính (bị từ chối, 2 lỗi)');
    // Issue 14: in 2024 the department still had its pre-merger name (was 'Sở Nông nghiệp và Môi trường').
    expect(chase).toContain('Sở Tài nguyên và Môi trường (chưa nộp)');
    expect(chase).not.toContain('Quận 1 ');
    expect(out).toContain('48 đơn vị: 4 đúng hạn, 2 trễ hạn, 1 chờ xác nhận, 1 bị từ chối, 40 chưa nộp.'); // 48 units since issue 23 (002's Mặt trận, organisations and universities; the 2024 departments apart): 14 more missing.
    expect(line('Q5')).toContain('Chờ xác nhận');
    expect(chase).not.toContain('Quận 5');
    const confirm = out.split('\n').find((l) => l.startsWith('Chờ xác nhận:')) ?? '';
    expect(confirm).toContain('Quận 5 (tệp Q5 gui lai.xlsx bỏ bớt số liệu nên đang tạm giữ');
    expect(confirm).toContain(`hoctap restore ${heldId}`);
    expect(confirm).toMatch(/hoctap ingest .*Q5 gui lai\.xlsx.* --replace/);
  });

  it('counts the held unit apart in the report\'s Phụ lục II, with its state word', async () => {
    const { input } = await collectReportInput(ws, storeOn(db), 2024, { year: 2025, month: 1, day: 5 });
    const appendix = buildReportModel(input).appendixII;
    expect(appendix.summary.join(' ')).toContain('Đã nhận 6/48 đơn vị (4 đúng hạn, 2 trễ hạn); chờ xác nhận: 1; bị từ chối: 1; chưa nộp: 40.'); // 48 units since issue 23 (002's Mặt trận, organisations and universities; the 2024 departments apart): 14 more missing.
    expect(appendix.rows.find((r) => r.code === 'Q5')).toMatchObject({ state: 'Chờ xác nhận', receivedAt: '03/12/2024' });
  });

  it('gives the held state and how to confirm it in CSV and JSON', () => {
    const csv = run(['-w', dir, 'status', '--year', '2024', '--format', 'csv']);
    expect(csv.status).toBe(0);
    const q5 = csv.stdout.split(/\r?\n/).find((l) => l.startsWith('Q5,')) ?? '';
    expect(q5).toContain(',held,Chờ xác nhận,03/12/2024,Q5 gui lai.xlsx,');
    expect(q5).toContain(`hoctap restore ${heldId}`);
    const json = JSON.parse(run(['-w', dir, 'status', '--year', '2024', '--format', 'json']).stdout) as StatusReport;
    expect(json.units.find((u) => u.unitCode === 'Q5')).toMatchObject({ state: 'held', heldSubmission: heldId });
    expect(json.toConfirm).toEqual(['Q5']);
  });

  it('a folder without a database is taken for a mistyped -w: exit 2 naming it, and no database is created', () => {
    const empty = tempDir('hoctap-status-empty-');
    try {
      const res = run(['-w', empty, 'status', '--year', '2024', '--format', 'json']);
      expect(res.status).toBe(2); // issue 12: never an empty year shown for a wrong folder
      expect(res.stderr).toContain(`Thư mục làm việc ${empty} chưa có cơ sở dữ liệu`);
      expect(res.stderr).toContain('-w');
      expect(res.stdout).toBe('');
      expect(fs.existsSync(path.join(empty, 'hoctap.sqlite'))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses a missing or bad year and a bad format with a Vietnamese line and exit 2', () => {
    const noYear = run(['-w', dir, 'status']);
    expect(noYear.status).toBe(2);
    expect(noYear.stderr).toContain('Thiếu --year');
    const badFormat = run(['-w', dir, 'status', '--year', '2024', '--format', 'xml']);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain('--format "xml" không hợp lệ'); // csv is a format of status now (issue 15)
    expect(badFormat.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
