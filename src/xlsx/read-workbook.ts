/**
 * Reads a returned workbook's `_meta` (who, which year, which catalog, where every input is) and gives a view of its
 * sheets. The targeted reader (fast.ts) reads it from the entries zip-check inflated, within the limits of bounds.ts;
 * exceljs reads only the files it declines, and only those proven small. Nothing is interpreted here: ingest
 * normalises and judges.
 */
import ExcelJS from 'exceljs';
import { fallbackBounds } from './bounds.ts';
import { exceljsSheetView, exceljsWorkbookView } from './exceljs-view.ts';
import { fastWorkbook } from './fast.ts';
import { Package } from './package.ts';
import { META_SHEET, parseMeta, type MetaFailure, type TemplateMeta } from './meta.ts';
import { RESAVE, Refusal, XLSX_CODES } from './refusal.ts';
import { checkStoredValues } from './sheet-read.ts';
import { signatureStatus, type SignatureStatus } from './signature.ts';
import type { WorkbookView } from './view.ts';

/** Why a file cannot be read (the shape of every ingest failure: a code, a reason and what was expected). */
/** Why a workbook could not be read: codes of the ingest's table of codes (src/ingest/codes.ts). */
export type ReadFailure = { ok: false; code: string; reason: string; expected: string };

/**
 * What the feedback copy is made from: the zip's own parts (patched, never loaded whole), or, for a small file only
 * exceljs could read, the workbook exceljs loaded.
 */
export type WorkbookSource =
  | { kind: 'parts'; bytes: Buffer; files: Map<string, Buffer> }
  | { kind: 'exceljs'; workbook: ExcelJS.Workbook };

/**
 * `workbook`: the sheets as ingest reads them; `source`: for the feedback copy; `signature`: whether `_meta` carries
 * this workspace's signature of itself (only when the key was given).
 */
export type WorkbookRead = { ok: true; workbook: WorkbookView; meta: TemplateMeta; source: WorkbookSource; signature?: SignatureStatus } | ReadFailure;

export interface ReadOptions {
  /** The workspace's signing key (signature.ts workspaceKey): the `_meta` signature is verified with it. */
  key?: Buffer;
}

const TEMPLATE_EXPECTED = 'biểu mẫu do hoctap tạo (lệnh generate-templates), điền vào các ô nền vàng';

const noMeta = (): ReadFailure => ({
  ok: false, code: 'no_meta', reason: `không phải biểu mẫu hoctap (không có trang ẩn ${META_SHEET})`, expected: TEMPLATE_EXPECTED,
});

/** The targeted reader's answer: a read, a refusal it is sure of, or a file it declines (with what it found). */
type FastAnswer = { ok: true; read: WorkbookRead } | { ok: false; found: MetaFailure | ReadFailure | null };

/**
 * Reads `_meta` and every sheet it names with the targeted reader. A limit exceeded is a refusal; a file without
 * `_meta` or with a `_meta` edited into nonsense is declined with that finding (exceljs, which reads more kinds of
 * file, has the last word on small files, so that every message about a bad file is the one it always was).
 */
function readFast(files: Map<string, Buffer>, bytes: Buffer): FastAnswer {
  try {
    const workbook = fastWorkbook(files);
    const sheet = workbook.sheet(META_SHEET);
    if (!sheet) return { ok: false, found: noMeta() };
    const meta = parseMeta(sheet);
    if (!meta.ok) return { ok: false, found: meta };
    for (const name of new Set(meta.meta.entries.map((e) => e.sheet))) workbook.sheet(name);
    return { ok: true, read: { ok: true, workbook, meta: meta.meta, source: { kind: 'parts', bytes, files } } };
  } catch (e) {
    if (e instanceof Refusal) return { ok: true, read: { ok: false, code: e.code, reason: e.reason, expected: e.expected } };
    // Unsupported (or anything unexpected in the scan): the full reader decides, if the file is small.
    return { ok: false, found: null };
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
      expected: RESAVE,
    };
  }
  if (workbook.worksheets.length === 0) {
    // Some tools write XML that exceljs reads as an empty workbook (namespace-prefixed tags): a re-save fixes it.
    return { ok: false, code: 'unreadable_workbook', reason: 'không đọc được trang nào trong bảng tính', expected: RESAVE };
  }
  return { ok: true, workbook };
}

/**
 * Reads the workbook's `_meta`. The bytes have passed zip-check already; `files` are its inflated entries. Without
 * them (a caller that did not run zip-check) nothing bounds exceljs's work: such bytes are refused.
 */
export async function readWorkbook(bytes: Buffer, files?: Map<string, Buffer> | null, opts: ReadOptions = {}): Promise<WorkbookRead> {
  const read = await readUnsigned(bytes, files);
  if (!read.ok || !opts.key) return read;
  return { ...read, signature: signatureStatus(read.meta, opts.key) };
}

async function readUnsigned(bytes: Buffer, files?: Map<string, Buffer> | null): Promise<WorkbookRead> {
  if (!files) return { ok: false, code: XLSX_CODES.tooComplex, reason: 'tệp chưa được kiểm tra cấu trúc nén', expected: RESAVE };
  const fast = readFast(files, bytes);
  if (fast.ok) return fast.read;
  if (!fallbackBounds(files)) {
    return fast.found ?? {
      ok: false, code: XLSX_CODES.tooComplex,
      reason: 'bảng tính có cấu trúc mà hoctap không đọc trực tiếp được, và quá lớn để đọc toàn bộ',
      expected: RESAVE,
    };
  }
  try {
    const pkg = new Package(files);
    checkStoredValues(pkg.sheets().map((s) => ({ name: s.name, xml: pkg.text(s.part) ?? '' })));
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, code: e.code, reason: e.reason, expected: e.expected };
    throw e;
  }
  const loaded = await loadExcel(bytes);
  if (!loaded.ok) return loaded;
  const { workbook } = loaded;
  const sheet = workbook.getWorksheet(META_SHEET);
  if (!sheet) return noMeta();
  const meta = parseMeta(exceljsSheetView(sheet));
  if (!meta.ok) return meta;
  return { ok: true, workbook: exceljsWorkbookView(workbook), meta: meta.meta, source: { kind: 'exceljs', workbook } };
}
