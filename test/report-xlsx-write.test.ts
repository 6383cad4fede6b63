/**
 * The consolidated workbook holds every unit, figure and text, and a file that cannot be opened is an error of the
 * write, with its code (which generate.ts turns into the analyst's Vietnamese line), not an uncaught one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { collectReportInput, generateReport } from '../src/report/generate.ts';
import { buildReportModel } from '../src/report/model/index.ts';
import { ITEMS_SHEET, SUMMARY_SHEET, TEXTS_SHEET, VALUES_SHEET, writeReportXlsx, type XlsxInput } from '../src/report/xlsx.ts';
import { seedReportStore } from './helpers/report-store.ts';
import { tempDir } from './helpers/tools.ts';

let dir: string;
let ws: Workspace;
let input: XlsxInput;

beforeAll(async () => {
  dir = tempDir('hoctap-xlsx-apart-');
  ws = openWorkspace(dir);
  seedReportStore(ws);
  const db = openDatabase(ws.dbPath);
  try {
    const r = await collectReportInput(ws, storeOn(db), 2024, { year: 2024, month: 12, day: 25 });
    const model = buildReportModel(r.input);
    input = { catalog: ws.catalog, roster: ws.roster, score: r.score, values: await storeOn(db).acceptedValues(2024), texts: model.appendixIII };
  } finally {
    db.close();
  }
}, 60_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function sheets(file: string): Promise<Record<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: Record<string, unknown[][]> = {};
  wb.eachSheet((s) => {
    const rows: unknown[][] = [];
    s.eachRow({ includeEmpty: true }, (r) => rows.push((r.values as unknown[]).slice(1).map((v) => (v && typeof v === 'object' && 'richText' in v ? JSON.stringify(v) : v))));
    out[s.name] = rows;
  });
  return out;
}

describe('writeReportXlsx', () => {
  it('writes the four sheets with every unit, stored figure, text and item', async () => {
    const here = path.join(dir, 'here.xlsx');
    await writeReportXlsx(input, here);
    const b = await sheets(here);
    // Issue 23: a fourth sheet, the units' structured items (a header and a row per item; this store seeds none).
    expect(Object.keys(b)).toEqual([SUMMARY_SHEET, VALUES_SHEET, TEXTS_SHEET, ITEMS_SHEET]);
    expect(b[ITEMS_SHEET].length).toBe(input.texts!.items.length + 1);
    expect(b[SUMMARY_SHEET][0].length).toBeGreaterThan(ws.roster.length);
    expect(b[VALUES_SHEET].length).toBe(input.values.length + 1);
    expect(b[TEXTS_SHEET].length).toBeGreaterThan(1);
  }, 60_000);

  it('is written by the report even when its DOCX cannot be (the run still fails, with the DOCX\'s error)', async () => {
    const out = path.join(dir, 'blocked');
    // A folder where the DOCX should go: the DOCX cannot take its name.
    fs.mkdirSync(path.join(out, 'bao-cao-2024.docx', 'inside'), { recursive: true });
    const db = openDatabase(ws.dbPath);
    let error: unknown = null;
    try {
      await generateReport(ws, storeOn(db), { year: 2024, outDir: out, formats: ['docx', 'xlsx'], formatsExplicit: true, date: { year: 2025, month: 1, day: 5 } });
    } catch (e) {
      error = e;
    } finally {
      db.close();
    }
    expect((error as Error)?.message).toBe(`Không ghi được báo cáo: "${path.join(out, 'bao-cao-2024.docx')}" là một thư mục, ở đây cần một tệp: đổi tên hoặc chuyển thư mục đó đi, hoặc chọn đường dẫn khác.`);
    const book = await sheets(path.join(out, 'bao-cao-2024.xlsx'));
    expect(book[VALUES_SHEET].length).toBe(input.values.length + 1);
    expect(fs.readdirSync(out).sort()).toEqual(['bao-cao-2024.docx', 'bao-cao-2024.xlsx']);
  }, 60_000);

  it('rejects with the error code of a file it could not write', async () => {
    const err = await writeReportXlsx(input, path.join(dir, 'no-such-folder', 'x.xlsx')).then(() => null, (e: unknown) => e as NodeJS.ErrnoException);
    expect(err).toBeInstanceOf(Error);
    expect(err?.code).toBe('ENOENT');
    expect(err?.message).toContain('no-such-folder');
  }, 60_000);
});
