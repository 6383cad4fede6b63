/**
 * Queries: plausibility warnings a unit answers with an explanation ("Giải trình") instead of changing a true figure.
 * A total rate outside the men's and women's (the fixture's unemployment Nam 60,9 %, Nữ 45,7 %, Tổng 3,5 % used to pass
 * silently), more local units counted than the roster has, a Tăng/Giảm answer the two years contradict, a figure far
 * from last year's. Answered (an explanation of the indicator in the same file) or not, the file is accepted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { FileResult, IngestMessage } from '../src/ingest/types.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { history, valuesOfSubmission } from './helpers/sqlite.ts';
import { fieldCells, fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { tempDir } from './helpers/tools.ts';

const SNV_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/2024/dot-1/2024_SNV_So-Lao-dong-Thuong-binh-va-Xa-hoi.xlsx');
const EXPLANATION = 'Tỷ lệ Tổng theo điều tra lao động của Cục Thống kê; tỷ lệ Nam, Nữ theo số liệu của Sở (khác phạm vi).';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-queries-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });

function fresh(): { ws: Workspace; dir: string } {
  const dir = path.join(root, `ws${++n}`);
  fs.mkdirSync(dir);
  return { ws: openWorkspace(dir), dir };
}

async function one(ws: Workspace, file: string, year = 2024): Promise<FileResult> {
  const r = await ingest(ws, [file], { year, now: new Date('2024-12-12T03:00:00Z') });
  return r.files[0];
}

const queriesOf = (r: FileResult, code: string): IngestMessage[] => r.messages.filter((m) => m.code === code);

function storedText(ws: Workspace, r: FileResult, fieldId: string): string | null | undefined {
  const db = new DatabaseSync(ws.dbPath, { readOnly: true });
  try {
    return valuesOfSubmission(db, r.submissionId!).find((v) => v.field_id === fieldId)?.value_text;
  } finally {
    db.close();
  }
}

describe('hoctap ingest: queries a unit can answer', () => {
  it('the fixture\'s unemployment rates (Nam 60,9 %, Nữ 45,7 %, Tổng 3,5 %) are queried on the Tổng cell, unanswered', async () => {
    const { ws } = fresh();
    const r = await one(ws, SNV_FIXTURE);
    expect(r.status).toBe('accepted');
    const [q] = queriesOf(r, 'total_outside_parts');
    expect(q).toMatchObject({ severity: 'warning', field: '1.2.2-a.tong.tl', indicator: '1.2.2-a', value: '3.5', answered: false, explanation: null });
    expect(q.text).toContain('Tổng 3,5% không nằm giữa Nam');
    expect(q.text).toContain('60,9% và Nữ');
    expect(q.expected).toContain('Tổng từ 45,7 đến 60,9%');
    expect(q.expected).toContain('giải trình');
  });

  it('with an explanation in the indicator\'s Giải trình cell the query is answered, and the explanation stored', async () => {
    const { ws, dir } = fresh();
    const file = path.join(dir, 'SNV-giai-trinh.xlsx');
    fs.writeFileSync(file, await fillTemplate(fs.readFileSync(SNV_FIXTURE), { '1.2.2-a.giaitrinh': EXPLANATION }));
    const r = await one(ws, file);
    expect(r.status).toBe('accepted');
    expect(r.errors).toBe(0);
    const [q] = queriesOf(r, 'total_outside_parts');
    expect(q).toMatchObject({ severity: 'warning', answered: true, explanation: EXPLANATION });
    expect(q.text).toContain(`Đơn vị đã giải trình: "${EXPLANATION}"`);
    expect(storedText(ws, r, '1.2.2-a.giaitrinh')).toBe(EXPLANATION);
  });

  it('more local units counted than the roster has is queried; a count within it is not', async () => {
    const { ws, dir } = fresh();
    const unit = ws.roster.find((u) => u.code === 'SGDDT')!;
    const local = ws.roster.filter((u) => u.agencyKind === 'local').length;
    const template = Buffer.from(await (await buildTemplateWorkbook(ws, unit, 2024)).xlsx.writeBuffer());
    const file = path.join(dir, 'SGDDT.xlsx');
    fs.writeFileSync(file, await fillTemplate(template, {
      ...plausibleValues(ws, unit), 'KH.1.1-a.m.tu': 30, 'KH.1.1-a.m.mau': 30, 'KH.1.1-a.m.tl': 100, 'KH.1.1-b.m.tu': local - 2, 'KH.1.1-b.m.mau': local, 'KH.1.1-b.m.tl': Math.round(((local - 2) / local) * 1000) / 10,
    }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const cells = fieldCells(wb);
    const r = await one(ws, file);
    expect(r.status, r.reason ?? '').toBe('accepted');
    const q = queriesOf(r, 'more_than_local_units');
    expect(q.map((m) => m.field).sort()).toEqual(['KH.1.1-a.m.mau', 'KH.1.1-a.m.tu']);
    expect(q[0].cell).toBe(cells.get(q[0].field!)!.cell);
    expect(q[0].text).toContain(`30 đơn vị, nhiều hơn cả ${local} đơn vị cấp địa phương trong danh sách đơn vị`);
    expect(q.every((m) => m.answered === false)).toBe(true);
  });

  it('Tăng against a figure that fell, far from last year: two queries, both answered by one CSV explanation line', async () => {
    const { ws, dir } = fresh();
    const csv = (year: number, rows: string[]) => {
      const f = path.join(dir, `SKHCN-${year}.csv`);
      fs.writeFileSync(f, ['unit_code,year,field_id,value', ...rows.map((r) => `SKHCN,${year},${r}`)].join('\n'));
      return f;
    };
    expect((await one(ws, csv(2023, ['1.2.4-a.m.gt,1000', '1.2.4-a.m.xh,Tăng']), 2023)).status).toBe('accepted');
    const unanswered = await one(ws, csv(2024, ['1.2.4-a.m.gt,400', '1.2.4-a.m.xh,Tăng']));
    expect(unanswered.status).toBe('accepted');
    const dir2 = queriesOf(unanswered, 'direction_contradicts');
    expect(dir2).toHaveLength(1);
    expect(dir2[0]).toMatchObject({ field: '1.2.4-a.m.xh', line: 3, answered: false });
    expect(dir2[0].text).toContain('chọn "Tăng" nhưng "Kinh phí trong năm" (dòng 2) năm 2024 là 400, năm 2023 là 1.000');
    expect(dir2[0].expected).toContain('"Giảm" theo số liệu hai năm');
    expect(queriesOf(unanswered, 'outlier')[0]).toMatchObject({ field: '1.2.4-a.m.gt', answered: false, explanation: null });

    const answered = await one(ws, csv(2024, ['1.2.4-a.m.gt,400', '1.2.4-a.m.xh,Tăng', '1.2.4-a.giaitrinh,"Năm 2024 chuyển 600 triệu sang dự án của năm 2025; ghi Tăng theo kế hoạch."']));
    expect(answered.status).toBe('accepted');
    for (const code of ['direction_contradicts', 'outlier']) {
      expect(queriesOf(answered, code)[0], code).toMatchObject({ answered: true, explanation: 'Năm 2024 chuyển 600 triệu sang dự án của năm 2025; ghi Tăng theo kế hoạch.' });
    }
    expect(storedText(ws, answered, '1.2.4-a.giaitrinh')).toContain('chuyển 600 triệu');
    // Warnings only: the answered file replaced the unanswered one.
    const db = new DatabaseSync(ws.dbPath, { readOnly: true });
    try {
      expect(history(db, 'SKHCN', 2024).map((s) => s.status)).toEqual(['superseded', 'accepted']);
    } finally {
      db.close();
    }
  });

  it('an explanation of an indicator not given to the unit is refused like any other field', async () => {
    const { ws, dir } = fresh();
    const f = path.join(dir, 'SKHCN.csv');
    fs.writeFileSync(f, ['unit_code,year,field_id,value', 'SKHCN,2024,1.2.4-a.m.gt,400', 'SKHCN,2024,1.1.1-a.giaitrinh,Không liên quan', 'SKHCN,2024,9.9.9-z.giaitrinh,?'].join('\n'));
    const r = await one(ws, f);
    expect(r.status).toBe('rejected');
    expect(r.messages.filter((m) => m.severity === 'error').map((m) => [m.code, m.line])).toEqual([['field_not_assigned', 3], ['unknown_field', 4]]);
  });
});
