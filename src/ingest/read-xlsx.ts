/**
 * Reads a returned workbook: its `_meta` sheet (who, which year, which catalog, where every input is) and the raw
 * value of every mapped cell. Nothing is interpreted here: values.ts normalises, check.ts judges.
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { FIELD_KINDS, type Catalog } from '../catalog/types.ts';
import {
  CONTACT_FIELDS, CONTACT_KIND, META_KEYS, META_SHEET, META_TABLE_HEADER, NARRATIVE_KIND, TEMPLATE_VERSION,
  type MetaEntry, type MetaKey, type TemplateMeta,
} from '../templates/meta.ts';
import type { RawInput } from './types.ts';

export type Failure = { ok: false; code: string; reason: string; expected: string };

export type WorkbookRead = { ok: true; workbook: ExcelJS.Workbook; meta: TemplateMeta } | Failure;

const TEMPLATE_EXPECTED = 'biểu mẫu do hoctap tạo (lệnh generate-templates), điền vào các ô nền vàng';

/** A cell value as plain text, whatever wrapped it (rich text, formula result, number typed over text). */
export function cellString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.normalize('NFC').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('').normalize('NFC').trim();
    if ('result' in o) return cellString(o.result);
    if ('text' in o) return cellString(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(value);
}

/** Loads the workbook (exceljs, from memory) and reads `_meta`. The bytes have passed zip-check already. */
export async function readWorkbook(bytes: Buffer): Promise<WorkbookRead> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    // exceljs's own message is technical English ("Cannot read properties of undefined"): the unit needs the remedy.
    return {
      ok: false, code: 'unreadable_workbook',
      reason: 'không đọc được bảng tính (cấu trúc bên trong không chuẩn, thường do phần mềm khác Excel/LibreOffice lưu)',
      expected: 'mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại',
    };
  }
  if (workbook.worksheets.length === 0) {
    // Some tools write XML that exceljs reads as an empty workbook (namespace-prefixed tags): a re-save fixes it.
    return { ok: false, code: 'unreadable_workbook', reason: 'không đọc được trang nào trong bảng tính', expected: 'mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại' };
  }
  const sheet = workbook.getWorksheet(META_SHEET);
  if (!sheet) {
    return {
      ok: false, code: 'no_meta',
      reason: `không phải biểu mẫu hoctap (không có trang ẩn ${META_SHEET})`, expected: TEMPLATE_EXPECTED,
    };
  }
  const meta = parseMeta(sheet);
  if (!meta.ok) return meta;
  return { ok: true, workbook, meta: meta.meta };
}

const entrySchema = z.object({
  fieldId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'mã ô không hợp lệ' }),
  indicatorId: z.string(),
  kind: z.enum([...FIELD_KINDS, NARRATIVE_KIND, CONTACT_KIND], { error: 'loại ô không hợp lệ' }),
  sheet: z.string().min(1, { error: 'thiếu tên trang' }),
  cell: z.string().regex(/^[A-Z]{1,3}[1-9]\d{0,6}$/, { error: 'địa chỉ ô không hợp lệ' }),
});

const keysSchema = z.object({
  template_version: z.string().min(1),
  catalog_version: z.string().min(1, { error: 'thiếu phiên bản danh mục' }),
  profile: z.string(),
  year: z.string().regex(/^\d{4}$/, { error: 'năm không hợp lệ' }),
  unit_code: z.string().min(1, { error: 'thiếu mã đơn vị' }),
  unit_name: z.string(),
  agency_code: z.string().min(1, { error: 'thiếu mã cơ quan' }),
  generated_at: z.string(),
});

/** Parses `_meta` (layout in templates/meta.ts). Anything that does not fit is one "edited into nonsense" failure. */
export function parseMeta(sheet: ExcelJS.Worksheet): { ok: true; meta: TemplateMeta } | Failure {
  const nonsense = (row: number, detail: string): Failure => ({
    ok: false, code: 'bad_meta',
    reason: `trang ẩn ${META_SHEET} đã bị sửa, không đọc được (dòng ${row}: ${detail})`,
    expected: 'dùng lại biểu mẫu gốc, không sửa trang ẩn',
  });
  const rowCount = Math.min(sheet.rowCount, 100_000);
  const rowValues = (r: number) => [1, 2, 3, 4, 5].map((c) => cellString(sheet.getRow(r).getCell(c).value));
  const keys: Record<string, string> = {};
  let r = 1;
  for (; r <= rowCount; r++) {
    const [k, v, ...rest] = rowValues(r);
    if (!k && !v && rest.every((x) => !x)) break;
    if (!k) return nonsense(r, 'thiếu tên khóa');
    if (k in keys) return nonsense(r, `khóa "${k}" lặp lại`);
    keys[k] = v;
  }
  if (r > rowCount) return nonsense(r, 'thiếu bảng ô nhập');
  // A template of another version is reported as such, before its keys are judged against this version's list.
  if (keys.template_version !== undefined && keys.template_version !== TEMPLATE_VERSION) {
    return {
      ok: false, code: 'template_version',
      reason: `biểu mẫu phiên bản ${keys.template_version}, phiên bản hoctap này đọc được phiên bản ${TEMPLATE_VERSION}`,
      expected: `biểu mẫu phiên bản ${TEMPLATE_VERSION}: tạo lại biểu mẫu bằng hoctap hiện tại`,
    };
  }
  const missing = META_KEYS.filter((k) => !(k in keys));
  if (missing.length) return nonsense(1, `thiếu khóa ${missing.join(', ')}`);
  const parsedKeys = keysSchema.safeParse(keys);
  if (!parsedKeys.success) {
    const issue = parsedKeys.error.issues[0];
    const key = String(issue.path[0]);
    return nonsense(META_KEYS.indexOf(key as MetaKey) + 1, `${key}: ${issue.message} ("${keys[key] ?? ''}")`);
  }
  r++;
  while (r <= rowCount && rowValues(r).every((x) => !x)) r++;
  const header = rowValues(r);
  if (header.join('|') !== META_TABLE_HEADER.join('|')) return nonsense(r, `dòng tiêu đề phải là ${META_TABLE_HEADER.join(' | ')}`);
  const entries: MetaEntry[] = [];
  const seenFields = new Set<string>();
  const seenCells = new Set<string>();
  for (r++; r <= rowCount; r++) {
    const [fieldId, indicatorId, kind, sheetName, cell] = rowValues(r);
    if (!fieldId && !indicatorId && !kind && !sheetName && !cell) continue;
    const parsed = entrySchema.safeParse({ fieldId, indicatorId, kind, sheet: sheetName, cell: cell.replace(/\$/g, '').toUpperCase() });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return nonsense(r, `${issue.message} ("${[fieldId, indicatorId, kind, sheetName, cell].join(' | ')}")`);
    }
    const e = parsed.data;
    if (seenFields.has(e.fieldId)) return nonsense(r, `ô ${e.fieldId} xuất hiện hai lần`);
    if (seenCells.has(`${e.sheet}!${e.cell}`)) return nonsense(r, `ô ${e.sheet}!${e.cell} được dùng hai lần`);
    seenFields.add(e.fieldId);
    seenCells.add(`${e.sheet}!${e.cell}`);
    entries.push(e);
  }
  if (!entries.length) return nonsense(r, 'bảng ô nhập trống');
  return { ok: true, meta: { keys: parsedKeys.data as Record<MetaKey, string>, entries } };
}

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
export function readInputs(workbook: ExcelJS.Workbook, meta: TemplateMeta, catalog: Catalog): InputsRead {
  const inputs: RawInput[] = [];
  const problems: Failure[] = [];
  const contactIds = new Set<string>(CONTACT_FIELDS.map((c) => c.id));
  const narrativeIds = new Set(catalog.narratives.map((n) => `narrative.${n.id}`));
  for (const e of meta.entries) {
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
    const sheet = workbook.getWorksheet(e.sheet);
    if (!sheet) {
      if (!problems.some((p) => p.code === 'missing_sheet' && p.reason.includes(`"${e.sheet}"`))) {
        problems.push({ ok: false, code: 'missing_sheet', reason: `không còn trang "${e.sheet}" (đã bị đổi tên hoặc xóa)`, expected: `giữ nguyên tên trang "${e.sheet}" của biểu mẫu` });
      }
      continue;
    }
    const cell = sheet.getCell(e.cell);
    const field = catalog.fieldById.get(e.fieldId);
    if (field && field.kind !== 'text' && !rowHasText(sheet, cell, field.label)) {
      problems.push({
        ok: false, code: 'layout_changed',
        reason: `trang ${e.sheet} đã bị thêm, xóa hoặc sắp xếp lại dòng: ô ${e.cell} không còn nằm trên dòng "${field.label}" (${e.fieldId})`,
        expected: 'điền lại vào biểu mẫu gốc, không thêm hay xóa dòng',
      });
      continue;
    }
    inputs.push({
      entry: e, loc: { sheet: e.sheet, cell: e.cell, line: null },
      value: cell.value, numFmt: cell.numFmt ?? undefined,
    });
  }
  return { inputs, problems: dedupeLayout(problems) };
}

function rowHasText(sheet: ExcelJS.Worksheet, cell: ExcelJS.Cell, label: string): boolean {
  const row = sheet.getRow(Number(cell.row));
  const want = label.normalize('NFC').replace(/\s+/g, ' ').trim();
  for (let c = 1; c <= Math.min(row.cellCount, 60); c++) {
    if (cellString(row.getCell(c).value).replace(/\s+/g, ' ') === want) return true;
  }
  return false;
}

/** One inserted row shifts every cell below it: report the first, say how many more. */
function dedupeLayout(problems: Failure[]): Failure[] {
  const layout = problems.filter((p) => p.code === 'layout_changed');
  if (layout.length <= 1) return problems;
  const first = { ...layout[0], reason: `${layout[0].reason} (và ${layout.length - 1} ô khác)` };
  return [...problems.filter((p) => p.code !== 'layout_changed'), first];
}
