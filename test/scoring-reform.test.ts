/**
 * Comparisons across a reform (issue 14.5): 2024 reports through the 22 districts, 2025 through communes imported with
 * `hoctap roster import`. Scoring pairs a unit's figures only with the same unit's (comparableYears), consolidates last
 * year over last year's units, and `score` and the report say that the year-on-year figures compare different units.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseSync } from 'node:sqlite';
import { openWorkspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { computeScores } from '../src/scoring/score.ts';
import type { ScoreReport } from '../src/scoring/types.ts';
import { buildReportModel } from '../src/report/model/index.ts';
import { collectReportInput } from '../src/report/generate.ts';
import { seedSubmission } from './helpers/seed-store.ts';
import { tempDir } from './helpers/tools.ts';
import { runHoctap } from './helpers/cli.ts';

const dir = tempDir('hoctap-reform-');
let db: DatabaseSync;
let s2025: ScoreReport;
let s2024: ScoreReport;

beforeAll(async () => {
  expect(runHoctap(['init', dir]).status).toBe(0);
  expect(runHoctap(['-w', dir, 'new-year', '2025']).status).toBe(0);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Danh sách');
  sheet.addRow(['Mã', 'Tên đơn vị', 'Loại', 'Email']);
  for (const r of [
    ['SGDDT', 'Sở Giáo dục và Đào tạo', 'GDDT', ''],
    ['P_SAIGON', 'Ủy ban nhân dân phường Sài Gòn', 'Phường', ''],
    ['X_CANGIO', 'Ủy ban nhân dân xã Cần Giờ', 'Xã', ''],
    ['DK_CONDAO', 'Ủy ban nhân dân đặc khu Côn Đảo', 'Đặc khu', ''],
    // A code of 2024 given to another unit in 2025 (the Hội Khuyến học's HKHTP, now a ward): not the same unit.
    ['HKHTP', 'Ủy ban nhân dân phường Bến Thành', 'Phường', ''],
  ]) sheet.addRow(r);
  const list = path.join(dir, 'ds-2025.xlsx');
  await wb.xlsx.writeFile(list);
  expect(runHoctap(['-w', dir, 'roster', 'import', list, '--year', '2025']).status).toBe(0);

  const ws = openWorkspace(dir);
  db = openDatabase(ws.dbPath);
  const seed = (unitCode: string, year: number, values: Record<string, number>) => seedSubmission(db, { unitCode, year, values }, ws.catalog);
  seed('SGDDT', 2023, { '1.1.1-a.m.tl': 95 });
  seed('SGDDT', 2024, { '1.1.1-a.m.tl': 96 });
  seed('SGDDT', 2025, { '1.1.1-a.m.tl': 97 });
  // 2024: two districts, 50/100 and 70/100 → 60%; 2025: one commune, 80/100.
  seed('Q1', 2024, { '1.1.2-a.m.tu': 50, '1.1.2-a.m.mau': 100 });
  seed('Q3', 2024, { '1.1.2-a.m.tu': 70, '1.1.2-a.m.mau': 100 });
  seed('P_SAIGON', 2025, { '1.1.2-a.m.tu': 80, '1.1.2-a.m.mau': 100 });
  // HKHTP's 2024 file (the Hội Khuyến học's) carries figures of 1.1.2-a, a district indicator it was not given in 2024.
  seed('HKHTP', 2024, { '1.1.2-a.m.tu': 40, '1.1.2-a.m.mau': 100 });
  seed('HKHTP', 2025, { '1.1.2-a.m.tu': 90, '1.1.2-a.m.mau': 100 });
  s2025 = await computeScores(openWorkspace(dir, { year: 2025 }), storeOn(db), 2025);
  s2024 = await computeScores(openWorkspace(dir, { year: 2024 }), storeOn(db), 2024);
}, 180_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ind = (r: ScoreReport, id: string) => r.indicators.find((i) => i.id === id)!;

describe('scoring across the 2025 reform', () => {
  it('says the rosters and the level differ, and the same years before the reform do not', () => {
    expect(s2025.comparison).toMatchObject({ previousYear: 2024, sameUnits: false, sameLevel: false, commonUnits: 1, levels: ['cấp huyện', 'cấp xã'] });
    expect(s2025.comparison!.note).toContain('So sánh với năm 2024 là so sánh hai tập đơn vị khác nhau: năm 2024 báo cáo theo cấp huyện (48 đơn vị), năm 2025 theo cấp xã (5 đơn vị)'); // 48: issue 23's roster
    expect(s2024.comparison).toMatchObject({ previousYear: 2023, sameUnits: true, sameLevel: true, note: null });
  });

  it('pairs a unit\'s figures only with the same unit: the department has last year\'s, the new commune none', () => {
    const a = ind(s2025, '1.1.1-a');
    expect(a.units.find((u) => u.unitCode === 'SGDDT')!.previous).toEqual({ '1.1.1-a.m': 96 });
    const d = ind(s2025, '1.1.2-a');
    expect(d.units.map((u) => u.unitCode)).toEqual(['P_SAIGON', 'HKHTP']);
    expect(d.units[0].previous).toBeNull();
    // The ward HKHTP is not 2024's HKHTP: the 40/100 that code filed in 2024 is not its last year.
    expect(d.units[1].previous).toBeNull();
    // Before the reform the same unit is paired (the rule sees pairs where they exist).
    expect(ind(s2024, '1.1.2-a').units.find((u) => u.unitCode === 'Q1')!.previous).toBeNull(); // Q1 had nothing in 2023
    expect(ind(s2024, '1.1.1-a').units[0].previous).toEqual({ '1.1.1-a.m': 95 });
  });

  it('keeps the city-wide comparison: last year\'s rate from last year\'s units, this year\'s coverage from this year\'s roster', () => {
    const d = ind(s2025, '1.1.2-a');
    // 2024's districts only (50 + 70 of 200): 2024's HKHTP was not a district, whatever the code is now.
    expect(d.measures[0].previous).toBeCloseTo(60, 9);
    expect(d.measures[0].value).toBeCloseTo(85, 9);
    expect(d.coverage).toEqual({ reporting: 2, expected: 4, complete: false });
  });

  it('`score` says so in the table and in JSON', () => {
    const table = runHoctap(['-w', dir, 'score', '--year', '2025']);
    expect(table.status).toBe(0);
    expect(table.stdout.replace(/\s+/g, ' ')).toContain('So sánh với năm 2024 là so sánh hai tập đơn vị khác nhau');
    const json = JSON.parse(runHoctap(['-w', dir, 'score', '--year', '2025', '--format', 'json']).stdout);
    expect(json.comparison).toMatchObject({ sameUnits: false, sameLevel: false, units: [48, 5] }); // 48: issue 23's roster
    const before = runHoctap(['-w', dir, 'score', '--year', '2024']);
    expect(before.stdout).toContain('Kết quả các chỉ số năm 2024 (so với năm 2023)');
    expect(before.stdout).not.toContain('hai tập đơn vị khác nhau');
  });

  it('the report says it in I.3 and in II.1', async () => {
    const model = buildReportModel((await collectReportInput(openWorkspace(dir, { year: 2025 }), storeOn(db), 2025, { year: 2025, month: 12, day: 20 })).input);
    expect(model.partI.results.details.join('\n')).toContain('hai tập đơn vị khác nhau');
    expect(model.partII.achieved.paragraphs.join('\n')).toContain('số liệu từng đơn vị chỉ so với chính đơn vị đó khi đơn vị có ở cả hai năm');
  });
});
