/**
 * Reads the raw value of every mapped cell of a returned workbook. Nothing is interpreted here: values.ts normalises,
 * check.ts judges. (Reading the workbook and its `_meta`: src/xlsx/read-workbook.ts.)
 */
import ExcelJS from 'exceljs';
import type { Catalog } from '../catalog/types.ts';
import { EXPLANATION_KIND, explanationFieldId, narrativeFieldId } from '../catalog/ids.ts';
import { CONTACT_FIELDS, CONTACT_KIND, META_SHEET, NARRATIVE_KIND, type TemplateMeta } from '../xlsx/meta.ts';
import { parseA1 } from '../xlsx/a1.ts';
import { exceljsWorkbookView } from '../xlsx/exceljs-view.ts';
import { cellString, type SheetView, type WorkbookView } from '../xlsx/view.ts';
import type { RawInput } from './types.ts';

export type Failure = { ok: false; code: string; reason: string; expected: string };

export type { SheetView, WorkbookView } from '../xlsx/view.ts';

export interface InputsRead {
  inputs: RawInput[];
  /** File-level problems: a mapped sheet is gone, or rows were inserted so the map no longer fits. */
  problems: Failure[];
}

/**
 * The raw value of every mapped cell. Each entry is checked against the catalog (same field, same kind) and against
 * the sheet (the field's label still on the input's row), since a map followed blindly after an inserted row would
 * read every figure from the wrong line.
 */
export function readInputs(book: WorkbookView | ExcelJS.Workbook, meta: TemplateMeta, catalog: Catalog): InputsRead {
  const workbook = book instanceof ExcelJS.Workbook ? exceljsWorkbookView(book) : book;
  const inputs: RawInput[] = [];
  const problems: Failure[] = [];
  const contactIds = new Set<string>(CONTACT_FIELDS.map((c) => c.id));
  const narrativeIds = new Set(catalog.narratives.map((n) => narrativeFieldId(n.id)));
  for (const e of meta.entries) {
    // The explanation cells (template side of issue 12.5) are not read by this ingest yet: checked, then left out.
    if (e.kind === EXPLANATION_KIND) {
      if (e.fieldId !== explanationFieldId(e.indicatorId) || !catalog.indicatorById.has(e.indicatorId)) {
        problems.push({ ok: false, code: 'bad_meta', reason: `trang ẩn ${META_SHEET} đã bị sửa: ô "${e.fieldId}" không có trong danh mục`, expected: 'dùng lại biểu mẫu gốc' });
      }
      continue;
    }
    if (e.kind === NARRATIVE_KIND ? !narrativeIds.has(e.fieldId) : e.kind === CONTACT_KIND ? !contactIds.has(e.fieldId) : false) {
      problems.push({ ok: false, code: 'bad_meta', reason: `trang ẩn ${META_SHEET} đã bị sửa: ô "${e.fieldId}" không có trong danh mục`, expected: 'dùng lại biểu mẫu gốc' });
      continue;
    }
    if (e.kind !== NARRATIVE_KIND && e.kind !== CONTACT_KIND) {
      const field = catalog.fieldById.get(e.fieldId);
      if (!field || field.kind !== e.kind || field.indicatorId !== e.indicatorId) {
        problems.push({
          ok: false, code: 'bad_meta',
          reason: `trang ẩn ${META_SHEET} không khớp danh mục: ô "${e.fieldId}" (${e.kind}) ${field ? `trong danh mục là loại ${field.kind} của chỉ số ${field.indicatorId}` : 'không có trong danh mục'}`,
          expected: 'dùng lại biểu mẫu gốc',
        });
        continue;
      }
    }
    const sheet = workbook.sheet(e.sheet);
    if (!sheet) {
      if (!problems.some((p) => p.code === 'missing_sheet' && p.reason.includes(`"${e.sheet}"`))) {
        problems.push({ ok: false, code: 'missing_sheet', reason: `không còn trang "${e.sheet}" (đã bị đổi tên hoặc xóa)`, expected: `giữ nguyên tên trang "${e.sheet}" của biểu mẫu` });
      }
      continue;
    }
    const cell = sheet.cell(e.cell);
    const field = catalog.fieldById.get(e.fieldId);
    if (field && field.kind !== 'text' && !rowHasText(sheet, e.cell, field.label)) {
      problems.push({
        ok: false, code: 'layout_changed',
        reason: `trang ${e.sheet} đã bị thêm, xóa hoặc sắp xếp lại dòng: ô ${e.cell} không còn nằm trên dòng "${field.label}" (${e.fieldId})`,
        expected: 'điền lại vào biểu mẫu gốc, không thêm hay xóa dòng',
      });
      continue;
    }
    inputs.push({
      entry: e, loc: { sheet: e.sheet, cell: e.cell, line: null },
      value: cell.value, numFmt: cell.numFmt,
    });
  }
  return { inputs, problems: dedupeLayout(problems) };
}

/** The field's label somewhere on the input's row, in the columns up to the input's (or the row's last cell), at most 60. */
function rowHasText(sheet: SheetView, address: string, label: string): boolean {
  const { row, col } = parseA1(address)!;
  const want = label.normalize('NFC').replace(/\s+/g, ' ').trim();
  const last = Math.min(Math.max(sheet.cellCount(row), col), 60);
  // The label sits left of its input in the template: look there first (the answer does not depend on the order).
  const matches = (c: number) => {
    const v = sheet.cellAt(row, c).value;
    // NFC lengthens a text at most threefold and the rest only shortens it: a much shorter text cannot be the label.
    if (typeof v === 'string' && v.length * 3 < want.length) return false;
    return cellString(v).replace(/\s+/g, ' ') === want;
  };
  for (let c = Math.min(col - 1, last); c >= 1; c--) if (matches(c)) return true;
  for (let c = Math.max(col, 1); c <= last; c++) if (matches(c)) return true;
  return false;
}

/** One inserted row shifts every cell below it: report the first, say how many more. */
function dedupeLayout(problems: Failure[]): Failure[] {
  const layout = problems.filter((p) => p.code === 'layout_changed');
  if (layout.length <= 1) return problems;
  const first = { ...layout[0], reason: `${layout[0].reason} (và ${layout.length - 1} ô khác)` };
  return [...problems.filter((p) => p.code !== 'layout_changed'), first];
}
