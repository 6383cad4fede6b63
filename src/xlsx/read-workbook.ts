/**
 * Reads a returned workbook's `_meta` (who, which year, which catalog, where every input is) and gives a view of its
 * sheets. The targeted reader (fast.ts) reads it from the entries zip-check inflated; exceljs reads only the files it
 * declines. Nothing is interpreted here: ingest normalises and judges.
 */
import ExcelJS from 'exceljs';
import { exceljsSheetView, exceljsWorkbookView } from './exceljs-view.ts';
import { fastWorkbook } from './fast.ts';
import { META_SHEET, parseMeta, type MetaFailure, type TemplateMeta } from './meta.ts';
import type { WorkbookView } from './view.ts';

/** Why a file cannot be read (the shape of every ingest failure: a code, a reason and what was expected). */
/** Why a workbook could not be read: codes of the ingest's table of codes (src/ingest/codes.ts). */
export type ReadFailure = { ok: false; code: 'unreadable_workbook' | 'no_meta' | MetaFailure['code']; reason: string; expected: string };

/**
 * `workbook`: the sheets as ingest reads them; `excel()`: the whole workbook loaded with exceljs, for the feedback
 * copy (loaded only when one is written).
 */
export type WorkbookRead = { ok: true; workbook: WorkbookView; meta: TemplateMeta; excel: () => Promise<ExcelJS.Workbook> } | ReadFailure;

const TEMPLATE_EXPECTED = 'biểu mẫu do hoctap tạo (lệnh generate-templates), điền vào các ô nền vàng';

/**
 * Reads `_meta` and checks that every sheet it names can be read, with the targeted reader from the entries
 * zip-check inflated. Returns null whenever that reader declines the file or finds a problem: the file is then read
 * with exceljs, so that every message about a bad file is the one it always was.
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

async function loadExcel(bytes: Buffer): Promise<{ ok: true; workbook: ExcelJS.Workbook } | ReadFailure> {
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
  const meta = parseMeta(exceljsSheetView(sheet));
  if (!meta.ok) return meta;
  return { ok: true, workbook: exceljsWorkbookView(workbook), meta: meta.meta, excel: async () => workbook };
}
