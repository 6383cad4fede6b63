import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openWorkspace, type Unit, type Workspace } from '../src/catalog/workspace.ts';
import { openDatabase, storeOn } from './helpers/sqlite.ts';
import { UserError } from '../src/errors.ts';
import {
  buildTemplateWorkbook, generateTemplates, templateFileName, RATING_OPTIONS,
} from '../src/templates/generate.ts';
import { indicatorsForUnit } from '../src/catalog/workspace.ts';
import { workspaceForYear } from '../src/catalog/years.ts';
import { narrativesForUnit } from '../src/catalog/assignments.ts';
import {
  CONTACT_FIELDS, META_KEYS, META_SHEET, META_TABLE_HEADER, NARRATIVE_PLACEHOLDER, SHEETS, TEMPLATE_VERSION, explanationFieldId, narrativeFieldId,
} from '../src/xlsx/meta.ts';
import { tempDir } from './helpers/tools.ts';
import { figuresAsked } from '../src/catalog/asks.ts';
import { runHoctap } from './helpers/cli.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

let ws: Workspace;
beforeAll(() => {
  ws = openWorkspace(tmp('hoctap-tpl-ws-'));
});
const unit = (code: string): Unit => ws.roster.find((u) => u.code === code)!;

/** Writes a workbook to bytes and reads it back, as a unit's computer would open the file. */
async function roundTrip(wb: ExcelJS.Workbook): Promise<ExcelJS.Workbook> {
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(Buffer.from(await wb.xlsx.writeBuffer()) as never);
  return back;
}

/** exceljs keeps a sheet's protection in a property its type declarations leave out. */
const protectionOf = (sheet: ExcelJS.Worksheet) => (sheet as unknown as { sheetProtection?: Record<string, unknown> }).sheetProtection;

/** A computed cell of the template (issue 23, item 8): it holds a formula, the unit types nothing in it. */
function isComputed(wb: ExcelJS.Workbook, e: { sheet: string; cell: string }): boolean {
  const v = wb.getWorksheet(e.sheet)!.getCell(e.cell).value;
  return typeof v === 'object' && v !== null && 'formula' in v;
}

interface MetaRead { keys: Map<string, string>; header: string[]; entries: { fieldId: string; indicatorId: string; kind: string; sheet: string; cell: string }[] }

/** Reads `_meta` the way another program would: key/value rows, an empty row, the header, then the table. */
function readMeta(wb: ExcelJS.Workbook): MetaRead {
  const sheet = wb.getWorksheet(META_SHEET)!;
  const text = (r: number, c: number) => {
    const v = sheet.getCell(r, c).value;
    return v === null || v === undefined ? '' : String(v);
  };
  const keys = new Map<string, string>();
  let r = 1;
  for (; text(r, 1) !== ''; r++) keys.set(text(r, 1), text(r, 2));
  r++;
  const header = [1, 2, 3, 4, 5].map((c) => text(r, c));
  const entries = [];
  for (r++; r <= sheet.rowCount; r++) {
    if (!text(r, 1)) continue;
    entries.push({ fieldId: text(r, 1), indicatorId: text(r, 2), kind: text(r, 3), sheet: text(r, 4), cell: text(r, 5) });
  }
  return { keys, header, entries };
}

// SLDTBXH, STTTT: 2024's Sở Lao động - Thương binh và Xã hội and Sở Thông tin và Truyền thông, apart from the Sở Nội vụ
// and the Sở Khoa học và Công nghệ until the 2025 mergers (issue 23).
const UNITS = ['SGDDT', 'SNV', 'SLDTBXH', 'Q1', 'CHUYENGIA', 'HKHTP', 'TRUYENTHONG', 'SKHCN', 'STTTT'];

describe('one workbook per unit', () => {
  const books = new Map<string, ExcelJS.Workbook>();
  beforeAll(async () => {
    for (const code of UNITS) books.set(code, await roundTrip(await buildTemplateWorkbook(ws, unit(code), 2024, { generatedAt: new Date('2024-10-01T08:00:00Z') })));
  });

  it('has the instructions first, then the indicators, the narrative and a veryHidden _meta', () => {
    for (const code of UNITS) {
      const wb = books.get(code)!;
      expect(wb.worksheets.map((s) => s.name)).toEqual([SHEETS.instructions, SHEETS.indicators, SHEETS.narrative, META_SHEET]);
      expect(wb.getWorksheet(META_SHEET)!.state).toBe('veryHidden');
      for (const name of [SHEETS.instructions, SHEETS.indicators, SHEETS.narrative]) expect(wb.getWorksheet(name)!.state).toBe('visible');
    }
  });

  it('holds the indicators of the unit\'s agency and only those, each field once in _meta', () => {
    for (const code of UNITS) {
      const wb = books.get(code)!;
      const u = unit(code);
      // The 2024 template asks 2024's assignment (issue 23: assignments.csv; SNV's labour indicators were SLDTBXH's).
      const expected = workspaceForYear(ws, 2024).catalog.indicators.filter((i) => i.agencyCodes.includes(u.agencyCode));
      const meta = readMeta(wb);
      const fromMeta = [...new Set(meta.entries.filter((e) => e.indicatorId).map((e) => e.indicatorId))];
      expect(fromMeta).toEqual(expected.map((i) => i.id));
      const expectedFields = expected.flatMap((i) => i.fields.map((f) => f.id));
      expect(meta.entries.filter((e) => e.indicatorId && e.kind !== 'explanation').map((e) => e.fieldId)).toEqual(expectedFields);
      // The visible sheet names the same indicators, "[id] text" in the Chỉ số column.
      const shown = new Set<string>();
      wb.getWorksheet(SHEETS.indicators)!.eachRow((row) => {
        const m = /^\[([^\]]+)\]/.exec(String(row.getCell(3).value ?? ''));
        if (m) shown.add(m[1]);
      });
      expect([...shown]).toEqual(expected.map((i) => i.id));
      expect(indicatorsForUnit(workspaceForYear(ws, 2024), u).map((i) => i.id)).toEqual(expected.map((i) => i.id)); // 2024's view (issue 23)
    }
    // Facts of the appendix: a local unit reports six indicators, among them the share of citizens taking part.
    const q1 = readMeta(books.get('Q1')!).entries.map((e) => e.indicatorId);
    expect(new Set(q1.filter(Boolean)).size).toBe(6);
    expect(q1).toContain('1.1.2-a');
    expect(q1).not.toContain('1.1.1-a');
    // An indicator shared by two agencies is in both agencies' workbooks.
    // In 2024 2.1.4-a was the Sở Lao động - Thương binh và Xã hội's and the Sở Giáo dục và Đào tạo's (issue 23).
    for (const code of ['SGDDT', 'SLDTBXH']) expect(readMeta(books.get(code)!).entries.map((e) => e.indicatorId)).toContain('2.1.4-a');
    expect(readMeta(books.get('SNV')!).entries.map((e) => e.indicatorId)).not.toContain('2.1.4-a');
    for (const code of ['SVHTTDL', 'TRUYENTHONG'].filter((c) => books.has(c))) expect(readMeta(books.get(code)!).entries.map((e) => e.indicatorId)).toContain('2.6.2-a');
  });

  it('has a complete _meta whose cells point at the right inputs', () => {
    for (const code of UNITS) {
      const wb = books.get(code)!;
      const u = unit(code);
      const meta = readMeta(wb);
      expect([...meta.keys.keys()]).toEqual([...META_KEYS]);
      expect(Object.fromEntries(meta.keys)).toEqual({
        template_version: TEMPLATE_VERSION, catalog_version: ws.catalog.version, profile: 'hcm', year: '2024',
        unit_code: u.code, unit_name: u.name, agency_code: u.agencyCode, generated_at: '2024-10-01T08:00:00.000Z',
      });
      expect(meta.header).toEqual([...META_TABLE_HEADER]);
      const cells = meta.entries.map((e) => `${e.sheet}!${e.cell}`);
      expect(new Set(cells).size).toBe(cells.length);

      const ind = wb.getWorksheet(SHEETS.indicators)!;
      for (const e of meta.entries.filter((x) => x.indicatorId && x.kind !== 'explanation')) {
        // The template speaks its year's words (2024: districts), as the year's view of the catalog does.
        const field = workspaceForYear(ws, 2024).catalog.fieldById.get(e.fieldId)!;
        expect(e.sheet).toBe(SHEETS.indicators);
        expect(e.kind).toBe(field.kind);
        expect(e.cell).toMatch(/^[A-Z]+\d+$/);
        const row = ind.getCell(e.cell).row;
        if (field.role === 'evidence') {
          // The evidence cell stands on the indicator's first row, in the Minh chứng column.
          expect(String(ind.getCell(Number(row), 3).value)).toContain(`[${e.indicatorId}]`);
          expect(String(ind.getCell(3, ind.getCell(e.cell).col).value)).toBe('Minh chứng / ghi chú');
        } else {
          expect(ind.getCell(Number(row), 5).value).toBe(field.label);
          expect(String(ind.getCell(3, ind.getCell(e.cell).col).value)).toBe('Số liệu năm 2024');
        }
        // Issue 23 (item 8): a computed cell holds its formula (a rate from its counts, a quantity asked once); inputs are empty.
        if (!isComputed(wb, e)) expect(ind.getCell(e.cell).value).toBeNull();
      }
      const narrative = wb.getWorksheet(SHEETS.narrative)!;
      const narrativeEntries = meta.entries.filter((e) => e.kind === 'narrative');
      // Every section the unit's agency is asked (issue 23: the universities' training section is theirs alone).
      expect(narrativeEntries.map((e) => e.fieldId)).toEqual(narrativesForUnit(ws.catalog, unit(code)).map((s) => narrativeFieldId(s.id)));
      expect(narrativeEntries.map((e) => e.fieldId)).not.toContain(narrativeFieldId('dao_tao_boi_duong'));
      for (const [i, e] of narrativeEntries.entries()) {
        expect(e.sheet).toBe(SHEETS.narrative);
        expect(e.indicatorId).toBe('');
        expect(narrative.getCell(e.cell).value).toBe(NARRATIVE_PLACEHOLDER);
        const label = narrative.getCell(Number(narrative.getCell(e.cell).row), 1).value as ExcelJS.CellRichTextValue;
        expect(label.richText.map((t) => t.text).join('')).toContain(narrativesForUnit(ws.catalog, unit(code))[i].reportSection + '.');
      }
      // Each activity figure on its own row right below its section's text: labelled, a whole number ≥ 0, empty.
      const figureEntries = meta.entries.filter((e) => e.sheet === SHEETS.narrative && e.kind === 'count');
      // Issue 23 (item 4): only the kinds of unit narrative_items.csv asks them of (the expert panel is asked none).
      const catalogFigures = ws.catalog.narratives.flatMap((n) => n.figures).filter((f) => figuresAsked(ws.catalog.asks, f.sectionId, u.agencyKind));
      expect(figureEntries.map((e) => e.fieldId)).toEqual(catalogFigures.map((f) => f.id));
      expect(catalogFigures.map((f) => f.id)).toHaveLength(u.agencyKind === 'panel' ? 0 : 5);
      for (const [i, e] of figureEntries.entries()) {
        const f = catalogFigures[i];
        const row = Number(narrative.getCell(e.cell).row);
        expect(e.indicatorId).toBe('');
        expect(narrative.getCell(row, 1).value).toBe(`${f.label} (${f.unit})`);
        expect(narrative.getCell(e.cell).value).toBeNull();
        expect(narrative.getCell(e.cell).dataValidation).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual', formulae: [0] });
        const own = narrativeEntries.find((x) => x.fieldId === narrativeFieldId(f.sectionId))!;
        const siblings = catalogFigures.filter((g) => g.sectionId === f.sectionId);
        expect(row - Number(narrative.getCell(own.cell).row)).toBe(1 + siblings.indexOf(f));
      }
      const contacts = meta.entries.filter((e) => e.kind === 'contact');
      expect(contacts.map((e) => e.fieldId)).toEqual(CONTACT_FIELDS.map((c) => c.id));
      for (const [i, e] of contacts.entries()) {
        expect(narrative.getCell(Number(narrative.getCell(e.cell).row), 1).value).toBe(CONTACT_FIELDS[i].label);
        expect(narrative.getCell(e.cell).value).toBeNull();
      }
      // One explanation ("Giải trình") per indicator, on its first row, in its own column, empty and unlocked.
      const explanations = meta.entries.filter((e) => e.kind === 'explanation');
      // 2024's assignment (issue 23) and the unit's own sections.
      const asked = indicatorsForUnit(workspaceForYear(ws, 2024), u);
      expect(explanations.map((e) => [e.fieldId, e.indicatorId, e.sheet])).toEqual(asked.map((i) => [explanationFieldId(i.id), i.id, SHEETS.indicators]));
      for (const e of explanations) {
        const c = ind.getCell(e.cell);
        expect(String(ind.getCell(Number(c.row), 3).value)).toContain(`[${e.indicatorId}]`);
        expect(ind.getCell(3, c.col).value).toBe('Giải trình');
        expect(c.value).toBeNull();
      }
      // Issue 23 (item 4): and the cells of the structured items the unit's kind is asked (narrative_items.csv), in the
      // sections its agency is asked.
      const ownSections = new Set(narrativesForUnit(ws.catalog, u).map((s) => s.id));
      const items = meta.entries.filter((e) => e.kind === 'item');
      expect(items.length).toBe(ws.catalog.asks.items.filter((a) => ownSections.has(a.sectionId) && !a.exceptKinds.includes(u.agencyKind)).reduce((n, a) => n + a.slots * (a.item === 'highlight' || a.item === 'difficulty' ? 2 : 3), 0));
      expect(meta.entries.length).toBe(asked.reduce((n, i) => n + i.fields.length, 0) + narrativesForUnit(ws.catalog, u).length + catalogFigures.length + CONTACT_FIELDS.length + explanations.length + items.length);
    }
  });

  it('puts a validation with Vietnamese prompt and error on every input cell, by kind', () => {
    const seen = new Set<string>();
    for (const code of UNITS) {
      const wb = books.get(code)!;
      for (const e of readMeta(wb).entries) {
        // Issue 23 (item 8): a computed cell (a rate from its counts, a quantity asked once) holds a locked formula, no validation.
        if (isComputed(wb, e)) continue;
        const dv = wb.getWorksheet(e.sheet)!.getCell(e.cell).dataValidation;
        expect(dv, `${code} ${e.fieldId} ${e.cell}`).toBeTruthy();
        expect(dv.showErrorMessage).toBe(true);
        expect(dv.errorStyle ?? 'stop').toBe('stop');
        expect(dv.prompt && dv.error).toBeTruthy();
        seen.add(e.kind);
        switch (e.kind) {
          case 'percent': expect([dv.type, dv.operator ?? 'between', dv.formulae.map(Number)]).toEqual(['decimal', 'between', [0, 100]]); break;
          case 'count': expect([dv.type, dv.operator, dv.formulae.map(Number)]).toEqual(['whole', 'greaterThanOrEqual', [0]]); break;
          case 'number': expect([dv.type, dv.operator, dv.formulae.map(Number)]).toEqual(['decimal', 'greaterThanOrEqual', [0]]); break;
          case 'direction': expect([dv.type, dv.formulae]).toEqual(['list', ['"Tăng,Giảm"']]); break;
          case 'rating': expect([dv.type, dv.formulae]).toEqual(['list', ['"5 - Xuất sắc,4 - Rất tốt,3 - Tốt,2 - Khá,1 - Yếu"']]); break;
          // Issue 23 (item 4): a structured item's cell is a short text or a choice in its list (item_lists.csv).
          case 'item': expect(['textLength', 'list']).toContain(dv.type); break;
          default: expect(dv.type).toBe('textLength');
        }
      }
    }
    // Issue 23 (item 4): the structured items of the narrative sheet are a kind of input of their own.
    expect([...seen].sort()).toEqual(['contact', 'count', 'direction', 'explanation', 'item', 'narrative', 'number', 'percent', 'rating', 'text']);
    expect(RATING_OPTIONS).toEqual(['5 - Xuất sắc', '4 - Rất tốt', '3 - Tốt', '2 - Khá', '1 - Yếu']);
  });

  it('locks every sheet without a password and unlocks and shades only the inputs', () => {
    for (const code of UNITS) {
      const wb = books.get(code)!;
      // Issue 23 (item 8): computed cells are in the map but locked (a formula the unit does not type over).
      const inputs = new Set(readMeta(wb).entries.filter((e) => !isComputed(wb, e)).map((e) => `${e.sheet}!${e.cell}`));
      for (const sheet of wb.worksheets) {
        const p = protectionOf(sheet) as { sheet?: boolean; hashValue?: string; password?: string } | undefined;
        expect(p?.sheet, `${code} ${sheet.name}`).toBe(true);
        expect(p?.hashValue ?? p?.password).toBeUndefined();
        if (sheet.name === META_SHEET) continue;
        let unlocked = 0;
        sheet.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: true }, (cell) => {
          const isInput = inputs.has(`${sheet.name}!${cell.address}`);
          if (cell.isMerged && cell.master !== cell) return;
          if (isInput) {
            expect(cell.protection?.locked, `${sheet.name}!${cell.address}`).toBe(false);
            expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFF2CC');
          } else {
            expect(cell.protection?.locked, `${sheet.name}!${cell.address}`).not.toBe(false);
          }
          if (cell.protection?.locked === false) unlocked++;
        }));
        expect(unlocked).toBe([...inputs].filter((k) => k.startsWith(sheet.name + '!')).length);
      }
    }
  });

  it('formats numbers, freezes the headers and prints on A4 landscape fitted to the width', () => {
    // The Sở Khoa học và Công nghệ's and the Sở Thông tin và Truyền thông's templates: one department until 2025 (issue 23).
    const formats = new Map<string, Set<string>>();
    for (const code of ['SKHCN', 'STTTT']) {
      const book = books.get(code)!;
      for (const e of readMeta(book).entries.filter((x) => x.sheet === SHEETS.indicators)) {
        const s = formats.get(e.kind) ?? new Set();
        s.add(book.getWorksheet(SHEETS.indicators)!.getCell(e.cell).numFmt);
        formats.set(e.kind, s);
      }
    }
    const wb = books.get('SKHCN')!;
    const sheet = wb.getWorksheet(SHEETS.indicators)!;
    expect([...formats.get('percent')!]).toEqual(['0.0##']);
    expect([...formats.get('count')!]).toEqual(['#,##0']);
    expect([...formats.get('number')!]).toEqual(['#,##0.###']);
    for (const name of [SHEETS.indicators, SHEETS.narrative]) {
      const s = wb.getWorksheet(name)!;
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      expect(s.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' });
    }
    const header = sheet.getRow(3).values as unknown[];
    // Issue 23 (item 8): the indicator column carries its definition and reference date; the target column is the city's.
    expect(header.slice(1)).toEqual(['Tiêu chuẩn', 'Tiêu chí', 'Chỉ số (định nghĩa, thời điểm số liệu)', 'Chỉ tiêu của Thành phố (năm 2024)', 'Nội dung số liệu', 'Đơn vị tính', 'Số liệu năm 2024', 'Năm 2023 (đã báo cáo)', 'Minh chứng / ghi chú', 'Giải trình']);
  });

  it('tells in Vietnamese who fills it, the deadline, how to type numbers and where to send it', () => {
    const wb = books.get('Q1')!;
    const text: string[] = [];
    wb.getWorksheet(SHEETS.instructions)!.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
    const all = text.join('\n');
    expect(all).toContain('Ủy ban nhân dân Quận 1 (mã Q1)');
    // Issue 23: 002 asks the units to report before 30/12/2024 (the profile's deadline of 2024).
    expect(all).toContain('ngày 30 tháng 12 năm 2024');
    expect(all).toContain(ws.profile.submitTo);
    expect(all).toContain('95,5');
    expect(all).toContain('Không đổi tên');
    expect(all).toContain(templateFileName(unit('Q1'), 2024));
    // What the explanation column is for: answering a query or a warning, not changing a true figure.
    expect(all).toContain('Cột "Giải trình"');
    expect(all).toMatch(/hỏi lại.*cảnh báo.*không sửa một số liệu đúng/s);
  });

  it('shows each indicator\'s target for the year: the roadmap target beside the criterion threshold', async () => {
    const targetOf = (wb: ExcelJS.Workbook, id: string) => {
      const sheet = wb.getWorksheet(SHEETS.indicators)!;
      let found = '';
      sheet.eachRow((row) => {
        if (String(row.getCell(3).value ?? '').startsWith(`[${id}]`)) found = String(row.getCell(4).value);
      });
      return found;
    };
    expect(targetOf(books.get('SGDDT')!, '1.1.1-a')).toBe('≥ 95%');
    expect(targetOf(books.get('HKHTP')!, '2.2.2-a')).toBe('≥ 90%');
    const wb2023 = await roundTrip(await buildTemplateWorkbook(ws, unit('HKHTP'), 2023));
    expect(targetOf(wb2023, '2.2.2-a')).toBe('Năm 2023: ≥ 60% · Ngưỡng: ≥ 90%');
  });
});

describe('file names', () => {
  it('are ASCII, start with the year and name the unit', () => {
    expect(templateFileName(unit('Q1'), 2024)).toBe('2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx');
    expect(templateFileName(unit('SVHTTDL'), 2025)).toBe('2025_SVHTTDL_So-Van-hoa-The-thao-va-Du-lich.xlsx');
    const names = ws.roster.map((u) => templateFileName(u, 2024));
    for (const n of names) expect(n).toMatch(/^2024_[A-Za-z0-9_-]+\.xlsx$/);
    expect(new Set(names).size).toBe(names.length);
  });
});

/** Every cell of every sheet: value, format, protection, validation; plus merges, views and print setup. */
async function fingerprint(wb: ExcelJS.Workbook): Promise<string[]> {
  const out: string[] = [];
  for (const sheet of wb.worksheets) {
    out.push(`${sheet.name} state=${sheet.state} merges=${JSON.stringify(Object.keys((sheet as unknown as { _merges: object })._merges).sort())}`);
    out.push(JSON.stringify({ views: sheet.views, page: sheet.pageSetup, prot: protectionOf(sheet) }));
    sheet.eachRow({ includeEmpty: true }, (row, r) => {
      out.push(`${sheet.name} row ${r} h=${row.height}`);
      row.eachCell({ includeEmpty: true }, (cell) => {
        const isGeneratedAt = sheet.name === META_SHEET && row.getCell(1).value === 'generated_at' && Number(cell.col) === 2;
        out.push(`${sheet.name}!${cell.address} ${isGeneratedAt ? '<generated_at>' : JSON.stringify(cell.value)} ${cell.numFmt} ${JSON.stringify(cell.protection)} ${JSON.stringify(cell.dataValidation)}`);
      });
    });
  }
  return out;
}

describe('determinism', () => {
  it('generating the same year twice gives the same cells; only generated_at differs', async () => {
    for (const code of ['SGDDT', 'Q1']) {
      const a = await buildTemplateWorkbook(ws, unit(code), 2024, { generatedAt: new Date('2024-10-01T08:00:00Z') });
      const b = await buildTemplateWorkbook(ws, unit(code), 2024, { generatedAt: new Date('2024-11-15T09:30:00Z') });
      const [ra, rb] = [await roundTrip(a), await roundTrip(b)];
      expect(await fingerprint(ra)).toEqual(await fingerprint(rb));
      expect(readMeta(ra).keys.get('generated_at')).not.toBe(readMeta(rb).keys.get('generated_at'));
    }
  });
});

describe('previous year for reference', () => {
  it('shows the unit\'s accepted figures of the year before beside the inputs, and nothing else', async () => {
    const dir = tmp('hoctap-tpl-db-');
    const db = openDatabase(path.join(dir, 'hoctap.sqlite'));
    const insertSubmission = db.prepare(`INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, received_at, ingested_at, status)
      VALUES (?, ?, 'f.xlsx', ?, 'a', 'xlsx', '2023-12-01', '2023-12-01', ?) RETURNING id`);
    const insertValue = db.prepare('INSERT INTO field_values (submission_id, field_id, indicator_id, raw, value_num, value_text) VALUES (?, ?, ?, ?, ?, ?)');
    const sub = (u: string, y: number, status: string) => (insertSubmission.get(u, y, crypto.randomUUID(), status) as { id: number }).id;
    const accepted = sub('Q1', 2023, 'accepted');
    insertValue.run(accepted, '1.1.2-a.m.tu', '1.1.2-a', '1200', 1200, null);
    insertValue.run(accepted, '1.1.2-a.m.tl', '1.1.2-a', '85,5', 85.5, null);
    insertValue.run(accepted, '1.1.2-a.minhchung', '1.1.2-a', 'QĐ 12', null, 'QĐ 12');
    const old = sub('Q1', 2023, 'superseded');
    insertValue.run(old, '1.1.2-a.m.mau', '1.1.2-a', '999', 999, null);
    const otherYear = sub('Q1', 2022, 'accepted');
    insertValue.run(otherYear, '1.3.2-a.m.tu', '1.3.2-a', '7', 7, null);
    const otherUnit = sub('Q3', 2023, 'accepted');
    insertValue.run(otherUnit, '1.3.1-b.m.tu', '1.3.1-b', '5', 5, null);
    const kh = sub('SKHCN', 2023, 'accepted');
    insertValue.run(kh, '1.2.4-a.m.xh', '1.2.4-a', 'Tăng', null, 'Tăng');

    const refs = async (code: string) => {
      const wb = await roundTrip(await buildTemplateWorkbook(ws, unit(code), 2024, { previousFigures: (u, y) => storeOn(db).acceptedValuesOfUnit(u, y) }));
      const sheet = wb.getWorksheet(SHEETS.indicators)!;
      const out: Record<string, unknown> = {};
      const entries = readMeta(wb).entries.filter((x) => x.sheet === SHEETS.indicators);
      const inputs = new Set(entries.map((e) => e.cell));
      for (const e of entries) {
        const input = sheet.getCell(e.cell);
        const ref = sheet.getCell(Number(input.row), Number(input.col) + 1);
        if (ref.value !== null && ref.value !== undefined) out[e.fieldId] = ref.value;
        // Right of the evidence cell is the explanation input; right of a figure, its locked reference.
        if (!inputs.has(ref.address)) expect(ref.protection?.locked).not.toBe(false);
      }
      return out;
    };
    expect(await refs('Q1')).toEqual({ '1.1.2-a.m.tu': 1200, '1.1.2-a.m.tl': 85.5 });
    expect(await refs('SKHCN')).toEqual({ '1.2.4-a.m.xh': 'Tăng' });
    expect(await refs('Q4')).toEqual({});
    db.close();
  });
});

describe('generateTemplates', () => {
  it('writes one file per chosen unit, keeps existing files unless forced, and rejects unknown codes', async () => {
    const out = tmp('hoctap-tpl-out-');
    const first = await generateTemplates(ws, { year: 2024, outDir: out, agencies: ['UBND'], units: ['sgddt'] });
    expect(first.map((r) => r.unit.code)).toEqual(ws.roster.filter((u) => u.agencyCode === 'UBND' || u.code === 'SGDDT').map((u) => u.code));
    expect(first.every((r) => !r.skipped && fs.existsSync(r.file))).toBe(true);
    expect(fs.readdirSync(out).sort()).toEqual(first.map((r) => path.basename(r.file)).sort());
    expect(first.find((r) => r.unit.code === 'SGDDT')!.indicators).toBe(indicatorsForUnit(ws, unit('SGDDT')).length);

    const q1 = path.join(out, templateFileName(unit('Q1'), 2024));
    fs.writeFileSync(q1, 'do not overwrite');
    fs.rmSync(path.join(out, templateFileName(unit('Q3'), 2024)));
    const again = await generateTemplates(ws, { year: 2024, outDir: out, units: ['Q1', 'Q3'] });
    expect(again.map((r) => [r.unit.code, r.skipped])).toEqual([['Q1', true], ['Q3', false]]);
    expect(fs.readFileSync(q1, 'utf8')).toBe('do not overwrite');
    const forced = await generateTemplates(ws, { year: 2024, outDir: out, units: ['Q1'], force: true });
    expect(forced[0].skipped).toBe(false);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(q1);
    expect(readMeta(wb).keys.get('unit_code')).toBe('Q1');

    await expect(generateTemplates(ws, { year: 2024, outDir: out, units: ['Q2'] })).rejects.toThrow(UserError);
    await expect(generateTemplates(ws, { year: 2024, outDir: out, units: ['Q2'] })).rejects.toThrow(/Q2.*Q1, Q3/);
    await expect(generateTemplates(ws, { year: 2024, outDir: out, agencies: ['XYZ'] })).rejects.toThrow(/XYZ.*GDDT/);
  });
});

describe('hoctap generate-templates (CLI)', () => {
  const run = (args: string[]) => runHoctap(args, { cwd: REPO });

  it('writes the whole roster, shows last year\'s figures from the store, and a second run overwrites nothing', async () => {
    const dir = tmp('hoctap-tpl-cli-');
    const db = openDatabase(path.join(dir, 'hoctap.sqlite'));
    const id = (db.prepare(`INSERT INTO submissions (unit_code, year, file_name, sha256, archive_path, source_kind, received_at, ingested_at, status)
      VALUES ('Q1', 2023, 'q1.xlsx', 'x', 'a', 'xlsx', '2023-12-01', '2023-12-01', 'accepted') RETURNING id`).get() as { id: number }).id;
    db.prepare('INSERT INTO field_values (submission_id, field_id, indicator_id, raw, value_num) VALUES (?, ?, ?, ?, ?)').run(id, '1.3.2-a.m.tu', '1.3.2-a', '42', 42);
    db.close();

    const first = run(['-w', dir, 'generate-templates', '--year', '2024']);
    expect(first.stderr).not.toMatch(/Lỗi/);
    expect(first.status).toBe(0);
    const outDir = path.join(dir, 'templates', '2024');
    const files = fs.readdirSync(outDir).sort();
    const roster = openWorkspace(dir).roster;
    // 48 since issue 23: the Mặt trận and five organisations, five sample universities, three 2024 departments apart.
    expect(roster.length).toBe(48);
    expect(roster.filter((u) => u.agencyCode === 'UBND').length).toBe(22);
    expect(files.length).toBe(48);
    expect(files).toEqual(roster.map((u) => templateFileName(u, 2024)).sort());
    expect(first.stdout).toContain('Đã tạo 48 biểu mẫu trong ' + outDir);
    expect(first.stdout).toContain('2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx');
    expect(first.stdout).toMatch(/Số chỉ số/);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(outDir, '2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx'));
    const entry = readMeta(wb).entries.find((e) => e.fieldId === '1.3.2-a.m.tu')!;
    const input = wb.getWorksheet(SHEETS.indicators)!.getCell(entry.cell);
    expect(wb.getWorksheet(SHEETS.indicators)!.getCell(Number(input.row), Number(input.col) + 1).value).toBe(42);

    const state = () => files.map((f) => {
      const p = path.join(outDir, f);
      return `${f} ${fs.statSync(p).mtimeMs} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
    });
    const before = state();
    const second = run(['-w', dir, 'generate-templates', '--year', '2024']);
    expect(second.status).toBe(0);
    expect(state()).toEqual(before);
    expect(second.stdout).toContain('Đã tạo 0 biểu mẫu');
    expect(second.stdout).toContain('đã có, bỏ qua; dùng --force để ghi đè');

    const forced = run(['-w', dir, 'generate-templates', '--year', '2024', '--unit', 'Q1', '--force']);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain('Đã tạo 1 biểu mẫu');
    const after = state();
    expect(after.filter((s, i) => s !== before[i]).map((s) => s.split(' ')[0])).toEqual(['2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx']);
  });

  it('says in one line which codes exist when a code is wrong, and needs --year', () => {
    const dir = tmp('hoctap-tpl-cli-bad-');
    const bad = run(['-w', dir, 'generate-templates', '--year', '2024', '--agency', 'GDDT,NOPE']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Không có cơ quan mã "NOPE"\. Các mã: GDDT, NV/);
    expect(bad.stderr).not.toMatch(/at .*\.ts:/);
    const noYear = run(['-w', dir, 'generate-templates']);
    expect(noYear.status).toBe(2);
    expect(noYear.stderr).toContain('--year');
    expect(fs.existsSync(path.join(dir, 'templates'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'hoctap.sqlite'))).toBe(false);
  });
});
