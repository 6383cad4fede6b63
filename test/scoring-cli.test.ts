/** `hoctap score` through the CLI: JSON, CSV and table outputs, exit codes, a year without data. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openDatabase } from './helpers/sqlite.ts';
import type { ScoreReport } from '../src/scoring/types.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { tempDir } from './helpers/tools.ts';
import { runHoctap } from './helpers/cli.ts';

const run = (args: string[]) => runHoctap(args);

let dir: string;

beforeAll(() => {
  dir = tempDir('hoctap-score-cli-');
  const ws = openWorkspace(dir); // default HCM roster: 22 local units
  const db = openDatabase(ws.dbPath);
  const seed = (unitCode: string, year: number, values: Record<string, number | string>) => seedSubmission(db, { unitCode, year, values }, ws.catalog);
  seed('Q1', 2024, { '1.1.2-a.m.tu': 30, '1.1.2-a.m.mau': 40, '1.3.1-b.m.tu': 35, '1.3.1-b.m.mau': 50 });
  seed('Q3', 2024, { '1.1.2-a.m.tu': 10, '1.1.2-a.m.mau': 20, '1.3.1-b.m.tu': 15, '1.3.1-b.m.mau': 50 });
  seed('Q4', 2024, { '1.1.2-a.m.tu': 5, '1.1.2-a.m.mau': 40, '1.3.1-b.m.tl': 80 });
  seed('SLDTBXH', 2024, { '2.1.4-a.m.tl': 55 }); // 2024's holder of 2.1.4-a beside GDDT (issue 23: was SNV)
  seed('SGDDT', 2024, { '2.1.4-a.m.tl': 48 });
  seed('Q1', 2023, { '1.1.2-a.m.tu': 80, '1.1.2-a.m.mau': 200 });
  db.close();
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('hoctap score', () => {
  it('prints the score report as JSON', () => {
    const res = run(['-w', dir, 'score', '--year', '2024', '--format', 'json']);
    expect(res.status).toBe(0);
    const r = JSON.parse(res.stdout) as ScoreReport;
    expect(r).toMatchObject({ schemaVersion: 1, year: 2024, previousYear: 2023, profile: 'hcm' });
    const i = r.indicators.find((x) => x.id === '1.1.2-a')!;
    expect(i.measures[0]).toMatchObject({ value: 45, previous: 40, reporters: 3, expected: 22, direction: 'increase' });
    expect(i.verdict).toBe('not_met');
    expect(i.previousVerdict).toBe('not_met');
    const shared = r.indicators.find((x) => x.id === '2.1.4-a')!;
    expect(shared.disagreement).toBe(true);
    expect(shared.measures[0].value).toBeCloseTo(51.5, 10);
    expect(r.rollups.overall.met).toBe(1);
    expect(r.rollups.overall.notMet).toBe(2);
    expect(r.rollups.overall.previous).toMatchObject({ met: 0, notMet: 1 });
    expect(res.stderr).toMatch(/^Thư mục làm việc: [^\n]*\n$/); // only the workspace it worked on (issue 12)
  });

  it('prints a table: values with ≈ when approximate, targets with gaps, verdicts, roll-ups', () => {
    const res = run(['-w', dir, 'score', '--year', '2024', '--format', 'table']);
    expect(res.status).toBe(0);
    const out = res.stdout;
    for (const h of ['Chỉ số', 'Giá trị', 'Chỉ tiêu', 'Đánh giá', 'Năm trước']) expect(out).toContain(h);
    const rowOf = (id: string) => {
      const lines = out.split('\n');
      const start = lines.findIndex((l) => l.includes(` ${id} `));
      return lines.slice(start, start + 3).join('\n');
    };
    expect(rowOf('1.1.2-a')).toContain('45%');
    expect(rowOf('1.1.2-a')).toContain('Ngưỡng: ≥ 70% (−25)');
    expect(rowOf('1.1.2-a')).toContain('Chưa đạt');
    expect(rowOf('1.1.2-a')).toContain('40%');
    expect(rowOf('1.3.1-b')).toContain('≈ 60%'); // (5000 + 80×50) / 150
    expect(rowOf('2.1.4-a')).toContain('≈ 51,5%');
    expect(out).toContain('Tổng hợp');
    expect(out).toContain('Toàn bộ chỉ số');
    expect(out).toMatch(/Chỉ số 2\.1\.4-a: các cơ quan báo khác nhau \(Sở Lao động - Thương binh và Xã hội: 55% · Sở Giáo dục và Đào tạo: 48%\)/); // 2024: the department before its 2025 merger (issue 14)
  });

  it('prints CSV with ids and no colours', () => {
    const res = run(['-w', dir, 'score', '--year', '2024', '--format', 'csv']);
    expect(res.status).toBe(0);
    expect(res.stdout.startsWith('\uFEFFMã chỉ số,Mã tiêu chí,Mã tiêu chuẩn,Mã lĩnh vực,Chỉ số,Giá trị,Chỉ tiêu,Đánh giá,Năm trước\r\n')).toBe(true);
    expect(res.stdout).not.toMatch(/\u001b\[/);
    const row = res.stdout.split('\r\n').find((l) => l.startsWith('1.1.2-a,'))!;
    expect(row).toContain(',1.1.2,1.1,1,');
    expect(row).toContain('45%');
    expect(row).toContain('Chưa đạt');
    expect(res.stdout.split('\r\n').filter(Boolean)).toHaveLength(1 + 76); // issue 14: three 2023 targets of 003 became indicators (KH.3.1-e, KH.4.1-d, KH.4.1-e)
  });

  it('still scores a year without accepted data, and says so on stderr', () => {
    const res = run(['-w', dir, 'score', '--year', '2020', '--format', 'json']);
    expect(res.status).toBe(0);
    expect(res.stderr).toContain('Năm 2020 chưa có biểu mẫu nào được chấp nhận');
    const r = JSON.parse(res.stdout) as ScoreReport;
    expect(r.indicators.every((i) => i.verdict === 'missing')).toBe(true);
  });

  it('refuses a folder without a database (a mistyped -w) and does not create one', () => {
    const empty = tempDir('hoctap-score-empty-');
    try {
      const res = run(['-w', empty, 'score', '--year', '2024', '--format', 'json']);
      expect(res.status).toBe(2); // issue 12: a wrong folder is said, not scored as an empty year
      expect(res.stderr).toContain(`Thư mục làm việc ${empty} chưa có cơ sở dữ liệu`);
      expect(fs.existsSync(path.join(empty, 'hoctap.sqlite'))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses a missing year and a bad format with exit 2', () => {
    const noYear = run(['-w', dir, 'score']);
    expect(noYear.status).toBe(2);
    expect(noYear.stderr).toContain('Thiếu --year');
    const bad = run(['-w', dir, 'score', '--year', '2024', '--format', 'xml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format "xml" không hợp lệ');
  });

  it('has Vietnamese help with examples', () => {
    const res = run(['score', '--help']);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('Ví dụ:');
    expect(res.stdout).toContain('hoctap score --year 2024 --format json');
  });
});
