/**
 * Reads a returned workbook: its `_meta` sheet (who, which year, which catalog, where every input is) and the raw
 * value of every mapped cell. Nothing is interpreted here: values.ts normalises, check.ts judges.
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { FIELD_KINDS } from '../catalog/types.ts';
import { EXPLANATION_KIND } from '../catalog/ids.ts';
import {
  CONTACT_KIND, META_KEYS, META_SHEET, META_TABLE_HEADER, NARRATIVE_KIND, TEMPLATE_VERSION,
  type MetaEntry, type MetaKey, type TemplateMeta,
} from '../templates/meta.ts';
import type { Failure } from './codes.ts';
import { fastWorkbook, type CellRead, type SheetView, type WorkbookView } from './xlsx-fast.ts';

export type { Failure } from './codes.ts';

export type { SheetView, WorkbookView } from './xlsx-fast.ts';

/**
 * `workbook`: the sheets as ingest reads them; `excel()`: the whole workbook loaded with exceljs, for the feedback
 * copy (loaded only when one is written).
 */
export type WorkbookRead = { ok: true; workbook: WorkbookView; meta: TemplateMeta; excel: () => Promise<ExcelJS.Workbook> } | Failure;

const TEMPLATE_EXPECTED = 'biểu mẫu do hoctap tạo (lệnh generate-templates), điền vào các ô nền vàng';

/** A cell value as plain text, whatever wrapped it (rich text, formula result, number typed over text). */
export function cellString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.normalize('NFC').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A number far outside the calendar in a date-formatted cell is an invalid Date: toISOString() would throw.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('').normalize('NFC').trim();
    if ('result' in o) return cellString(o.result);
    if ('text' in o) return cellString(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(value);
}

/** A cell's value as ingest reads it from exceljs: a formula keeps its result even when it is 0 or FALSE. */
function exceljsValue(cell: ExcelJS.Cell): unknown {
  const master = cell.type === ExcelJS.ValueType.Merge ? cell.master : cell;
  const value = master.value;
  // exceljs's cell.value leaves out a falsy formula result (0, FALSE): a formula worth 0 looked uncomputed.
  if (master.type === ExcelJS.ValueType.Formula && master.result !== undefined && value && typeof value === 'object') {
    return { ...value, result: master.result };
  }
  return value;
}

/** An exceljs worksheet seen through the same small interface as the targeted reader's. */
export function exceljsSheetView(sheet: ExcelJS.Worksheet): SheetView {
  const read = (cell: ExcelJS.Cell): CellRead => ({ value: exceljsValue(cell), numFmt: cell.numFmt ?? undefined });
  return {
    rowCount: sheet.rowCount,
    cell: (address) => read(sheet.getCell(address)),
    cellAt: (row, col) => read(sheet.getRow(row).getCell(col)),
    cellCount: (row) => sheet.getRow(row).cellCount,
  };
}

export function exceljsWorkbookView(workbook: ExcelJS.Workbook): WorkbookView {
  const views = new Map<string, SheetView>();
  return {
    sheet(name) {
      const ws = workbook.getWorksheet(name);
      if (!ws) return null;
      let v = views.get(name);
      if (!v) views.set(name, (v = exceljsSheetView(ws)));
      return v;
    },
  };
}

const isView = (sheet: ExcelJS.Worksheet | SheetView): sheet is SheetView => typeof (sheet as SheetView).cellAt === 'function';

/**
 * Reads `_meta` and checks that every sheet it names can be read, with the targeted reader (xlsx-fast.ts) from the
 * entries zip-check inflated. Returns null whenever that reader declines the file or finds a problem: the file is
 * then read with exceljs, so that every message about a bad file is the one it always was.
 */
function readFast(files: Map<string, Buffer>, bytes: Buffer): WorkbookRead | null {
  try {
    const workbook = fastWorkbook(files);
    const sheet = workbook.sheet(META_SHEET);
    if (!sheet) return null;
    const meta = parseMeta(sheet);
    if (!meta.ok) return null;
    for (const name of new Set(meta.meta.entries.map((e) => e.sheet))) workbook.sheet(name);
    let excel: Promise<ExcelJS.Workbook> | null = null;
    return {
      ok: true, workbook, meta: meta.meta,
      excel: () => (excel ??= loadExcel(bytes).then((r) => {
        if (!r.ok) throw new Error(r.reason);
        return r.workbook;
      })),
    };
  } catch {
    // Unsupported (or anything unexpected in the scan): the full reader decides.
    return null;
  }
}

async function loadExcel(bytes: Buffer): Promise<{ ok: true; workbook: ExcelJS.Workbook } | Failure> {
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
  return { ok: true, workbook };
}

/**
 * Reads the workbook's `_meta`. The bytes have passed zip-check already; `files` are its inflated entries (when
 * given, the targeted reader is tried first, and exceljs reads only the files it declines).
 */
export async function readWorkbook(bytes: Buffer, files?: Map<string, Buffer> | null): Promise<WorkbookRead> {
  if (files) {
    const fast = readFast(files, bytes);
    if (fast) return fast;
  }
  const loaded = await loadExcel(bytes);
  if (!loaded.ok) return loaded;
  const { workbook } = loaded;
  const sheet = workbook.getWorksheet(META_SHEET);
  if (!sheet) {
    return {
      ok: false, code: 'no_meta',
      reason: `không phải biểu mẫu hoctap (không có trang ẩn ${META_SHEET})`, expected: TEMPLATE_EXPECTED,
    };
  }
  const meta = parseMeta(sheet);
  if (!meta.ok) return meta;
  return { ok: true, workbook: exceljsWorkbookView(workbook), meta: meta.meta, excel: async () => workbook };
}

const entrySchema = z.object({
  fieldId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'mã ô không hợp lệ' }),
  indicatorId: z.string(),
  kind: z.enum([...FIELD_KINDS, NARRATIVE_KIND, CONTACT_KIND, EXPLANATION_KIND], { error: 'loại ô không hợp lệ' }),
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
export function parseMeta(worksheet: ExcelJS.Worksheet | SheetView): { ok: true; meta: TemplateMeta } | Failure {
  const sheet = isView(worksheet) ? worksheet : exceljsSheetView(worksheet);
  const nonsense = (row: number, detail: string): Failure => ({
    ok: false, code: 'bad_meta',
    reason: `trang ẩn ${META_SHEET} đã bị sửa, không đọc được (dòng ${row}: ${detail})`,
    expected: 'dùng lại biểu mẫu gốc, không sửa trang ẩn',
  });
  const rowCount = Math.min(sheet.rowCount, 100_000);
  const rowValues = (r: number) => [1, 2, 3, 4, 5].map((c) => cellString(sheet.cellAt(r, c).value));
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
