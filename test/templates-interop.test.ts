import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openWorkspace, type Workspace } from '../src/catalog/workspace.ts';
import { generateTemplates } from '../src/templates/generate.ts';
import { META_KEYS, META_SHEET, META_TABLE_HEADER, SHEETS } from '../src/xlsx/meta.ts';
import { libreOfficeResave, needTool, runPython, tempDir } from './helpers/tools.ts';

/**
 * Templates travel: a unit fills them with another program (here openpyxl, through `_meta`) or re-saves them with
 * LibreOffice. What hoctap and other programs rely on must come back: `_meta`, the validations, the typed inputs.
 */

// One typed value per kind, as a unit would enter it (a percent as 95.5, a rating by its label, text with a line break).
const VALUES: Record<string, string | number> = {
  percent: 95.5, count: 1234, number: 12.75, direction: 'Tăng', rating: '4 - Rất tốt',
  text: 'Quyết định số 12/QĐ-UBND', narrative: 'Đã tổ chức 12 lớp học.\nDòng thứ hai của báo cáo.', contact: 'Nguyễn Thị Bích',
  explanation: 'Số liệu đúng: năm nay mở thêm 3 trung tâm học tập cộng đồng.',
  // Issue 23 (item 4): the structured items of the narrative sheet.
  item: 'Khác',
};
// Two units that between them have every kind of input: numbers, counts, Tăng/Giảm, percentages (SNNMT), ratings (panel).
// Issue 23's 2024 assignment leaves the Sở KHCN numbers only; the Sở NNMT has a typed percentage and numbers.
const UNITS = ['SNNMT', 'CHUYENGIA'];

interface Entry { fieldId: string; indicatorId: string; kind: string; sheet: string; cell: string }

function metaOf(wb: ExcelJS.Workbook): { keys: Record<string, string>; header: string[]; entries: Entry[] } {
  const sheet = wb.getWorksheet(META_SHEET);
  if (!sheet) throw new Error('no _meta sheet');
  const text = (r: number, c: number) => {
    const v = sheet.getCell(r, c).value;
    return v === null || v === undefined ? '' : String(v);
  };
  const keys: Record<string, string> = {};
  let r = 1;
  for (; text(r, 1) !== ''; r++) keys[text(r, 1)] = text(r, 2);
  r++;
  const header = [1, 2, 3, 4, 5].map((c) => text(r, c));
  const entries: Entry[] = [];
  for (r++; r <= sheet.rowCount; r++) {
    if (text(r, 1)) entries.push({ fieldId: text(r, 1), indicatorId: text(r, 2), kind: text(r, 3), sheet: text(r, 4), cell: text(r, 5) });
  }
  return { keys, header, entries };
}

async function read(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(file) as never);
  return wb;
}

/** The comparable part of a validation: type, operator, bounds or list. */
function rule(dv: ExcelJS.DataValidation | undefined): string {
  if (!dv) return 'none';
  const operator = dv.type === 'list' ? '' : dv.operator ?? 'between';
  // Only "between" has a second bound (LibreOffice writes a meaningless second formula for the other operators).
  const formulae = (dv.formulae ?? []).slice(0, operator === 'between' || operator === 'notBetween' ? 2 : 1).map((f) => String(f).replace(/^"|"$/g, ''));
  return `${dv.type}/${operator}/${formulae.join(';')}`;
}

const PY_FILL = `
import sys, json, openpyxl
values = json.loads(sys.argv[1])
out = {}
for src, dst in zip(sys.argv[2::2], sys.argv[3::2]):
    wb = openpyxl.load_workbook(src)
    rows = [[c.value for c in r] for r in wb['_meta'].iter_rows()]
    i = 0
    while rows[i][0] not in (None, ''):
        i += 1
    i += 1
    assert rows[i][:5] == ['field_id', 'indicator_id', 'kind', 'sheet', 'cell'], rows[i]
    n = 0
    for r in rows[i + 1:]:
        if not r[0]:
            continue
        field_id, indicator_id, kind, sheet, cell = r[:5]
        wb[sheet][cell] = values[kind]
        n += 1
    wb.save(dst)
    out[dst] = n
print(json.dumps(out))
`;

/** For each file: the sheets under protection and the locked state of every input cell named in _meta (openpyxl). */
const PY_LOCKED = `
import sys, json, openpyxl
out = {}
for f in sys.argv[1:]:
    wb = openpyxl.load_workbook(f)
    rows = [[c.value for c in r] for r in wb['_meta'].iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == 'field_id') + 1
    out[f] = {
        'protected': [s.title for s in wb.worksheets if s.protection.sheet],
        'locked': {f'{r[3]}!{r[4]}': bool(wb[r[3]][r[4]].protection.locked) for r in rows[start:] if r[0]},
        'headerLocked': bool(wb['ChiSo']['A3'].protection.locked),
    }
print(json.dumps(out))
`;

const haveOpenpyxl = needTool('openpyxl');
const haveSoffice = needTool('soffice');

describe.runIf(haveOpenpyxl || haveSoffice)('templates filled or re-saved by other programs', () => {
  let dir: string;
  let ws: Workspace;
  const templates = new Map<string, string>();
  const originals = new Map<string, { meta: ReturnType<typeof metaOf>; rules: Map<string, string>; computed: Set<string> }>();

  beforeAll(async () => {
    dir = tempDir('hoctap-tpl-interop-');
    ws = openWorkspace(path.join(dir, 'ws'));
    const results = await generateTemplates(ws, { year: 2024, outDir: path.join(dir, 'templates'), units: UNITS });
    for (const r of results) {
      templates.set(r.unit.code, r.file);
      const wb = await read(r.file);
      const meta = metaOf(wb);
      // Issue 23 (item 8): a computed cell (a rate from its counts) is in the map but locked, holding the template's formula.
      const computed = new Set(meta.entries.filter((e) => { const v = wb.getWorksheet(e.sheet)!.getCell(e.cell).value; return typeof v === 'object' && v !== null && 'formula' in v; }).map((e) => `${e.sheet}!${e.cell}`));
      originals.set(r.unit.code, { meta, rules: new Map(meta.entries.map((e) => [e.fieldId, rule(wb.getWorksheet(e.sheet)!.getCell(e.cell).dataValidation)])), computed });
    }
    expect(new Set([...originals.values()].flatMap((o) => o.meta.entries.map((e) => e.kind)))).toEqual(new Set(Object.keys(VALUES)));
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(haveOpenpyxl)('the instructions shade only the colour legend like an input cell, as openpyxl reads it', () => {
    const shaded = JSON.parse(runPython(`
import sys, json, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]
print(json.dumps([c.coordinate for row in ws.iter_rows() for c in row if c.fill.fill_type == 'solid' and str(c.fill.fgColor.rgb).upper().endswith('FFF2CC')]))
`, [templates.get(UNITS[0])!, SHEETS.instructions])) as string[];
    // One cell: the legend beside the words about the yellow cells (the labels around it keep their plain style).
    expect(shaded).toHaveLength(1);
  });

  /** What must hold for a file that went through another program. */
  async function expectIntact(file: string, code: string, hiddenStates: string[], lockedReadable = true) {
    const wb = await read(file);
    const original = originals.get(code)!;
    const metaSheet = wb.getWorksheet(META_SHEET)!;
    expect(metaSheet, `${file}: _meta`).toBeTruthy();
    expect(hiddenStates).toContain(metaSheet.state);
    const meta = metaOf(wb);
    expect(Object.keys(meta.keys)).toEqual([...META_KEYS]);
    expect(meta.keys).toEqual(original.meta.keys);
    expect(meta.header).toEqual([...META_TABLE_HEADER]);
    expect(meta.entries).toEqual(original.meta.entries);
    expect(wb.worksheets.filter((s) => s.state === 'visible').map((s) => s.name)).toEqual([SHEETS.instructions, SHEETS.indicators, SHEETS.narrative]);
    for (const e of meta.entries) {
      const cell = wb.getWorksheet(e.sheet)!.getCell(e.cell);
      expect(rule(cell.dataValidation), `${code} ${e.fieldId} ${e.sheet}!${e.cell}`).toBe(original.rules.get(e.fieldId));
      expect(cell.value, `${code} ${e.fieldId} ${e.sheet}!${e.cell}`).toEqual(VALUES[e.kind]);
      if (lockedReadable && !original.computed.has(`${e.sheet}!${e.cell}`)) expect(cell.protection?.locked, `${code} ${e.fieldId}`).toBe(false);
    }
    if (lockedReadable) for (const name of [SHEETS.indicators, SHEETS.narrative]) expect((wb.getWorksheet(name) as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
  }

  it.runIf(haveOpenpyxl)('openpyxl fills a template through _meta; exceljs reads back _meta, validations and the values', async () => {
    const pairs = UNITS.flatMap((code) => [templates.get(code)!, path.join(dir, `openpyxl-${code}.xlsx`)]);
    const written = JSON.parse(runPython(PY_FILL, [JSON.stringify(VALUES), ...pairs])) as Record<string, number>;
    for (const code of UNITS) {
      const file = path.join(dir, `openpyxl-${code}.xlsx`);
      expect(written[file]).toBe(originals.get(code)!.meta.entries.length);
      await expectIntact(file, code, ['veryHidden']);
    }
  });

  it.runIf(haveSoffice)('LibreOffice re-saves a filled template; exceljs reads back _meta, validations and the values', async () => {
    const filled: string[] = [];
    for (const code of UNITS) {
      // The unit types its figures (exceljs here, as a person would in Excel), then LibreOffice saves the file again.
      const wb = await read(templates.get(code)!);
      for (const e of originals.get(code)!.meta.entries) wb.getWorksheet(e.sheet)!.getCell(e.cell).value = VALUES[e.kind];
      const file = path.join(dir, 'typed', `lo-${code}.xlsx`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await wb.xlsx.writeFile(file);
      filled.push(file);
    }
    const resaved = libreOfficeResave(filled, path.join(dir, 'libreoffice'));
    for (const [i, code] of UNITS.entries()) {
      expect(fs.existsSync(resaved[i]), resaved[i]).toBe(true);
      // LibreOffice has no "very hidden": it may write the sheet as plainly hidden, which still keeps it out of sight.
      // exceljs reads LibreOffice's locked="false" and sheet="true" wrongly (it only knows "0"/"1"): protection is checked below with openpyxl.
      await expectIntact(resaved[i], code, ['veryHidden', 'hidden'], false);
    }
    if (haveOpenpyxl) {
      const read = JSON.parse(runPython(PY_LOCKED, resaved)) as Record<string, { protected: string[]; locked: Record<string, boolean>; headerLocked: boolean }>;
      for (const [i, code] of UNITS.entries()) {
        const r = read[resaved[i]];
        expect(r.protected).toEqual(expect.arrayContaining([SHEETS.instructions, SHEETS.indicators, SHEETS.narrative]));
        expect(Object.keys(r.locked).sort()).toEqual(originals.get(code)!.meta.entries.map((e) => `${e.sheet}!${e.cell}`).sort());
        expect(Object.entries(r.locked).filter(([, locked]) => locked).map(([at]) => at).sort()).toEqual([...originals.get(code)!.computed].sort());
        expect(r.headerLocked).toBe(true);
      }
    }
  });
});
