/**
 * Files written by other tools than exceljs: openpyxl (which writes formulas without cached results) and LibreOffice
 * (re-saving a filled template, and saving an old .xls).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { workspaceForYear } from '../src/catalog/years.ts';
import { narrativesForUnit } from '../src/catalog/assignments.ts';
import { figuresAsked } from '../src/catalog/asks.ts';
import { buildTemplateWorkbook } from '../src/templates/generate.ts';
import { ingest } from '../src/ingest/ingest.ts';
import type { BatchResult, FileResult } from '../src/ingest/types.ts';
import { acceptedValues, history, valuesOfSubmission } from './helpers/sqlite.ts';
import { fieldCells, fillTemplate, plausibleValues } from '../fixtures/fill.ts';
import { libreOfficeResave, needTool, runPython, tempDir } from './helpers/tools.ts';

const hasPython = needTool('openpyxl');
const hasSoffice = needTool('soffice');

/** Fills a template with openpyxl through its _meta sheet, as another program would. Values: JSON object. */
const OPENPYXL_FILL = `
import json, sys, openpyxl
src, out, values = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wb = openpyxl.load_workbook(src)
meta = wb['_meta']
rows = list(meta.iter_rows(values_only=True))
start = next(i for i, r in enumerate(rows) if r and r[0] == 'field_id') + 1
where = {r[0]: (r[3], r[4]) for r in rows[start:] if r and r[0]}
for field, value in values.items():
    sheet, cell = where[field]
    wb[sheet][cell].value = value
wb.save(out)
`;

let root: string;
let ws: Workspace;
let result: BatchResult;
let cells: Map<string, { cell: string }>;
const unitValues: Record<string, Record<string, number | string>> = {};
const file = (name: string): FileResult => result.files.find((f) => f.file === name)!;

beforeAll(async () => {
  if (!hasPython || !hasSoffice) return;
  root = tempDir('hoctap-external-');
  ws = openWorkspace(root);
  const src = path.join(root, 'src');
  const inbox = path.join(root, 'inbox');
  fs.mkdirSync(src);
  fs.mkdirSync(inbox);
  const unit = (code: string) => ws.roster.find((u) => u.code === code)!;
  const blank = async (code: string) => {
    const f = path.join(src, `blank-${code}.xlsx`);
    fs.writeFileSync(f, Buffer.from(await (await buildTemplateWorkbook(ws, unit(code), 2024)).xlsx.writeBuffer()));
    return f;
  };
  const sgddt = await blank('SGDDT');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(sgddt) as unknown as ArrayBuffer);
  cells = fieldCells(wb);
  // The 2024 templates' figures: 2024's assignment (issue 23: SKHCN's 2.4.x were the Sở Thông tin và Truyền thông's).
  for (const code of ['SGDDT', 'SKHCN', 'CHUYENGIA']) unitValues[code] = plausibleValues(workspaceForYear(ws, 2024), unit(code));

  // openpyxl, plain values (numbers, a decimal comma typed as text, a rating label): accepted.
  runPython(OPENPYXL_FILL, [sgddt, path.join(inbox, 'openpyxl-SGDDT.xlsx'), JSON.stringify({ ...unitValues.SGDDT, '1.1.1-a.m.tl': '95,5', '2.6.1-a.m.dg': '4 - Rất tốt' })]);
  // openpyxl with a formula: written without a cached result, so rejected; LibreOffice computes it when re-saving.
  const skhcn = await blank('SKHCN');
  const skCells = fieldCells(await load(skhcn));
  const formula = `=${skCells.get('1.2.4-b.m.gt')!.cell}*2`;
  unitValues.SKHCN['1.2.4-a.m.gt'] = unitValues.SKHCN['1.2.4-b.m.gt'] as number * 2;
  runPython(OPENPYXL_FILL, [skhcn, path.join(src, 'formula-SKHCN.xlsx'), JSON.stringify({ ...unitValues.SKHCN, '1.2.4-a.m.gt': formula })]);
  fs.copyFileSync(path.join(src, 'formula-SKHCN.xlsx'), path.join(inbox, 'openpyxl-formula-SKHCN.xlsx'));
  // exceljs-filled, re-saved by LibreOffice; and a real Excel 97-2003 file saved by LibreOffice. The two conversions
  // run side by side (two LibreOffice profiles): each one costs several seconds.
  fs.writeFileSync(path.join(src, 'lo-CHUYENGIA.xlsx'), await fillTemplate(fs.readFileSync(await blank('CHUYENGIA')), unitValues.CHUYENGIA));
  const profile = tempDir('hoctap-lo-profile-');
  const xls = promisify(execFile)('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'xls', '--outdir', path.join(root, 'xls'), path.join(src, 'lo-CHUYENGIA.xlsx')], { timeout: 180_000 });
  try {
    const resaved = libreOfficeResave([path.join(src, 'formula-SKHCN.xlsx'), path.join(src, 'lo-CHUYENGIA.xlsx')], path.join(root, 'lo'));
    fs.copyFileSync(resaved[0], path.join(inbox, 'libreoffice-formula-SKHCN.xlsx'));
    fs.copyFileSync(resaved[1], path.join(inbox, 'libreoffice-CHUYENGIA.xlsx'));
    await xls;
  } finally {
    await xls.catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  }
  fs.copyFileSync(path.join(root, 'xls', 'lo-CHUYENGIA.xls'), path.join(inbox, 'cu-CHUYENGIA.xls'));

  result = await ingest(ws, [inbox], { year: 2024, now: new Date('2024-12-12T03:00:00Z') });
}, 300_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function load(f: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(f) as unknown as ArrayBuffer);
  return wb;
}

function storedOf(unitCode: string): Map<string, { value_num: number | null; value_text: string | null; cell: string | null }> {
  const db = new DatabaseSync(ws.dbPath, { readOnly: true });
  try {
    const accepted = history(db, unitCode, 2024).find((s) => s.status === 'accepted');
    if (!accepted) return new Map();
    return new Map(valuesOfSubmission(db, accepted.id).map((v) => [v.field_id, v]));
  } finally {
    db.close();
  }
}

function expectStored(unitCode: string, expected: Record<string, number | string>) {
  const stored = storedOf(unitCode);
  // The indicators' figures and the narrative sections' activity figures (counts); not the texts nor the contact.
  const activity = new Set(ws.catalog.narratives.flatMap((n) => n.figures.map((f) => f.id)));
  const figures = Object.entries(expected).filter(([id]) => (!id.startsWith('narrative.') || activity.has(id)) && !id.startsWith('contact.'));
  // Issue 23: the activity figures its kind is asked (narrative_items.csv: none for the expert panel, CHUYENGIA).
  const unit = ws.roster.find((u) => u.code === unitCode)!;
  const asked = narrativesForUnit(ws.catalog, unit).filter((n) => figuresAsked(ws.catalog.asks, n.id, unit.agencyKind)).flatMap((n) => n.figures.map((f) => f.id));
  expect(figures.filter(([id]) => activity.has(id)).map(([id]) => id).sort()).toEqual(asked.sort());
  expect(stored.size).toBe(figures.length);
  for (const [id, value] of figures) {
    const kind = activity.has(id) ? 'count' : ws.catalog.fieldById.get(id)!.kind;
    if (kind === 'text' || kind === 'direction') expect(stored.get(id)?.value_text, id).toBe(value);
    else expect(stored.get(id)?.value_num, id).toBe(value);
  }
}

describe.skipIf(!hasPython || !hasSoffice)('hoctap ingest: files written by openpyxl and LibreOffice', () => {
  it('a template filled with openpyxl is accepted with exact values', () => {
    const r = file('openpyxl-SGDDT.xlsx');
    expect(r.status).toBe('accepted');
    expect(r.messages).toEqual([]);
    expectStored('SGDDT', { ...unitValues.SGDDT, '1.1.1-a.m.tl': 95.5, '2.6.1-a.m.dg': 4 });
    expect(storedOf('SGDDT').get('2.1.1-a.m.tong')!.cell).toBe(cells.get('2.1.1-a.m.tong')!.cell);
  });

  it('an openpyxl formula has no cached result: rejected on its cell; the LibreOffice re-save (computed) is accepted', () => {
    const raw = file('openpyxl-formula-SKHCN.xlsx');
    const later = file('libreoffice-formula-SKHCN.xlsx');
    // Sorted by name, the LibreOffice copy comes first in the batch and is kept; the openpyxl one is a second file
    // for the same unit. Ingested alone, the openpyxl one is rejected for its formula (next test).
    expect(later.status).toBe('accepted');
    expect(later.messages).toEqual([]);
    expectStored('SKHCN', unitValues.SKHCN);
    expect(raw.status).toBe('rejected');
    expect(raw.messages.map((m) => m.code)).toEqual(['duplicate_in_batch']);
  });

  it('alone, the openpyxl formula file is rejected with the formula and the cell named', async () => {
    const alone = await ingest(ws, [path.join(root, 'inbox', 'openpyxl-formula-SKHCN.xlsx')], { year: 2024, dryRun: true });
    const r = alone.files[0];
    expect(r.status).toBe('rejected');
    const m = r.messages.filter((x) => x.severity === 'error');
    expect(m.map((x) => [x.code, x.field])).toEqual([['formula_no_result', '1.2.4-a.m.gt']]);
    expect(m[0].text).toContain('*2');
    expect(m[0].expected).toContain('lưu lại');
  });

  it('an exceljs-filled template re-saved by LibreOffice is accepted with the same values', () => {
    const r = file('libreoffice-CHUYENGIA.xlsx');
    expect(r.status).toBe('accepted');
    expect(r.messages).toEqual([]);
    expectStored('CHUYENGIA', unitValues.CHUYENGIA);
  });

  it('a real .xls saved by LibreOffice is refused with a re-save hint', () => {
    const r = file('cu-CHUYENGIA.xls');
    expect(r.status).toBe('rejected');
    expect(r.messages.map((m) => m.code)).toEqual(['old_xls']);
    expect(r.reason).toContain('lưu lại dạng .xlsx');
  });

  it('only the accepted files count as figures', () => {
    const db = new DatabaseSync(ws.dbPath, { readOnly: true });
    try {
      expect([...new Set(acceptedValues(db, 2024).map((v) => v.unit_code))].sort()).toEqual(['CHUYENGIA', 'SGDDT', 'SKHCN']);
    } finally {
      db.close();
    }
  });
});
